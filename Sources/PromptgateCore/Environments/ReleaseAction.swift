import Foundation
import Git

/// `promptgate release`: run the gates against the environment's deployed release and, if they
/// pass, record the release (the ledger's compare-and-swap is the commit point) and move the
/// environment's mirror ref. A failed attempt is recorded as `blocked`. With an override, a
/// release that failed its gates (or was marked bad) goes in under a signed `override` event.
public enum ReleaseAction {
  public enum Outcome: String, Sendable {
    case released, blocked, overridden
    case alreadyDeployed = "already-deployed"
    case wouldRelease = "would-release"
    case wouldBlock = "would-block"
    case wouldOverride = "would-override"
  }

  /// Break-glass: why, and the key that signs the override statement.
  public struct Override: Sendable {
    public let reason: String
    public let principal: String?
    public let key: SSHPublicKey
    /// Signs the statement's bytes in ``OverrideStatement/namespace``.
    public let sign: @Sendable ([UInt8]) throws(PromptgateError) -> SSHSignature

    public init(
      reason: String, principal: String?, key: SSHPublicKey,
      sign: @escaping @Sendable ([UInt8]) throws(PromptgateError) -> SSHSignature
    ) {
      self.reason = reason
      self.principal = principal
      self.key = key
      self.sign = sign
    }
  }

  public struct Result: Sendable {
    public let outcome: Outcome
    public let report: CheckReport?
    public let record: Ledger.Record?
    public let mirror: EnvironmentMirror.Outcome?
  }

  public static func release(
    _ commit: Commit, environment: String, dryRun: Bool, override: Override? = nil, in repository: Repository,
    now: Date = Date()
  ) throws(PromptgateError) -> Result {
    let ledger = Ledger(repository)
    let decidedOn = try ledger.head()
    let state = try EnvironmentState(environment, ledger: ledger)
    try EnvironmentMirror.bringInLine(
      state, in: repository, message: "promptgate: repair the mirror of \(environment)")
    if state.deployed?.commit == commit.id.hex {
      return Result(outcome: .alreadyDeployed, report: nil, record: nil, mirror: nil)
    }
    let quarantined = state.badReason(commit.id.hex)
    if let reason = quarantined, override == nil {
      throw PromptgateError(
        .blocked,
        "\(commit.id.short()) was \(reason) in \(environment); it cannot be released there again without "
          + "--override")
    }
    let base = try state.deployedCommit(in: repository)
    if let base, base.id != commit.id, repository.isDescendant(base.id, of: commit.id) {
      throw PromptgateError(
        .blocked,
        "\(commit.id.short()) is older than \(base.id.short()), deployed in \(environment); going back is a "
          + "rollback: promptgate rollback --env \(environment) --to \(commit.id.short()) --reason <why>")
    }
    let report = try GateEngine.check(
      commit, base: base, environment: environment, ledger: ledger, environmentState: state, now: now,
      in: repository)
    if let override {
      return try Self.override(
        commit, environment: environment, override, report: report, quarantined: quarantined, base: base,
        trustedCommit: GateEngine.trustedCommit(release: commit, base: base, in: repository),
        decidedOn: decidedOn, dryRun: dryRun, in: repository, now: now)
    }
    if dryRun {
      return Result(
        outcome: report.passed ? .wouldRelease : .wouldBlock, report: report, record: nil, mirror: nil)
    }
    let actor = Self.actor(in: repository)
    let release = LedgerEvent.Release(commit: commit.id.hex, tree: commit.tree.hex)
    let repositoryID = try RepositoryIdentity.root(of: commit, in: repository)
    var details = Self.details(report, base: base)
    if !report.passed {
      details["failed"] = .array(report.blockingFailures.map { .string($0.id) })
    }
    let record = try ledger.append(independent: false, decidedOn: .some(decidedOn)) { sequence in
      (
        LedgerEvent(
          kind: report.passed ? .release : .blocked, sequence: sequence, time: Ledger.timestamp(now),
          actor: actor,
          environment: environment, release: release, repository: repositoryID, details: details),
        nil
      )
    }
    guard report.passed else {
      return Result(outcome: .blocked, report: report, record: record, mirror: nil)
    }
    let moved = try EnvironmentMirror.bringInLine(
      try EnvironmentState(environment, ledger: ledger), in: repository,
      message: "promptgate: release \(commit.id.short()) (ledger #\(record.event.sequence))")
    return Result(outcome: .released, report: report, record: record, mirror: moved)
  }

  /// Records a break-glass release: the gates failed (or the release was marked bad) and the
  /// holder of an override role signs that it goes in anyway. Always a compliance exception.
  private static func override(
    _ commit: Commit, environment: String, _ override: Override, report: CheckReport, quarantined: String?,
    base: Commit?, trustedCommit: Commit, decidedOn: ObjectID?, dryRun: Bool, in repository: Repository,
    now: Date
  ) throws(PromptgateError) -> Result {
    let overridden = report.blockingFailures.map(\.id) + (quarantined == nil ? [] : ["quarantine"])
    guard !overridden.isEmpty else {
      throw PromptgateError.input(
        "\(commit.id.short()) passes its gates; release it without --override (an override is recorded as a "
          + "compliance exception)")
    }
    guard !override.reason.trimmingWhitespace.isEmpty else {
      throw PromptgateError.input("--reason is empty: say why the gates are overridden")
    }
    let authority = try OverrideAuthority.authorize(
      key: override.key, principal: override.principal, trustedCommit: trustedCommit, at: now, in: repository)
    if dryRun {
      return Result(outcome: .wouldOverride, report: report, record: nil, mirror: nil)
    }
    let statement = OverrideStatement(
      environment: environment, overrides: overridden, principal: authority.principal,
      reason: override.reason,
      release: LedgerEvent.Release(commit: commit.id.hex, tree: commit.tree.hex),
      repository: try RepositoryIdentity.root(of: commit, in: repository), role: authority.role,
      signedAt: Ledger.timestamp(now))
    let signature = try override.sign(statement.signedBytes)
    guard signature.publicKey == override.key,
      signature.verify(statement.signedBytes, namespace: OverrideStatement.namespace)
    else {
      throw PromptgateError.input(
        "the override signature does not verify with the key given; nothing was written")
    }
    var details = Self.details(report, base: base)
    details["statement"] = statement.json
    details["failed"] = .array(overridden.map(JSONValue.string))
    let record = try Ledger(repository).append(independent: false, decidedOn: .some(decidedOn)) { sequence in
      (
        LedgerEvent(
          kind: .override, sequence: sequence, time: statement.signedAt, actor: authority.principal,
          environment: environment, release: statement.release, repository: statement.repository,
          details: details),
        signature.armored
      )
    }
    let moved = try EnvironmentMirror.bringInLine(
      try EnvironmentState(environment, ledger: Ledger(repository)), in: repository,
      message: "promptgate: override \(commit.id.short()) (ledger #\(record.event.sequence))")
    return Result(outcome: .overridden, report: report, record: record, mirror: moved)
  }

  /// What a release, blocked or override event records of the decision: its base and every gate.
  private static func details(_ report: CheckReport, base: Commit?) -> [String: JSONValue] {
    [
      "base": base.map { .object(["commit": .string($0.id.hex), "tree": .string($0.tree.hex)]) } ?? .null,
      "gates": .array(
        report.gates.map { .object(["id": .string($0.id), "status": .string($0.status.rawValue)]) }),
    ]
  }

  /// Who runs promptgate: git's configured identity, else the login name.
  /// As git names a committer: `GIT_COMMITTER_NAME` and `GIT_COMMITTER_EMAIL` first (what CI
  /// jobs set), then `user.name` and `user.email`, else the login name.
  static func actor(in repository: Repository) -> String {
    let environment = ProcessInfo.processInfo.environment
    let configured = repository.configuredIdentity()
    let user = environment["USER"] ?? "unknown"
    let name = environment["GIT_COMMITTER_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? configured?.name ?? user
    let email =
      environment["GIT_COMMITTER_EMAIL"].flatMap { $0.isEmpty ? nil : $0 } ?? configured?.email
      ?? "\(user)@localhost"
    return "\(name) <\(email)>"
  }
}
