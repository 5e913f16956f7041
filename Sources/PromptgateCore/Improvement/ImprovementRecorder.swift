import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Records the improvement layer's signed events: `metrics import` and `review`. Each decides on
/// a verified ledger (no act on a ledger holding a forged event), signs by the rules in force,
/// and appends with a compare-and-swap on the head it decided on: if another writer moved the
/// ledger meanwhile, nothing is written (exit 3), since the rules in force may have changed.
public enum ImprovementRecorder {
  /// A recorded import, and the values it superseded (measurement, the import it replaced).
  public struct Imported: Sendable {
    public let record: Ledger.Record
    public let file: MeasurementFile
    public let superseded: [(new: Measurement, old: ImprovementHistory.Recorded)]
  }

  /// What was decided on: the verified ledger, its head, the rules in force and the anchor.
  private struct Ground {
    let ledger: Ledger
    let head: ObjectID
    let rules: MoveAuthority.Rules
    let repositoryID: String
    let history: ImprovementHistory

    init(_ act: ImprovementAct, in repository: Repository) throws(PromptgateError) {
      ledger = Ledger(repository)
      guard let head = try ledger.head() else {
        throw PromptgateError(
          .blocked,
          "the ledger \(RefName.ledger) is empty or absent: \(act.noun) is about a released service; release "
            + "first, or run promptgate sync --remote origin if this clone lacks the ledger")
      }
      try LedgerAudit.requireVerified(
        ledger, consequence: "promptgate acts on none of it and nothing was written")
      self.head = head
      rules = try ImprovementAuthority.rules(
        deployed: try ReleaseBasis.deployedNow(ledger), for: act, in: repository)
      // The ledger verified, so every event names the repository its first one does.
      repositoryID = try ledger.record(head).event.repository
      history = try ImprovementHistory.read(ledger)
    }

    func append(
      _ kind: LedgerEvent.Kind, _ statement: any ImprovementStatement, signer: StatementSigner, now: Date
    )
      throws(PromptgateError) -> Ledger.Record
    {
      let signature = try signer.sign(statement.signedBytes)
      return try ledger.append(independent: false, decidedOn: .some(head), now: now) { slot in
        let event = LedgerEvent(
          kind: kind, sequence: slot.sequence, time: slot.time, actor: statement.principal, environment: nil,
          release: nil, repository: statement.repository, details: ["statement": statement.json])
        return (event, signature.armored)
      }
    }
  }

  /// Imports the measurements of the file at `path`, signed by `signer`.
  public static func importMetrics(
    path: String, signer: StatementSigner, in repository: Repository, now: Date = Date()
  ) throws(PromptgateError) -> Imported {
    let ground = try Ground(.metrics, in: repository)
    let declared = ground.rules.runbook.environments.map(\.name)
    let environments = declared.isEmpty ? try ground.ledger.environments() : declared
    let file = try MeasurementFile.read(path: path, environments: environments)
    let authority = try ImprovementAuthority.authorize(
      .metrics, key: signer.publicKey, principal: signer.principal, rules: ground.rules, at: now)
    let statement = MetricsStatement(
      file: URL(fileURLWithPath: path).lastPathComponent, sha256: file.sha256,
      measurements: file.measurements,
      principal: authority.principal, repository: ground.repositoryID, role: authority.role,
      signedAt: Ledger.timestamp(now))
    let superseded = file.measurements.compactMap { measurement in
      ground.history.inForce(measurement.key).map { (new: measurement, old: $0) }
    }
    let record = try ground.append(.metrics, statement, signer: signer, now: now)
    return Imported(record: record, file: file, superseded: superseded)
  }

  /// Records the service review of `period` (`YYYY-MM`); returns it and the earlier reviews of
  /// the same period, which it does not replace but follows.
  public static func holdReview(
    period: String, summary: String, actions: [String], signer: StatementSigner, in repository: Repository,
    now: Date = Date()
  ) throws(PromptgateError) -> (record: Ledger.Record, earlier: [ImprovementHistory.Review]) {
    guard period.count == 7, let start = Period.start(period) else {
      throw PromptgateError.input("--period \(period) is not a month: write it as YYYY-MM (2026-11)")
    }
    guard start <= Int64(now.timeIntervalSince1970) else {
      throw PromptgateError.input(
        "--period \(period) has not begun: a review looks back on a period that has happened")
    }
    let summaryText = summary.trimmingWhitespace
    guard !summaryText.isEmpty else {
      throw PromptgateError.input("--summary is empty: say in a sentence what the review found")
    }
    let actionTexts = actions.map(\.trimmingWhitespace)
    if actionTexts.contains(where: \.isEmpty) {
      throw PromptgateError.input("an --action is empty: say what will be done, or leave the option out")
    }
    let ground = try Ground(.review, in: repository)
    let authority = try ImprovementAuthority.authorize(
      .review, key: signer.publicKey, principal: signer.principal, rules: ground.rules, at: now)
    let statement = ReviewStatement(
      period: period, summary: summaryText, actions: actionTexts, principal: authority.principal,
      repository: ground.repositoryID, role: authority.role, signedAt: Ledger.timestamp(now))
    let record = try ground.append(.review, statement, signer: signer, now: now)
    return (record, ground.history.reviews.filter { $0.period == period })
  }

  /// The review status as the ledger stands, for `status`: nil when the runbook in force sets no
  /// cadence or nothing was released.
  public static func reviewDue(_ ledger: Ledger, now: Date = Date()) throws(PromptgateError)
    -> ImprovementHistory.ReviewDue?
  {
    guard try ledger.head() != nil else { return nil }
    guard
      let rules = try? ImprovementAuthority.rules(
        deployed: try ReleaseBasis.deployedNow(ledger), for: .review, in: ledger.repository),
      let cadence = rules.runbook.reviewCadence
    else { return nil }
    return try ImprovementHistory.read(ledger).reviewDue(cadence, now: Int64(now.timeIntervalSince1970))
  }
}
