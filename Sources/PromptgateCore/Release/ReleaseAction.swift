import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `promptgate release`: judge the release by its basis (SPEC §3) and, signed by a principal
/// holding a release role, record it (the ledger's compare-and-swap is the commit point) and
/// move the environment's mirror ref. A failed attempt is recorded, signed, as `blocked`. With
/// an override, a release that failed its gates (or was marked bad) goes in under a signed
/// `override` event by a holder of an override role.
public enum ReleaseAction {
  public enum Outcome: String, Sendable {
    case released, blocked, overridden
    case alreadyDeployed = "already-deployed"
    case wouldRelease = "would-release"
    case wouldBlock = "would-block"
    case wouldOverride = "would-override"
  }

  /// Break-glass: why the gates are overridden.
  public struct Override: Sendable {
    public let reason: String

    public init(reason: String) {
      self.reason = reason
    }
  }

  public struct Result: Sendable {
    public let outcome: Outcome
    public let report: CheckReport?
    public let record: Ledger.Record?
    public let mirror: EnvironmentMirror.Outcome?
    /// Who signs (or, in a dry run, would sign) the move, and in which role.
    public let authority: MoveAuthority?
  }

  /// Judges and records. `signer` may be nil only for a dry run, which then says what it would
  /// do without checking who may sign.
  public static func release(
    _ commit: Commit, environment: String, dryRun: Bool, signer: StatementSigner?, override: Override? = nil,
    in repository: Repository, now: Date = Date()
  ) throws(PromptgateError) -> Result {
    let ground = try EnvironmentMove.Ground(environment, in: repository)
    let state = ground.state
    if state.deployed?.commit == commit.id.hex {
      return Result(outcome: .alreadyDeployed, report: nil, record: nil, mirror: nil, authority: nil)
    }
    let quarantined = state.badReason(commit.id.hex)
    if let reason = quarantined, override == nil {
      throw PromptgateError(
        .blocked,
        "\(commit.id.short()) was \(reason) in \(environment); it cannot be released there again without "
          + "--override")
    }
    if let deployed = try state.deployedCommit(in: repository),
      repository.isDescendant(deployed.id, of: commit.id)
    {
      throw PromptgateError(
        .blocked,
        "\(commit.id.short()) is older than \(deployed.id.short()), deployed in \(environment); going back is a "
          + "rollback: promptgate rollback --env \(environment) --to \(commit.id.short()) --reason <why>")
    }
    let anchor = try RepositoryAnchor.id(ledger: ground.ledger, release: commit)
    try RepositoryAnchor.check(commit, anchor: anchor, in: repository)
    let basis = try ReleaseBasis.forEnvironment(
      environment, release: commit, ledger: ground.ledger, in: repository)
    let report = try GateEngine.check(
      commit, basis: basis, environment: environment, ledger: ground.ledger, environmentState: state,
      now: now,
      in: repository)
    let rules = try MoveAuthority.Rules(commit: basis.rules, in: repository)
    let release = LedgerEvent.Release(commit: commit.id.hex, tree: commit.tree.hex)
    if let override {
      let overridden = report.blockingFailures.map(\.id) + (quarantined == nil ? [] : ["quarantine"])
      guard !overridden.isEmpty else {
        throw PromptgateError.input(
          "\(commit.id.short()) passes its gates; release it without --override (an override is recorded as a "
            + "compliance exception)")
      }
      guard !override.reason.trimmingWhitespace.isEmpty else {
        throw PromptgateError.input("--reason is empty: say why the gates are overridden")
      }
      let authority = try signer.map { signer throws(PromptgateError) in
        try MoveAuthority.authorize(
          .override, environment: environment, key: signer.publicKey, principal: signer.principal,
          rules: rules,
          at: now)
      }
      guard let signer, let authority, !dryRun else {
        return Result(outcome: .wouldOverride, report: report, record: nil, mirror: nil, authority: authority)
      }
      let statement = OverrideStatement(
        environment: environment, overrides: overridden, principal: authority.principal,
        reason: override.reason,
        release: release, repository: anchor, role: authority.role, signedAt: Ledger.timestamp(now))
      var kept = gateRecord(report)
      kept.failed = overridden
      kept.base = .some(basis.base.map { LedgerEvent.Release(commit: $0.id.hex, tree: $0.tree.hex) })
      kept.replaces = .some(state.deployed)
      let (record, mirror) = try EnvironmentMove.record(
        .override, statement, signer: signer, record: kept, on: ground, now: now, in: repository)
      return Result(
        outcome: .overridden, report: report, record: record, mirror: mirror, authority: authority)
    }
    let authority = try signer.map { signer throws(PromptgateError) in
      try MoveAuthority.authorize(
        .release, environment: environment, key: signer.publicKey, principal: signer.principal, rules: rules,
        at: now)
    }
    guard let signer, let authority, !dryRun else {
      return Result(
        outcome: report.passed ? .wouldRelease : .wouldBlock, report: report, record: nil, mirror: nil,
        authority: authority)
    }
    let statement = MoveStatement(
      move: .release, environment: environment, release: release, repository: anchor,
      principal: authority.principal, role: authority.role, signedAt: Ledger.timestamp(now),
      replaces: state.deployed,
      base: basis.base.map { LedgerEvent.Release(commit: $0.id.hex, tree: $0.tree.hex) },
      outcome: report.passed ? .release : .blocked,
      judgedBy: MoveStatement.JudgedBy(version: PromptgateVersion.current, gatePack: GatePack.standardDigest))
    var kept = gateRecord(report)
    kept.failed = report.passed ? [] : report.blockingFailures.map(\.id)
    let (record, mirror) = try EnvironmentMove.record(
      report.passed ? .release : .blocked, statement, signer: signer, record: kept, on: ground, now: now,
      in: repository)
    return Result(
      outcome: report.passed ? .released : .blocked, report: report, record: record, mirror: mirror,
      authority: authority)
  }

  /// What a release, blocked or override event keeps of the decision beside its statement:
  /// every gate, as judged then. The audit judges them again.
  static func gateRecord(_ report: CheckReport) -> LedgerEvent.Record {
    var record = LedgerEvent.Record()
    record.gates = report.gates.map { ($0.id, $0.status.rawValue) }
    return record
  }
}
