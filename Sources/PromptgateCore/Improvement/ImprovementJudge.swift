import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// How `audit verify` re-judges a `metrics` or `review` event (SPEC §7): its statement is
/// readable and signed in the namespace `promptgate` by its principal, matches its event, was
/// not signed after it was recorded, and its signer held a role allowed for it — in the rules in
/// force at that point of the ledger — with a key those rules list and do not revoke. A metrics
/// import's known metrics are checked for range again, so an insider writing the ledger directly
/// cannot record a CSAT of 9.
enum ImprovementJudge {
  static func problems(
    _ record: Ledger.Record, at time: Date, deployed: ReleaseBasis.Deployed, in repository: Repository
  ) -> [String] {
    let event = record.event
    let act: ImprovementAct = event.kind == .metrics ? .metrics : .review
    guard let statement = event.improvementStatement else {
      return ["it carries no readable signed statement of \(act.noun)"]
    }
    guard event.actor == statement.principal, event.repository == statement.repository,
      event.environment == nil,
      event.release == nil
    else { return ["the event does not match the statement it carries"] }
    let checked = StatementSignature.check(
      record, kind: statement.kind, signedBytes: statement.signedBytes, signedAt: statement.signedAt,
      recorded: time)
    if let refusal = checked.refusal {
      return [refusal == .unsigned ? "\(act.noun) must be signed" : refusal.message]
    }
    guard let signature = checked.signature else { return [StatementSignature.Refusal.unreadable.message] }
    var problems: [String] = []
    do {
      let rules = try ImprovementAuthority.rules(deployed: deployed, for: act, in: repository)
      if let refusal = ImprovementAuthority.refusal(
        act, principal: statement.principal, role: statement.role, key: signature.publicKey,
        namespace: signature.namespace, rules: rules, at: time)
      {
        problems.append("its signer may not make it: \(refusal)")
      }
    } catch {
      problems.append(error.message)
    }
    for measurement in event.metricsStatement?.measurements ?? [] {
      if let known = KnownMetric.named(measurement.metric),
        case .failure(let problem) = known.normalize(measurement.value, unit: measurement.unit)
      {
        problems.append("it records \(measurement.metric) of \(measurement.environment): \(problem.message)")
        break
      }
    }
    return problems
  }
}
