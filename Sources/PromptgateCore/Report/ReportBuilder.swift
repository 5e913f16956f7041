import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What a report covers: an instant range (both ends included), one environment or all, and
/// how to group.
public struct ReportOptions: Sendable {
  public var since: Int64?
  public var until: Int64?
  public var environment: String?
  public var period: ReportPeriod

  public init(
    since: Int64? = nil, until: Int64? = nil, environment: String? = nil, period: ReportPeriod = .month
  ) {
    self.since = since
    self.until = until
    self.environment = environment
    self.period = period
  }

  func contains(_ seconds: Int64) -> Bool {
    (since.map { seconds >= $0 } ?? true) && (until.map { seconds <= $0 } ?? true)
  }
}

/// Computes a ``Report`` from the ledger alone, in one pass over each environment's events
/// (found through the ledger's index, so `--env` reads only that environment's), reading an
/// approval only for the content of a release in range.
///
/// Rules, so a reader can check a figure by hand:
/// - A release (or override) counts in the period of its own time; it *failed* if the ledger
///   later rolls back from it or marks it bad in that environment, whenever that happens.
/// - Time to recovery counts in the period of the rollback: from the incident start the rollback
///   recorded (`--incident-start`), else from when the release rolled back from went in.
/// - Approval lead time: from the first approval of the release's content for that environment,
///   recorded before the release, to the release.
public enum ReportBuilder {
  /// More periods than this between an environment's first and last event are shown only where
  /// something happened, so a hostile timestamp cannot make a report of a million empty weeks.
  static let maximumFilledPeriods = 520

  public static func build(_ ledger: Ledger, options: ReportOptions, now: Date = Date())
    throws(PromptgateError)
    -> Report
  {
    if let environment = options.environment { try EnvironmentState.validate(environment) }
    let index = try ledger.currentIndex()
    let names = options.environment.map { [$0] } ?? index.environmentNames
    var approvalCache: [String: [LedgerEvent]] = [:]
    func approvals(_ tree: String) throws(PromptgateError) -> [LedgerEvent] {
      if let cached = approvalCache[tree] { return cached }
      var events: [LedgerEvent] = []
      for commit in index.decisions(forTree: tree) {
        let event = try ledger.record(commit).event
        if event.kind == .approval { events.append(event) }
      }
      approvalCache[tree] = events
      return events
    }
    var builder = Accumulator(options: options)
    var byName: [String: [LedgerEvent]] = [:]
    for name in names {
      var events: [LedgerEvent] = []
      for commit in index.commits(ofEnvironment: name) {
        events.append(try ledger.record(commit).event)
      }
      try builder.add(environment: name, events: events, approvals: approvals)
      byName[name] = events
    }
    var report = builder.report(ledgerHead: index.head?.hex, ledgerEvents: index.count)
    try ReportTargets.judge(
      &report, ledger: ledger, options: options, events: byName, now: Int64(now.timeIntervalSince1970))
    return report
  }

  /// The same computation from events in hand (each environment's oldest first, and the
  /// approvals of a release content), for tests and tools that hold events already.
  public static func build(
    environments: [(name: String, events: [LedgerEvent])], approvals: [String: [LedgerEvent]],
    options: ReportOptions, ledgerHead: String? = nil, ledgerEvents: Int = 0
  ) -> Report {
    var builder = Accumulator(options: options)
    for (name, events) in environments where options.environment == nil || options.environment == name {
      builder.add(environment: name, events: events) { tree in
        (approvals[tree] ?? []).filter { $0.kind == .approval }
      }
    }
    return builder.report(ledgerHead: ledgerHead, ledgerEvents: ledgerEvents)
  }
}

/// Counts of one period while events are read.
private struct Tally {
  var releases = 0
  var overrides = 0
  var blocked = 0
  var gates: [String: Int] = [:]
  var rollbacks = 0
  var markedBad = 0
  var failed = 0
  var recoveries: [Int64] = []
  var leadTimes: [Int64] = []
  var withEvidence = 0
  var needingEvidence = 0

  mutating func merge(_ other: Tally) {
    releases += other.releases
    overrides += other.overrides
    blocked += other.blocked
    gates.merge(other.gates, uniquingKeysWith: +)
    rollbacks += other.rollbacks
    markedBad += other.markedBad
    failed += other.failed
    recoveries += other.recoveries
    leadTimes += other.leadTimes
    withEvidence += other.withEvidence
    needingEvidence += other.needingEvidence
  }

  func figures(label: String, start: Int64?, end: Int64?) -> PeriodFigures {
    PeriodFigures(
      label: label, start: start.map(Timestamp.rfc3339), end: end.map(Timestamp.rfc3339), releases: releases,
      overrides: overrides, blocked: blocked,
      blockedGates: gates.map { GateCount(gate: $0.key, count: $0.value) }.sorted {
        ($0.count, $1.gate) > ($1.count, $0.gate)
      },
      rollbacks: rollbacks, markedBad: markedBad, failedReleases: failed,
      changeFailureRate: releases == 0 ? nil : Double(failed) / Double(releases),
      timeToRecovery: DurationSummary(recoveries), approvalLeadTime: DurationSummary(leadTimes),
      evidence: PeriodFigures.EvidenceShare(required: needingEvidence, complete: withEvidence))
  }
}

private struct Accumulator {
  let options: ReportOptions
  var environments: [EnvironmentReport] = []
  var eventsInRange = 0
  var undated = 0

  init(options: ReportOptions) { self.options = options }

  mutating func add<Failure: Error>(
    environment name: String, events: [LedgerEvent],
    approvals: (_ tree: String) throws(Failure) -> [LedgerEvent]
  ) throws(Failure) {
    // First: the last time each release was rolled back from or marked bad here.
    var lastFailure: [String: Int] = [:]
    for event in events {
      let bad: String? =
        switch event.kind {
        case .rollback: event.rolledBackFrom?.commit
        case .markBad: event.release?.commit
        default: nil
        }
      if let bad { lastFailure[bad] = max(lastFailure[bad] ?? 0, event.sequence) }
    }
    var tallies: [Int64: (bucket: ReportPeriod.Bucket, tally: Tally)] = [:]
    var exceptions: [ComplianceException] = []
    var recoveries: [Recovery] = []
    var timeline: [TimelineEntry] = []
    var deployedAt: [String: Int64] = [:]
    var first: Int64?
    var last: Int64?
    for event in events {
      guard let time = Timestamp.seconds(rfc3339: event.time) else {
        undated += 1
        continue
      }
      let inRange = options.contains(time)
      let commit = event.release?.commit
      defer {
        // Whatever went in, went in at this time: a rollback deploys its target.
        if let commit, [.release, .override, .rollback].contains(event.kind) { deployedAt[commit] = time }
      }
      guard inRange, !event.kind.isIndependent else { continue }
      eventsInRange += 1
      first = min(first ?? time, time)
      last = max(last ?? time, time)
      let bucket = options.period.bucket(containing: time)
      var tally = tallies[bucket.start]?.tally ?? Tally()
      var failed = false
      switch event.kind {
      case .release, .override:
        tally.releases += 1
        if let gate = event.gateResults.first(where: { $0.id == "evidence-recorded" }),
          gate.status != "not-applicable"
        {
          tally.needingEvidence += 1
          if gate.status == "pass" { tally.withEvidence += 1 }
        }
        failed = commit.map { (lastFailure[$0] ?? 0) > event.sequence } ?? false
        if failed { tally.failed += 1 }
        if event.kind == .override {
          tally.overrides += 1
          // `release --override` signs a statement with the reason and the role, and records
          // the gates it went past.
          exceptions.append(
            ComplianceException(
              sequence: event.sequence, time: event.time, actor: event.actor,
              role: event.signedRole, release: commit, reason: event.reason ?? "",
              overridden: event.failedGates))
        }
        if let tree = event.release?.tree,
          let approved = try approvals(tree).first(where: {
            $0.environment == name && $0.sequence < event.sequence
          }), let approvedAt = Timestamp.seconds(rfc3339: approved.time)
        {
          tally.leadTimes.append(max(0, time - approvedAt))
        }
      case .blocked:
        tally.blocked += 1
        for gate in event.failedGates {
          tally.gates[gate, default: 0] += 1
        }
      case .rollback:
        tally.rollbacks += 1
        let from = event.rolledBackFrom?.commit
        var start: Int64?
        var source = Recovery.StartSource.unknown
        if let incident = event.incidentStart.flatMap(Timestamp.seconds(rfc3339:)) {
          (start, source) = (incident, .incidentStart)
        } else if let deployed = from.flatMap({ deployedAt[$0] }) {
          (start, source) = (deployed, .deploy)
        }
        let seconds = start.map { max(0, time - $0) }
        if let seconds { tally.recoveries.append(seconds) }
        recoveries.append(
          Recovery(
            sequence: event.sequence, time: event.time, from: from, to: commit,
            startedAt: start.map(Timestamp.rfc3339), startSource: source, seconds: seconds,
            reason: event.reason ?? "", incident: event.incident))
      case .markBad:
        tally.markedBad += 1
      case .approval, .rejection, .evidence, .metrics, .review:
        break
      }
      tallies[bucket.start] = (bucket, tally)
      timeline.append(
        TimelineEntry(
          sequence: event.sequence, time: event.time, seconds: time, kind: event.kind, release: commit,
          failed: failed))
    }
    guard let first, let last else {
      // Asked for by name, an environment with nothing in range still gets its (empty) line.
      if options.environment == name {
        environments.append(
          EnvironmentReport(
            name: name, total: Tally().figures(label: "total", start: options.since, end: nil), periods: [],
            exceptions: [], recoveries: [], timeline: []))
      }
      return
    }
    var total = Tally()
    for (_, tally) in tallies.values { total.merge(tally) }
    environments.append(
      EnvironmentReport(
        name: name,
        total: total.figures(label: "total", start: options.since, end: options.until.map { $0 + 1 }),
        periods: periods(tallies, from: options.since ?? first, to: options.until ?? last),
        exceptions: exceptions, recoveries: recoveries, timeline: timeline))
  }

  /// Every period from the one holding `from` to the one holding `to`, empty ones included,
  /// unless there would be too many; then only those with events.
  private func periods(
    _ tallies: [Int64: (bucket: ReportPeriod.Bucket, tally: Tally)], from: Int64, to: Int64
  )
    -> [PeriodFigures]
  {
    var buckets: [ReportPeriod.Bucket] = []
    var bucket = options.period.bucket(containing: from)
    while bucket.start <= to, buckets.count <= ReportBuilder.maximumFilledPeriods {
      buckets.append(bucket)
      bucket = options.period.next(after: bucket)
    }
    if buckets.count > ReportBuilder.maximumFilledPeriods {
      buckets = tallies.values.map(\.bucket).sorted { $0.start < $1.start }
    }
    return buckets.map { bucket in
      (tallies[bucket.start]?.tally ?? Tally()).figures(
        label: bucket.label, start: bucket.start, end: bucket.end)
    }
  }

  func report(ledgerHead: String?, ledgerEvents: Int) -> Report {
    Report(
      since: options.since.map(Timestamp.rfc3339), until: options.until.map(Timestamp.rfc3339),
      period: options.period, environmentFilter: options.environment, ledgerHead: ledgerHead,
      ledgerEvents: ledgerEvents, eventsInRange: eventsInRange, undatedEvents: undated,
      environments: environments)
  }
}
