import Git

/// How many valid approvals a checkpoint has for a release, and why others do not count.
public struct ApprovalTally: Sendable, Hashable {
  public let valid: Int
  /// One line per approval that did not count, or a note on where approvals come from.
  public let notes: [String]

  public init(valid: Int, notes: [String]) {
    self.valid = valid
    self.notes = notes
  }
}

/// Where the checkpoints gate learns of approvals. The ledger of signed approvals is one such
/// source; until a repository has one, ``NoApprovalsRecorded`` says so.
public protocol ApprovalSource {
  /// The approvals for `checkpoint` on `release` in `environment`, judged by the trusted rules.
  func tally(
    for checkpoint: Runbook.Checkpoint, release: Commit, environment: String?, rules: Runbook
  ) -> ApprovalTally
}

/// No approvals exist: promptgate records none yet, and the gate says so rather than guess.
public struct NoApprovalsRecorded: ApprovalSource {
  public init() {}

  public func tally(
    for checkpoint: Runbook.Checkpoint, release: Commit, environment: String?, rules: Runbook
  ) -> ApprovalTally {
    ApprovalTally(valid: 0, notes: ["no signed approvals are recorded for this repository"])
  }
}
