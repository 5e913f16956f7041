/// What `promptgate report` found in the ledger (SPEC §6): per environment and period, the
/// releases, blocked attempts and the gates that blocked them, rollbacks, change failure rate,
/// time to recovery, compliance exceptions and approval lead time. Computed from the ledger
/// alone; only ever encoded (`--format json`), never read back.
public struct Report: Sendable, Encodable {
  /// The instants the report covers, both included; nil for an open end.
  public let since: String?
  public let until: String?
  public let period: ReportPeriod
  /// The environment asked for with `--env`, nil for all.
  public let environmentFilter: String?
  /// The ledger the figures come from: its head and how many events it holds.
  public let ledgerHead: String?
  public let ledgerEvents: Int
  /// Events of the environments in range (approvals are not counted).
  public let eventsInRange: Int
  /// Events whose `time` is not RFC 3339, so no period can hold them; left out of every figure.
  public let undatedEvents: Int
  public internal(set) var environments: [EnvironmentReport]
  /// The service and its client, from the runbook in force.
  public internal(set) var service: ServiceInfo? = nil
  /// The reviews `improvement.review_cadence` asked for in range, held or missed.
  public internal(set) var reviews: ReviewsReport? = nil
  /// The whole report in a few numbers.
  public internal(set) var summary: ReportSummary? = nil
  /// Imported measurements in range (in force, not superseded).
  public internal(set) var measurementsInRange = 0

  /// Nothing happened in range: a report that says so, not an error.
  public var isEmpty: Bool {
    eventsInRange == 0 && measurementsInRange == 0
      && (reviews?.periods.allSatisfy { $0.reviews.isEmpty } ?? true)
  }

  enum CodingKeys: String, CodingKey {
    case since, until, period, environmentFilter = "environment", ledgerHead = "ledger_head"
    case ledgerEvents = "ledger_events", eventsInRange = "events_in_range", undatedEvents = "undated_events"
    case environments, empty, service, reviews, summary
    case measurementsInRange = "measurements_in_range"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(since, forKey: .since)
    try container.encode(until, forKey: .until)
    try container.encode(period, forKey: .period)
    try container.encode(environmentFilter, forKey: .environmentFilter)
    try container.encode(ledgerHead, forKey: .ledgerHead)
    try container.encode(ledgerEvents, forKey: .ledgerEvents)
    try container.encode(eventsInRange, forKey: .eventsInRange)
    try container.encode(undatedEvents, forKey: .undatedEvents)
    try container.encode(service, forKey: .service)
    try container.encode(summary, forKey: .summary)
    try container.encode(measurementsInRange, forKey: .measurementsInRange)
    try container.encode(environments, forKey: .environments)
    try container.encode(reviews, forKey: .reviews)
    try container.encode(isEmpty, forKey: .empty)
  }
}

/// One environment's figures: over the whole range, per period, and the events behind them.
public struct EnvironmentReport: Sendable, Encodable {
  public let name: String
  public let total: PeriodFigures
  /// Oldest first, every period from the first event's to the last's (gaps included).
  public let periods: [PeriodFigures]
  /// Overrides: releases that went in by break-glass.
  public let exceptions: [ComplianceException]
  public internal(set) var recoveries: [Recovery]
  /// Releases, overrides, blocked attempts, rollbacks and marks, oldest first.
  public let timeline: [TimelineEntry]
  /// Imported measurements in force, by period, beside their SLO targets.
  public internal(set) var measurements: [MeasurementResult] = []
  /// Rollbacks as incidents, with the release that answered each.
  public internal(set) var incidents: [IncidentReport] = []
  /// `reliability.rollback.max_recovery_minutes` of the runbook in force here.
  public internal(set) var maxRecoveryMinutes: Int? = nil

  enum CodingKeys: String, CodingKey {
    case name, total, periods, exceptions, recoveries, timeline, measurements, incidents
    case maxRecoveryMinutes = "max_recovery_minutes"
  }
}

/// The figures of one period (or of the whole range, labelled `total`).
public struct PeriodFigures: Sendable, Encodable {
  public let label: String
  /// RFC 3339; `end` excluded.
  public let start: String?
  public let end: String?
  /// Release and override events: what went into the environment by going forward.
  public let releases: Int
  public let overrides: Int
  public let blocked: Int
  /// Gate id → how many blocked attempts it failed, most first.
  public let blockedGates: [GateCount]
  public let rollbacks: Int
  public let markedBad: Int
  /// Releases of this period later rolled back from or marked bad.
  public let failedReleases: Int
  /// failedReleases / releases; nil without releases.
  public let changeFailureRate: Double?
  /// Rollbacks of this period: from the bad release's deploy (or the incident's start) to it.
  public let timeToRecovery: DurationSummary
  /// Releases of this period that had an approval: from their first approval to the release.
  public let approvalLeadTime: DurationSummary
  /// Releases and overrides the runbook required evidence for (their `evidence-recorded` gate
  /// applied), and how many of them shipped with all of it (the gate passed).
  public let evidence: EvidenceShare

  public struct EvidenceShare: Sendable, Encodable, Hashable {
    public let required: Int
    public let complete: Int
  }

  enum CodingKeys: String, CodingKey {
    case label, start, end, releases, overrides, blocked, blockedGates = "blocked_gates", rollbacks
    case markedBad = "marked_bad", failedReleases = "failed_releases", changeFailureRate =
      "change_failure_rate"
    case timeToRecovery = "time_to_recovery", approvalLeadTime = "approval_lead_time"
    case evidence
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(label, forKey: .label)
    try container.encode(start, forKey: .start)
    try container.encode(end, forKey: .end)
    try container.encode(releases, forKey: .releases)
    try container.encode(overrides, forKey: .overrides)
    try container.encode(blocked, forKey: .blocked)
    try container.encode(blockedGates, forKey: .blockedGates)
    try container.encode(rollbacks, forKey: .rollbacks)
    try container.encode(markedBad, forKey: .markedBad)
    try container.encode(failedReleases, forKey: .failedReleases)
    try container.encode(changeFailureRate, forKey: .changeFailureRate)
    try container.encode(timeToRecovery, forKey: .timeToRecovery)
    try container.encode(approvalLeadTime, forKey: .approvalLeadTime)
    try container.encode(evidence, forKey: .evidence)
  }
}

/// How often one gate blocked a release attempt.
public struct GateCount: Sendable, Encodable, Hashable {
  public let gate: String
  public let count: Int
}

/// Median and worst of a set of durations, in whole seconds; nil when there are none.
public struct DurationSummary: Sendable, Encodable, Hashable {
  public let count: Int
  /// The middle value, or the mean of the two middle values rounded down.
  public let medianSeconds: Int64?
  public let worstSeconds: Int64?

  public init(_ durations: [Int64]) {
    let sorted = durations.sorted()
    count = sorted.count
    if sorted.isEmpty {
      medianSeconds = nil
    } else if sorted.count % 2 == 1 {
      medianSeconds = sorted[sorted.count / 2]
    } else {
      medianSeconds = (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    worstSeconds = sorted.last
  }

  enum CodingKeys: String, CodingKey {
    case count, medianSeconds = "median_seconds", worstSeconds = "worst_seconds"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(count, forKey: .count)
    try container.encode(medianSeconds, forKey: .medianSeconds)
    try container.encode(worstSeconds, forKey: .worstSeconds)
  }
}

/// A break-glass release: who signed it, in which role, when, why, and what it went past.
public struct ComplianceException: Sendable, Encodable, Hashable {
  public let sequence: Int
  public let time: String
  public let actor: String
  /// The override role the signer held, from the signed statement.
  public let role: String?
  public let release: String?
  public let reason: String
  /// The gates that failed and were overridden (`quarantine` when the release was bad there).
  public let overridden: [String]

  enum CodingKeys: String, CodingKey {
    case sequence, time, actor, role, release, reason, overridden
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(sequence, forKey: .sequence)
    try container.encode(time, forKey: .time)
    try container.encode(actor, forKey: .actor)
    try container.encode(role, forKey: .role)
    try container.encode(release, forKey: .release)
    try container.encode(reason, forKey: .reason)
    try container.encode(overridden, forKey: .overridden)
  }
}

/// One rollback and how long the environment ran the bad release before it.
public struct Recovery: Sendable, Encodable, Hashable {
  public enum StartSource: String, Sendable, Encodable {
    /// `rollback --incident-start` said when the incident began.
    case incidentStart = "incident-start"
    /// When the bad release was deployed.
    case deploy
    /// The ledger does not say when the bad release went in.
    case unknown
  }

  public let sequence: Int
  public let time: String
  /// The bad release rolled back from, and the release rolled back to.
  public let from: String?
  public let to: String?
  public let startedAt: String?
  public let startSource: StartSource
  public let seconds: Int64?
  public let reason: String
  public let incident: String?
  /// `max_recovery_minutes` of the runbook in force, when it sets one.
  public internal(set) var targetMinutes: Int? = nil

  /// True when the recovery took longer than the target; nil without a target or a start.
  public var overTarget: Bool? {
    guard let targetMinutes, let seconds else { return nil }
    return seconds > Int64(targetMinutes) * 60
  }

  enum CodingKeys: String, CodingKey {
    case sequence, time, from, to, startedAt = "started_at", startSource = "start_source", seconds, reason
    case incident, targetMinutes = "target_minutes", overTarget = "over_target"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(sequence, forKey: .sequence)
    try container.encode(time, forKey: .time)
    try container.encode(from, forKey: .from)
    try container.encode(to, forKey: .to)
    try container.encode(startedAt, forKey: .startedAt)
    try container.encode(startSource, forKey: .startSource)
    try container.encode(seconds, forKey: .seconds)
    try container.encode(reason, forKey: .reason)
    try container.encode(incident, forKey: .incident)
    try container.encode(targetMinutes, forKey: .targetMinutes)
    try container.encode(overTarget, forKey: .overTarget)
  }
}

/// One event on an environment's timeline.
public struct TimelineEntry: Sendable, Encodable, Hashable {
  public let sequence: Int
  public let time: String
  /// Seconds since 1970, for charts.
  public let seconds: Int64
  public let kind: LedgerEvent.Kind
  public let release: String?
  /// A release or override later rolled back from or marked bad.
  public let failed: Bool
}
