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
  /// The sequence number of the event that made `deployed` what runs here.
  public let deployedBy: Int?
  /// Oldest first.
  public let deployments: [Deployment]
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
    guard allowed, let first = name.first, first.isLetter || first.isNumber, !name.containsLiteral(".."),
      !name.hasSuffix("."), !name.hasSuffix(".lock"), name.count <= 64
    else {
      throw .input(
        "`\(name)` is not an environment name: use lower-case letters, digits, `-`, `_` and `.`, "
          + "starting with a letter or digit (staging, production, eu-prod)")
    }
  }

  /// Derives the environment from its events in the ledger: from the fold this clone cached
  /// the last time (`.git/promptgate/environments/<name>.json`), adding only the events
  /// recorded since, so the cost does not grow with the environment's history.
  public init(_ name: String, ledger: Ledger) throws(PromptgateError) {
    try Self.validate(name)
    self.name = name
    let commits = try ledger.environmentCommits(name)
    var fold =
      EnvironmentStateCache.memory.recall(name, ledger: ledger, matching: commits)
      ?? EnvironmentStateCache.load(name, ledger: ledger, matching: commits) ?? EnvironmentStateCache()
    let known = fold.count
    for commit in commits[known...] {
      fold.add(try ledger.record(commit))
    }
    if fold.count != known || !EnvironmentStateCache.hasSummary(name, ledger: ledger) {
      fold.save(name, ledger: ledger)
    }
    EnvironmentStateCache.memory.keep(fold, name, ledger: ledger)
    deployed = fold.deployed
    deployedBy = fold.deployedBy
    deployments = fold.deployments
    quarantine = fold.quarantine
    pendingRollback = try fold.pendingRollback.map { commit throws(PromptgateError) in
      try ledger.record(commit).event
    }
  }

  /// The environment as `fold` holds it, with the rollback still waiting for an answer: the
  /// audit replays the ledger event by event and judges each release as it stood then.
  init(_ name: String, fold: EnvironmentStateCache, pendingRollback: LedgerEvent?) {
    self.name = name
    deployed = fold.deployed
    deployedBy = fold.deployedBy
    deployments = fold.deployments
    quarantine = fold.quarantine
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
  public var reference: String { RefName.environment(name) }
}
