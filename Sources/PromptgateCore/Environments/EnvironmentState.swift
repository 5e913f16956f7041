import Git

/// What an environment holds, derived from the ledger alone (SPEC §3): the release deployed
/// there, every release it has had, which of those are bad, and so which is the last good one.
public struct EnvironmentState: Sendable {
  /// One release the environment has had, and what became of it.
  public struct Deployment: Sendable, Hashable {
    public let release: LedgerEvent.Release
    public let sequence: Int
    public let time: String
    public let actor: String
    /// True when it went in by a break-glass override.
    public let override: Bool
    /// Why it may not be chosen again (rolled back from, marked bad), nil while good.
    public var bad: String?
  }

  public let name: String
  public let deployed: LedgerEvent.Release?
  /// Oldest first.
  public let deployments: [Deployment]
  /// The ledger records the state was derived from, oldest first.
  public let records: [Ledger.Record]
  /// Release commit → why it is bad here (rolled back from, marked bad), deployed or not.
  public let quarantine: [String: String]
  /// The last event that moved the environment, when it was a rollback: the next release must
  /// answer it (SPEC §5, incident follow-up).
  public let pendingRollback: LedgerEvent?

  /// Valid environment names: what is also a safe single git ref component.
  public static func validate(_ name: String) throws(PromptgateError) {
    let allowed = name.utf8.allSatisfy { byte in
      (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
    guard allowed, let first = name.first, first.isLetter || first.isNumber, !name.contains(".."),
      !name.hasSuffix("."), !name.hasSuffix(".lock"), name.count <= 64
    else {
      throw .input(
        "`\(name)` is not an environment name: use lower-case letters, digits, `-`, `_` and `.`, "
          + "starting with a letter or digit (staging, production, eu-prod)")
    }
  }

  /// Replays the environment's events from the ledger.
  public init(_ name: String, ledger: Ledger) throws(PromptgateError) {
    try Self.validate(name)
    self.name = name
    let records = try ledger.environmentRecords(name)
    var deployed: LedgerEvent.Release?
    var deployments: [Deployment] = []
    var quarantine: [String: String] = [:]
    var pendingRollback: LedgerEvent?
    func markBad(_ commit: String, _ reason: String) {
      if quarantine[commit] == nil { quarantine[commit] = reason }
      for index in deployments.indices
      where deployments[index].release.commit == commit && deployments[index].bad == nil {
        deployments[index].bad = reason
      }
    }
    for record in records {
      let event = record.event
      switch event.kind {
      case .release, .override:
        guard let release = event.release else { continue }
        deployed = release
        pendingRollback = nil
        // A signed override of a bad release is a deliberate decision: it is good again until
        // rolled back from or marked bad anew.
        if event.kind == .override { quarantine[release.commit] = nil }
        deployments.append(
          Deployment(
            release: release, sequence: event.sequence, time: event.time, actor: event.actor,
            override: event.kind == .override, bad: nil))
      case .rollback:
        if let from = event.details["from"]?["commit"]?.string {
          markBad(from, "rolled back from by #\(event.sequence)")
        }
        deployed = event.release
        pendingRollback = event
      case .markBad:
        if let commit = event.release?.commit { markBad(commit, "marked bad by #\(event.sequence)") }
      case .blocked, .approval, .rejection:
        continue
      }
    }
    self.deployed = deployed
    self.deployments = deployments
    self.records = records
    self.quarantine = quarantine
    self.pendingRollback = pendingRollback
  }

  /// The newest release recorded here that went in through its gates or an override and was
  /// neither rolled back from nor marked bad.
  public var lastGood: Deployment? {
    deployments.last { $0.bad == nil }
  }

  /// The deployed release's commit, which a clone without it cannot judge against.
  public func deployedCommit(in repository: Repository) throws(PromptgateError) -> Commit? {
    guard let release = deployed else { return nil }
    guard let id = ObjectID(hex: release.commit), let commit = try? repository.commit(id) else {
      throw PromptgateError.input(
        "the release deployed in \(name), \(release.commit.prefix(7)), is not in this clone; fetch it "
          + "(git fetch origin \(release.commit))")
    }
    return commit
  }

  /// Why `commit` may not be released here again, if it is bad.
  public func badReason(_ commit: String) -> String? {
    quarantine[commit]
  }

  /// The ref that mirrors the deployed release for deploy tooling (SPEC §3).
  public var reference: String { "refs/promptgate/environments/\(name)" }
}
