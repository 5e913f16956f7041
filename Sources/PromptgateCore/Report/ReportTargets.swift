import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Judges a report against the runbook in force (SPEC §6 `report`):
///
/// - Targets of an environment come from the runbook of the release it ran at the end of the
///   range (else the newest deployed anywhere): `reliability.slo` for the measurements,
///   `reliability.rollback.max_recovery_minutes` for recoveries.
/// - A measurement counts in the report period holding its `period_start`; the newest import of
///   an environment, period and metric is in force, the values it replaced are listed with it.
/// - An incident is a rollback; the release that answered it is the first release into that
///   environment after it that names the incident (`Incident:` trailer or
///   `improvement.incidents`), else it is open.
/// - Reviews: every period of `improvement.review_cadence` that overlaps the range, held or
///   missed (its review was due by the end of the period after it, and none was recorded).
enum ReportTargets {
  static func judge(
    _ report: inout Report, ledger: Ledger, options: ReportOptions, events: [String: [LedgerEvent]],
    now: Int64
  ) throws(PromptgateError) {
    let repository = ledger.repository
    let history = try ImprovementHistory.read(ledger)
    var runbooks: [String: Runbook?] = [:]
    func runbook(of commitHex: String) -> Runbook? {
      if let known = runbooks[commitHex] { return known }
      let loaded = ObjectID(hex: commitHex).flatMap { try? repository.commit($0) }.flatMap {
        try? Runbook.load(from: $0, in: repository)?.runbook
      }
      runbooks[commitHex] = loaded
      return loaded
    }
    let inForce = try? ImprovementAuthority.rules(
      deployed: try ReleaseBasis.deployedNow(ledger), for: .review, in: repository)
    let serviceRunbook = inForce?.runbook
    report.service = ServiceInfo(
      name: serviceRunbook?.service?.name, client: serviceRunbook?.service?.client,
      rulesFrom: inForce?.commit.id.hex)

    /// The runbook of what `name` ran at the end of the range.
    func rules(_ name: String) -> Runbook? {
      let ran = (events[name] ?? []).last { event in
        guard [.release, .override, .rollback].contains(event.kind),
          let time = Timestamp.seconds(rfc3339: event.time)
        else { return false }
        return options.until.map { time <= $0 } ?? true
      }
      return ran?.release.flatMap { runbook(of: $0.commit) } ?? serviceRunbook
    }

    // Environments with measurements but no events in range still get their section.
    let measured = history.current.filter { recorded in
      let start = Timestamp.seconds(rfc3339: recorded.measurement.periodStart) ?? 0
      return options.contains(start)
        && (options.environment == nil || options.environment == recorded.measurement.environment)
    }
    for name in Set(measured.map(\.measurement.environment)).sorted()
    where !report.environments.contains(where: { $0.name == name }) {
      report.environments.append(Self.empty(name, options: options))
    }
    report.environments.sort { $0.name < $1.name }

    var summary = Tally()
    for index in report.environments.indices {
      let name = report.environments[index].name
      let runbook = rules(name)
      let target = runbook?.rollback?.maxRecoveryMinutes
      report.environments[index].maxRecoveryMinutes = target
      for recovery in report.environments[index].recoveries.indices {
        report.environments[index].recoveries[recovery].targetMinutes = target
      }
      report.environments[index].incidents = incidents(
        report.environments[index].recoveries, events: events[name] ?? [], runbook: runbook(of:),
        in: repository)
      let targets = Dictionary(
        (runbook?.slo ?? []).compactMap { entry in entry.value.number.map { (entry.name, $0) } },
        uniquingKeysWith: { first, _ in first })
      report.environments[index].measurements = measured.filter { $0.measurement.environment == name }
        .map { recorded in
          let measurement = recorded.measurement
          let start = Timestamp.seconds(rfc3339: measurement.periodStart) ?? 0
          let goal = targets[measurement.metric]
          return MeasurementResult(
            period: Self.label(from: start, to: Timestamp.seconds(rfc3339: measurement.periodEnd) ?? start),
            metric: measurement.metric,
            value: measurement.value, unit: measurement.unit, periodStart: measurement.periodStart,
            periodEnd: measurement.periodEnd, source: measurement.source, sequence: recorded.sequence,
            target: goal, comparison: goal.map { _ in KnownMetric.comparison(measurement.metric) },
            met: goal.map { KnownMetric.meets(measurement.metric, value: measurement.value, target: $0) },
            superseded: history.measurements.filter {
              $0.supersededBy != nil && $0.measurement.key == measurement.key
            }.map { SupersededValue(value: $0.measurement.value, sequence: $0.sequence, actor: $0.actor) })
        }
        .sorted { ($0.periodStart, $0.metric) < ($1.periodStart, $1.metric) }
      summary.add(report.environments[index])
    }
    report.measurementsInRange = measured.count

    if let cadence = serviceRunbook?.reviewCadence {
      let periods = history.reviewPeriods(cadence, through: now).filter { period in
        (options.since.map { period.end > $0 } ?? true) && (options.until.map { period.start <= $0 } ?? true)
      }
      let reviews = Dictionary(
        history.reviews.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
      report.reviews = ReviewsReport(
        cadence: cadence,
        periods: periods.map { period in
          ReviewPeriodReport(
            period: period.label, due: Timestamp.day(period.due - 1),
            status: !period.reviews.isEmpty ? .held : period.due <= now ? .missed : .due,
            reviews: period.reviews.compactMap { reviews[$0] }.map {
              ReviewHeld(
                sequence: $0.sequence, time: $0.time, actor: $0.actor, summary: $0.summary,
                actions: $0.actions)
            })
        })
      summary.reviewsHeld = report.reviews?.periods.filter { $0.status == .held }.count ?? 0
      summary.reviewsMissed = report.reviews?.periods.filter { $0.status == .missed }.count ?? 0
    }
    report.summary = summary.summary
  }

  /// Each rollback as an incident, with the release here that answered it: a release or
  /// override after it that names it, up to the first release (which the incident-follow-up
  /// gate made name it) or the next rollback (a new incident), whichever comes first.
  private static func incidents(
    _ recoveries: [Recovery], events: [LedgerEvent], runbook: (String) -> Runbook?, in repository: Repository
  ) -> [IncidentReport] {
    var position: [Int: Int] = [:]
    for (index, event) in events.enumerated() { position[event.sequence] = index }
    return recoveries.map { recovery in
      var answer: LedgerEvent?
      for event in events[((position[recovery.sequence] ?? events.count - 1) + 1)...] {
        if event.kind == .rollback { break }
        guard event.kind == .release || event.kind == .override, let release = event.release else { continue }
        if let commit = ObjectID(hex: release.commit).flatMap({ try? repository.commit($0) }) {
          let base = event.judgedAgainst.flatMap { ObjectID(hex: $0.commit) }.flatMap {
            try? repository.commit($0)
          }
          let named =
            (runbook(release.commit)?.incidents ?? [])
            + IncidentTrailers.named(release: commit, base: base, in: repository)
          if recovery.incident.map(named.contains) ?? !named.isEmpty {
            answer = event
            break
          }
        }
        if event.kind == .release { break }
      }
      return IncidentReport(
        id: recovery.incident, rollback: recovery.sequence, reason: recovery.reason,
        startedAt: recovery.startedAt, startSource: recovery.startSource, recoveredAt: recovery.time,
        recoverySeconds: recovery.seconds,
        answeredBy: answer.flatMap { event in
          event.release.map {
            IncidentReport.Answer(sequence: event.sequence, release: $0.commit, time: event.time)
          }
        })
    }
  }

  /// A measurement's own period as a person names it: `2026-11` for a calendar month,
  /// `2026-11-05` for a day, else `2026-11-01 to 2026-11-14` (the last day included).
  static func label(from start: Int64, to end: Int64) -> String {
    let month = ReportPeriod.month.bucket(containing: start)
    if month.start == start, month.end == end { return month.label }
    if end - start == 86_400, start % 86_400 == 0 { return Timestamp.day(start) }
    if start % 86_400 == 0, end % 86_400 == 0 {
      return "\(Timestamp.day(start)) to \(Timestamp.day(end - 86_400))"
    }
    return "\(Timestamp.rfc3339(start)) to \(Timestamp.rfc3339(end))"
  }

  private static func empty(_ name: String, options: ReportOptions) -> EnvironmentReport {
    EnvironmentReport(
      name: name,
      total: PeriodFigures(
        label: "total", start: options.since.map(Timestamp.rfc3339),
        end: options.until.map { Timestamp.rfc3339($0 + 1) },
        releases: 0, overrides: 0, blocked: 0, blockedGates: [], rollbacks: 0, markedBad: 0,
        failedReleases: 0,
        changeFailureRate: nil, timeToRecovery: DurationSummary([]), approvalLeadTime: DurationSummary([]),
        evidence: PeriodFigures.EvidenceShare(required: 0, complete: 0)),
      periods: [], exceptions: [], recoveries: [], timeline: [])
  }

  /// The counts behind the summary.
  private struct Tally {
    var sloJudged = 0
    var sloMet = 0
    var recoveries = 0
    var recoveriesJudged = 0
    var recoveriesOver = 0
    var exceptions = 0
    var incidents = 0
    var incidentsOpen = 0
    var reviewsHeld = 0
    var reviewsMissed = 0

    mutating func add(_ environment: EnvironmentReport) {
      let judged = environment.measurements.compactMap(\.met)
      sloJudged += judged.count
      sloMet += judged.filter { $0 }.count
      recoveries += environment.recoveries.count
      recoveriesJudged += environment.recoveries.compactMap(\.overTarget).count
      recoveriesOver += environment.recoveries.filter { $0.overTarget == true }.count
      exceptions += environment.exceptions.count
      incidents += environment.incidents.count
      incidentsOpen += environment.incidents.filter(\.open).count
    }

    var summary: ReportSummary {
      ReportSummary(
        sloJudged: sloJudged, sloMet: sloMet, recoveries: recoveries, recoveriesJudged: recoveriesJudged,
        recoveriesOverTarget: recoveriesOver, exceptions: exceptions, incidents: incidents,
        incidentsOpen: incidentsOpen, reviewsHeld: reviewsHeld, reviewsMissed: reviewsMissed)
    }
  }
}
