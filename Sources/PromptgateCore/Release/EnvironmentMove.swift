import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The one path every environment move takes (SPEC §7): a release, a blocked attempt, an
/// override, a rollback, a mark-bad. Verify the ledger and decide on its head; sign the
/// statement; append with a compare-and-swap on that head (the commit point); bring the
/// environment's mirror ref in line.
public enum EnvironmentMove {
  /// The ledger as a move decides on it.
  public struct Ground {
    public let ledger: Ledger
    /// The head the decision is made on: the append fails with a conflict if it moved.
    public let head: ObjectID?
    public let state: EnvironmentState

    /// Verifies the events added since this clone last verified (all of them the first time)
    /// and reads the environment. No move acts on a ledger holding an event that fails.
    public init(_ environment: String, in repository: Repository) throws(PromptgateError) {
      ledger = Ledger(repository)
      try LedgerAudit.requireVerified(
        ledger, consequence: "promptgate acts on none of it and nothing was written")
      try EnvironmentPipeline(ledger: ledger, in: repository).refuseUndeclared(environment)
      head = try ledger.head()
      state = try EnvironmentState(environment, ledger: ledger)
    }
  }

  /// The remotes whose last-fetched ledger (refs/promptgate/remotes/<remote>/ledger) holds
  /// events `head` lacks: what a `sync` fetched and this clone has not taken in (a conflict, a
  /// sync killed half-way).
  public static func remotesAhead(of head: ObjectID?, in repository: Repository) -> [String] {
    let tracked = (try? repository.references(matching: RefName.everyTrackedLedger)) ?? []
    return tracked.compactMap { reference in
      if let head, reference.target == head || repository.isDescendant(head, of: reference.target) {
        return nil
      }
      return reference.name.split(separator: "/").dropFirst(3).first.map(String.init)
    }
  }

  /// Signs `statement` and records it as a `kind` event decided on `ground`, then mirrors the
  /// environment when the event moved it. `record` is what the event keeps beside the
  /// statement (gate results, releases skipped), which the audit derives again.
  public static func record(
    _ kind: LedgerEvent.Kind, _ statement: some SignableStatement, signer: StatementSigner,
    record extra: LedgerEvent.Record = LedgerEvent.Record(), on ground: Ground, now: Date,
    in repository: Repository
  ) throws(PromptgateError) -> (record: Ledger.Record, mirror: EnvironmentMirror.Outcome?) {
    let signature = try signer.sign(statement.signedBytes)
    var extra = extra
    extra.statement = statement
    let details = extra.details
    let record = try ground.ledger.append(independent: false, decidedOn: .some(ground.head), now: now) {
      slot in
      (
        LedgerEvent(
          kind: kind, sequence: slot.sequence, time: slot.time, actor: statement.principal,
          environment: statement.environment, release: statement.release, repository: statement.repository,
          details: details),
        signature.armored
      )
    }
    guard kind != .blocked else { return (record, nil) }
    let mirror = try EnvironmentMirror.followLedger(
      ground.state.name, ledger: ground.ledger, in: repository,
      message:
        "promptgate: \(kind.rawValue) \(statement.release.commit.prefix(7)) (ledger #\(record.event.sequence))"
    )
    return (record, mirror)
  }
}
