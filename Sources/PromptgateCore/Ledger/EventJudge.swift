import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Re-judges each event as the ledger stood when it was recorded (SPEC §7), oldest first:
/// one repository throughout, times never going back, every statement signed by its principal
/// and matching its event, every move signed by a role the rules of that moment allow, every
/// release's gates passing again against the base it had to have, with the approvals recorded
/// before it, at its own time; every rollback to a release that was good then.
///
/// What only the ledger's data decides is a problem (a forgery). A content gate whose verdict
/// differs only because promptgate changed is a notice naming both versions.
struct EventJudge {
  let ledger: Ledger
  /// The repository id of the first event: every event carries it.
  private(set) var repository: String?
  private(set) var lastTime: String?
  /// The first signed move: from there on an unsigned move is a forgery. Moves recorded before
  /// (by a promptgate that did not sign them) are judged by their gates and kept as notices.
  private(set) var firstSignedMove: Int?
  /// Each environment as the events so far made it.
  private(set) var folds: [String: EnvironmentStateCache] = [:]

  /// When the audit runs: no event may be dated after it (beyond the clock skew).
  let now = Date()

  init(ledger: Ledger) { self.ledger = ledger }

  struct Verdict {
    var problems: [String] = []
    var notices: [String] = []
  }

  /// Judges `record`, then counts it into the state the next event is judged against.
  mutating func judge(_ record: Ledger.Record) -> Verdict {
    var verdict = Verdict()
    let event = record.event
    if let repository, event.repository != repository {
      verdict.problems.append(
        "it names the repository \(event.repository.prefix(7)), but the ledger's first event names "
          + "\(repository.prefix(7)): events of another repository were copied in")
    }
    repository = repository ?? event.repository
    guard let time = Timestamp.date(event.time) else {
      verdict.problems.append("its time \(event.time) is not an RFC 3339 time")
      return verdict
    }
    if time > now.addingTimeInterval(Statement.clockSkew) {
      verdict.problems.append(
        "it is dated \(event.time), in the future: a clock set ahead, or a forged time; nothing after it can be "
          + "recorded in order")
    }
    if let lastTime, let last = Timestamp.date(lastTime), time < last {
      verdict.problems.append(
        "it is dated \(event.time), before the event recorded ahead of it (\(lastTime)): the ledger's times "
          + "never go back")
    } else {
      lastTime = event.time
    }
    if event.isImprovement {
      // A metrics import or a review moves nothing: its signature and signer are what count.
      verdict.problems += ImprovementJudge.problems(
        record, at: time, deployed: deployedSnapshot(), in: ledger.repository)
      return verdict
    }
    // Evidence names no environment: its statement, signer and role are judged in EventJudge+Evidence.
    verdict.problems +=
      event.kind == .evidence
      ? evidenceProblems(record, recordedAt: time) : signatureProblems(record, recordedAt: time)
    if event.move != nil {
      if event.statement == nil {
        if let firstSignedMove {
          verdict.problems.append(
            "an unsigned \(event.kind.rawValue): every move is signed since #\(firstSignedMove)")
        } else {
          verdict.notices.append(
            "an unsigned \(event.kind.rawValue), recorded before moves were signed (promptgate 0.1)")
        }
      } else if firstSignedMove == nil {
        firstSignedMove = event.sequence
      }
      let judged = judgeMove(record, at: time)
      verdict.problems += judged.problems
      verdict.notices += judged.notices
    }
    if let environment = event.environment, event.move != nil {
      folds[environment, default: EnvironmentStateCache()].add(record)
    }
    return verdict
  }

  // MARK: - Signatures

  /// A signed event's statement must be signed by its principal's key, in the namespace for its
  /// kind, match its event, and not be signed after it was recorded.
  private func signatureProblems(_ record: Ledger.Record, recordedAt time: Date) -> [String] {
    let event = record.event
    let mustSign = event.kind == .approval || event.kind == .rejection || event.kind == .override
    guard let statement = event.statement else {
      if record.signature != nil || event.carriesStatement {
        return ["it carries no readable signed statement"]
      }
      return mustSign ? ["a \(event.kind.rawValue) event must be signed"] : []
    }
    guard event.actor == statement.principal, event.release == statement.release,
      event.environment == statement.environment, event.repository == statement.repository
    else { return ["the event does not match the statement it carries"] }
    switch StatementSignature.check(record, statement, recorded: time).refusal {
    case .unsigned: return ["a \(event.kind.rawValue) event must be signed"]
    case .some(let refusal): return [refusal.message]
    case nil: return []
    }
  }

  // MARK: - Moves

  private func judgeMove(_ record: Ledger.Record, at time: Date) -> Verdict {
    let event = record.event
    guard let environment = event.environment, let release = event.release, let move = event.move else {
      return Verdict(problems: ["a \(event.kind.rawValue) event names no environment and release"])
    }
    let repository = ledger.repository
    guard let id = ObjectID(hex: release.commit), let commit = try? repository.commit(id) else {
      return Verdict(problems: [
        "it moves \(environment) to \(release.commit.prefix(7)), which is not in this clone, so it cannot be judged "
          + "again; fetch it (git fetch origin \(release.commit), or git fetch --unshallow)"
      ])
    }
    let fold = folds[environment] ?? EnvironmentStateCache()
    var verdict = Verdict()
    if let decided = event.decidedOn, decided != fold.deployed {
      verdict.problems.append(
        "it says \(environment) ran \(decided.map { String($0.commit.prefix(7)) } ?? "nothing"), but it ran "
          + "\(fold.deployed.map { String($0.commit.prefix(7)) } ?? "nothing") then")
    }
    do {
      if let anchor = self.repository { try RepositoryAnchor.check(commit, anchor: anchor, in: repository) }
      switch move {
      case .release, .override:
        let judged = try judgeRelease(record, commit: commit, fold: fold, at: time)
        verdict.problems += judged.problems
        verdict.notices += judged.notices
      case .rollback:
        verdict.problems += rollbackProblems(event, fold: fold)
        verdict.problems += authorityProblems(
          record, rules: try rulesOfWhatRuns(environment, fold: fold, fallback: commit), at: time)
      case .markBad:
        verdict.problems += authorityProblems(
          record, rules: try rulesOfWhatRuns(environment, fold: fold, fallback: commit), at: time)
      }
    } catch {
      verdict.problems.append(error.message)
    }
    return verdict
  }

  /// A release, blocked attempt or override: the base it had to have, the signer's role, and
  /// its gates run again as they stood.
  private func judgeRelease(
    _ record: Ledger.Record, commit: Commit, fold: EnvironmentStateCache, at time: Date
  )
    throws(PromptgateError) -> Verdict
  {
    let event = record.event
    let environment = event.environment ?? ""
    let repository = ledger.repository
    var verdict = Verdict()
    let recordedBase = event.judgedAgainst
    let basis: ReleaseBasis
    if event.statement != nil {
      // Signed events chose their base by the rule of SPEC §3: it must be that base.
      basis = try ReleaseBasis.forEnvironment(
        environment, release: commit, deployed: deployedSnapshot(), in: repository)
      if basis.base?.id.hex != recordedBase?.commit {
        verdict.problems.append(
          "it was judged against \(recordedBase.map { String($0.commit.prefix(7)) } ?? "no base"), but its base "
            + "was \(basis.base.map { $0.id.short() } ?? "none (a first release)"): \(basis.note)")
        return verdict
      }
      verdict.problems += authorityProblems(
        record, rules: try MoveAuthority.Rules(commit: basis.rules, in: repository), at: time)
    } else {
      // An unsigned event of promptgate 0.1 judged against what it recorded.
      let base = try recordedBase.map { release throws(PromptgateError) in
        guard let id = ObjectID(hex: release.commit), let base = try? repository.commit(id) else {
          throw PromptgateError(
            .blocked, "its base \(release.commit.prefix(7)) is not in this clone; fetch it")
        }
        return base
      }
      var rules = commit
      if let base, try Runbook.load(from: base, in: repository)?.runbook != nil { rules = base }
      basis = ReleaseBasis(base: base, rules: rules, note: "the base it recorded (promptgate 0.1)")
    }
    if event.kind == .blocked {
      // A blocked attempt moved nothing: its signer and outcome are what count.
      if event.moveStatement.map({ $0.outcome != .blocked }) == true {
        verdict.problems.append("its signed statement records a release, not a blocked attempt")
      }
      return verdict
    }
    let pending = try fold.pendingRollback.map { commit throws(PromptgateError) in
      try ledger.record(commit).event
    }
    let after = try Runbook.load(from: basis.rules, in: repository)?.runbook?.environment(environment)?.after
    let predecessor = after.map { name in
      EnvironmentState(name, fold: folds[name] ?? EnvironmentStateCache(), pendingRollback: nil)
    }
    let report = try GateEngine.check(
      commit, basis: basis, environment: environment, ledger: ledger,
      environmentState: EnvironmentState(environment, fold: fold, pendingRollback: pending),
      predecessor: .some(predecessor), now: time, recordedBefore: event.sequence, in: repository)
    let quarantined = fold.quarantine[commit.id.hex]
    switch event.kind {
    case .release:
      if event.moveStatement.map({ $0.outcome != .release }) == true {
        verdict.problems.append("its signed statement records a blocked attempt, not a release")
      }
      if let quarantined {
        verdict.problems.append(
          "it releases \(commit.id.short()), which was \(quarantined) there, without an override")
      }
      verdict.problems += gateProblems(report, event: event, notices: &verdict.notices)
    case .override:
      if report.passed && quarantined == nil {
        verdict.problems.append(
          "it overrides gates that pass: an override is only for a release its gates block")
      }
    default:
      break
    }
    return verdict
  }

  /// The gates a release failed when judged again: hard failures where the ledger's own data
  /// decides (approvals, the incident to answer, gate files), notices where only promptgate's
  /// code may have changed.
  private func gateProblems(_ report: CheckReport, event: LedgerEvent, notices: inout [String]) -> [String] {
    let failures = report.blockingFailures
    guard !failures.isEmpty else { return [] }
    let ledgerDecided = GateKind.countingApprovals.union([
      "incident-follow-up", "promotion", "gate-files", "evidence",
    ])
    let judgedBy = event.moveStatement?.judgedBy
    let sameCode =
      judgedBy?.version == PromptgateVersion.current && judgedBy?.gatePack == GatePack.standardDigest
    let detail: (GateResult) -> String = { gate in
      gate.id + (gate.diagnostics.first(where: { $0.severity != .note }).map { " (\($0.message))" } ?? "")
    }
    let hard = failures.filter { ledgerDecided.contains($0.kind) || sameCode }
    if hard.isEmpty {
      notices.append(
        "\(failures.map(\.id).joined(separator: ", ")) now fail\(failures.count == 1 ? "s" : ""): it was judged by "
          + "promptgate \(judgedBy?.version ?? "0.1") and this is \(PromptgateVersion.current), whose gates changed"
      )
      return []
    }
    return [
      "its gates fail when judged again as it was recorded: "
        + hard.map(detail).joined(separator: "; ")
    ]
  }

  /// A rollback goes from what ran to a release that was good there then.
  private func rollbackProblems(_ event: LedgerEvent, fold: EnvironmentStateCache) -> [String] {
    guard let target = event.release else { return [] }
    guard target != fold.deployed else { return ["it rolls back to what already ran"] }
    guard let deployment = fold.deployments.last(where: { $0.release == target }) else {
      return ["its target \(target.commit.prefix(7)) was never released there"]
    }
    if let bad = deployment.bad { return ["its target \(target.commit.prefix(7)) was \(bad) then"] }
    return []
  }

  /// The rules a rollback or mark-bad is judged by: those of what the environment ran.
  private func rulesOfWhatRuns(_ environment: String, fold: EnvironmentStateCache, fallback: Commit)
    throws(PromptgateError) -> MoveAuthority.Rules
  {
    let repository = ledger.repository
    let running = fold.deployed.flatMap { ObjectID(hex: $0.commit) }.flatMap { try? repository.commit($0) }
    let basis = try ReleaseBasis.forEnvironment(
      environment, release: running ?? fallback, deployed: deployedSnapshot(), in: repository)
    return try MoveAuthority.Rules(commit: basis.rules, in: repository)
  }

  /// The signer of a signed move held a role allowed for it, with a key the rules list and do
  /// not revoke, when it was recorded.
  private func authorityProblems(_ record: Ledger.Record, rules: MoveAuthority.Rules, at time: Date)
    -> [String]
  {
    guard let move = record.event.move, let statement = record.event.statement,
      let signature = record.signature.flatMap({ try? SSHSignature(armored: $0) })
    else { return [] }
    return MoveAuthority.refusal(
      move, environment: statement.environment, principal: statement.principal, role: statement.role,
      key: signature.publicKey, namespace: signature.namespace, rules: rules, at: time
    ).map { ["its signer may not make it: \($0)"] } ?? []
  }

  func deployedSnapshot() -> ReleaseBasis.Deployed {
    var deployed: ReleaseBasis.Deployed = [:]
    for (name, fold) in folds {
      if let release = fold.deployed, let since = fold.deployedBy { deployed[name] = (release, since) }
    }
    return deployed
  }

  // MARK: - What is kept between runs

  var json: JSONValue {
    .object([
      "repository": repository.map(JSONValue.string) ?? .null,
      "last_time": lastTime.map(JSONValue.string) ?? .null,
      "first_signed_move": firstSignedMove.map { .integer(Int64($0)) } ?? .null,
      "environments": .object(folds.mapValues(\.json)),
    ])
  }

  init?(json: JSONValue, ledger: Ledger) {
    guard case .object(let environments)? = json["environments"] else { return nil }
    self.ledger = ledger
    repository = json["repository"]?.string
    lastTime = json["last_time"]?.string
    firstSignedMove = json["first_signed_move"]?.integer.map(Int.init)
    for (name, value) in environments {
      guard let fold = EnvironmentStateCache(json: value) else { return nil }
      folds[name] = fold
    }
  }
}
