import Git

/// What `promptgate approvals` shows: per checkpoint of the trusted runbook, whether it applies,
/// how many approvals count, and a verdict on each one recorded.
public struct ApprovalReport: Sendable, Codable {
  public struct CheckpointApprovals: Sendable, Codable {
    public let name: String
    public let role: String
    public let needed: Int
    public let applies: Bool
    /// Why it does not apply, when it does not.
    public let note: String?
    public let valid: Int
    public let verdicts: [ApprovalVerdict]

    public var approved: Bool { !applies || valid >= needed }
  }

  public let release: ReleaseDiff.Point
  public let base: ReleaseDiff.Point?
  public let environment: String
  public let rulesFrom: String
  public let checkpoints: [CheckpointApprovals]
  public let notes: [String]

  public var approved: Bool { checkpoints.allSatisfy(\.approved) }

  /// Judges every decision in the ledger on `release` by the rules of its basis: the same
  /// base, rules and keys `check` and `release` use (``ReleaseBasis``).
  public static func build(release: Commit, base: Commit?, environment: String, in repository: Repository)
    throws(PromptgateError) -> ApprovalReport
  {
    let ledger = Ledger(repository)
    let basis = try ReleaseBasis.resolve(
      release: release, base: base, environment: environment, ledger: ledger, in: repository)
    let base = basis.base
    let trustedCommit = basis.rules
    var notes = [basis.note]
    guard let rules = try Runbook.load(from: trustedCommit, in: repository)?.runbook else {
      throw PromptgateError.input(
        "\(release.id.short()) has no readable \(Runbook.path); nothing declares checkpoints")
    }
    let changedPaths: [String]
    do {
      changedPaths = try repository.diffTrees(base?.tree, release.tree).flatMap { [$0.newPath, $0.oldPath] }
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "the change from the base")
    }
    let approvals = try LedgerApprovals(
      ledger: ledger, release: release, base: base, trustedCommit: trustedCommit,
      anchor: try RepositoryAnchor.id(ledger: ledger, release: release))
    notes += approvals.trusted.diagnostics.map { "\($0.formatted) (this line is not trusted)" }
    var checkpoints: [CheckpointApprovals] = []
    for checkpoint in rules.governance?.checkpoints ?? [] {
      let scope = checkpoint.scope(changedPaths: Array(Set(changedPaths)), environment: environment)
      let verdicts = try approvals.verdicts(for: checkpoint, environment: environment, rules: rules)
      var applies = false
      if case .applies = scope { applies = true }
      checkpoints.append(
        CheckpointApprovals(
          name: checkpoint.name, role: checkpoint.role, needed: max(1, checkpoint.approvals),
          applies: applies,
          note: checkpoint.note(for: scope, environment: environment), valid: verdicts.filter(\.counts).count,
          verdicts: verdicts))
    }
    return ApprovalReport(
      release: ReleaseDiff.Point(commit: release.id.hex, tree: release.tree.hex),
      base: base.map { ReleaseDiff.Point(commit: $0.id.hex, tree: $0.tree.hex) }, environment: environment,
      rulesFrom: basis.judgesItself ? "release" : "base", checkpoints: checkpoints, notes: notes)
  }
}
