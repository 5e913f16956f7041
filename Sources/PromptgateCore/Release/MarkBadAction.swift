import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `promptgate mark-bad`: records, signed by the rollback owner or a release role, that a
/// release must never be chosen again in an environment.
public enum MarkBadAction {
  /// The recorded event, or nil when the release is bad there already.
  public static func markBad(
    _ commit: Commit, environment: String, reason: String, signer: StatementSigner, in repository: Repository,
    now: Date = Date()
  ) throws(PromptgateError) -> Ledger.Record? {
    let ground = try EnvironmentMove.Ground(environment, in: repository)
    if ground.state.badReason(commit.id.hex) != nil { return nil }
    let anchor = try RepositoryAnchor.id(ledger: ground.ledger, release: commit)
    try RepositoryAnchor.check(commit, anchor: anchor, in: repository)
    let judged = try ground.state.deployedCommit(in: repository) ?? commit
    let basis = try ReleaseBasis.forEnvironment(
      environment, release: judged, ledger: ground.ledger, in: repository)
    let authority = try MoveAuthority.authorize(
      .markBad, environment: environment, key: signer.publicKey, principal: signer.principal,
      rules: try MoveAuthority.Rules(commit: basis.rules, in: repository), at: now)
    let statement = MoveStatement(
      move: .markBad, environment: environment,
      release: LedgerEvent.Release(commit: commit.id.hex, tree: commit.tree.hex), repository: anchor,
      principal: authority.principal, role: authority.role, signedAt: Ledger.timestamp(now),
      replaces: ground.state.deployed, reason: reason)
    return try EnvironmentMove.record(
      .markBad, statement, signer: signer, on: ground, now: now, in: repository
    )
    .record
  }
}
