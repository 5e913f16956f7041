/// What the report judges against the runbook in force (SPEC §6 `report`): the imported
/// measurements beside their SLO targets, recoveries beside `max_recovery_minutes`, incidents
/// and the releases that answered them, service reviews held and missed.

/// Who the service is and whom it is run for (`service.name`, `service.client`).
public struct ServiceInfo: Sendable, Encodable, Hashable {
  public let name: String?
  public let client: String?
  /// The release whose runbook is in force: the newest deployed.
  public let rulesFrom: String?

  enum CodingKeys: String, CodingKey {
    case name, client
    case rulesFrom = "rules_from"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(client, forKey: .client)
    try container.encode(rulesFrom, forKey: .rulesFrom)
  }
}

/// One imported measurement in force for a period of an environment, with its target.
public struct MeasurementResult: Sendable, Encodable, Hashable {
  /// The measurement's own period: `2026-11` (a month), `2026-11-05` (a day), or its first and
  /// last day.
  public let period: String
  public let metric: String
  public let value: Double
  public let unit: String
  public let periodStart: String
  public let periodEnd: String
  public let source: String
  /// The import that recorded it.
  public let sequence: Int
  /// The SLO target of `reliability.slo` with the same name, and how it is compared.
  public let target: Double?
  /// `at least` or `at most`; nil without a target.
  public let comparison: String?
  /// Whether the value meets the target; nil without a target.
  public let met: Bool?
  /// Earlier values of the same measurement that later imports replaced, oldest first.
  public let superseded: [SupersededValue]

  enum CodingKeys: String, CodingKey {
    case period, metric, value, unit, source, sequence, target, comparison, met, superseded
    case periodStart = "period_start", periodEnd = "period_end"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(period, forKey: .period)
    try container.encode(metric, forKey: .metric)
    try container.encode(value, forKey: .value)
    try container.encode(unit, forKey: .unit)
    try container.encode(periodStart, forKey: .periodStart)
    try container.encode(periodEnd, forKey: .periodEnd)
    try container.encode(source, forKey: .source)
    try container.encode(sequence, forKey: .sequence)
    try container.encode(target, forKey: .target)
    try container.encode(comparison, forKey: .comparison)
    try container.encode(met, forKey: .met)
    try container.encode(superseded, forKey: .superseded)
  }
}

/// A value an import recorded and a later one replaced.
public struct SupersededValue: Sendable, Encodable, Hashable {
  public let value: Double
  public let sequence: Int
  public let actor: String
}

/// An incident: a rollback, when it began, when service was recovered, and the release that
/// answered it (named it, by trailer or runbook), or none yet.
public struct IncidentReport: Sendable, Encodable, Hashable {
  /// The incident's id as `rollback --incident` gave it; nil when the rollback named none.
  public let id: String?
  public let rollback: Int
  public let reason: String
  public let startedAt: String?
  public let startSource: Recovery.StartSource
  public let recoveredAt: String
  public let recoverySeconds: Int64?
  /// The first release into the environment after the rollback that answered it.
  public let answeredBy: Answer?

  public struct Answer: Sendable, Encodable, Hashable {
    public let sequence: Int
    public let release: String
    public let time: String
  }

  /// True while no release has answered it.
  public var open: Bool { answeredBy == nil }

  enum CodingKeys: String, CodingKey {
    case id, rollback, reason, open
    case startedAt = "started_at", startSource = "start_source", recoveredAt = "recovered_at"
    case recoverySeconds = "recovery_seconds", answeredBy = "answered_by"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(rollback, forKey: .rollback)
    try container.encode(reason, forKey: .reason)
    try container.encode(startedAt, forKey: .startedAt)
    try container.encode(startSource, forKey: .startSource)
    try container.encode(recoveredAt, forKey: .recoveredAt)
    try container.encode(recoverySeconds, forKey: .recoverySeconds)
    try container.encode(answeredBy, forKey: .answeredBy)
    try container.encode(open, forKey: .open)
  }
}

/// The service reviews the cadence asked for in the report's range.
public struct ReviewsReport: Sendable, Encodable, Hashable {
  public let cadence: ReviewCadence
  public let periods: [ReviewPeriodReport]
}

public struct ReviewPeriodReport: Sendable, Encodable, Hashable {
  public enum Status: String, Sendable, Encodable {
    /// A review was recorded for it.
    case held
    /// None was, and it was due before now.
    case missed
    /// None yet, and it is not due yet.
    case due
  }

  public let period: String
  /// The last day its review is due on (`YYYY-MM-DD`): the end of the period after it.
  public let due: String
  public let status: Status
  public let reviews: [ReviewHeld]
}

public struct ReviewHeld: Sendable, Encodable, Hashable {
  public let sequence: Int
  public let time: String
  public let actor: String
  public let summary: String
  public let actions: [String]
}

/// The whole report in a few numbers, for the sentence on top: "2 of 3 SLOs met; 1 recovery
/// over target".
public struct ReportSummary: Sendable, Encodable, Hashable {
  /// Measurements judged against a target, and how many met it.
  public let sloJudged: Int
  public let sloMet: Int
  public let recoveries: Int
  /// Recoveries judged against `max_recovery_minutes`, and how many took longer.
  public let recoveriesJudged: Int
  public let recoveriesOverTarget: Int
  public let exceptions: Int
  public let incidents: Int
  public let incidentsOpen: Int
  public let reviewsHeld: Int
  public let reviewsMissed: Int

  enum CodingKeys: String, CodingKey {
    case recoveries, exceptions, incidents
    case sloJudged = "slo_judged", sloMet = "slo_met", recoveriesJudged = "recoveries_judged"
    case recoveriesOverTarget = "recoveries_over_target", incidentsOpen = "incidents_open"
    case reviewsHeld = "reviews_held", reviewsMissed = "reviews_missed"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(sloJudged, forKey: .sloJudged)
    try container.encode(sloMet, forKey: .sloMet)
    try container.encode(recoveries, forKey: .recoveries)
    try container.encode(recoveriesJudged, forKey: .recoveriesJudged)
    try container.encode(recoveriesOverTarget, forKey: .recoveriesOverTarget)
    try container.encode(exceptions, forKey: .exceptions)
    try container.encode(incidents, forKey: .incidents)
    try container.encode(incidentsOpen, forKey: .incidentsOpen)
    try container.encode(reviewsHeld, forKey: .reviewsHeld)
    try container.encode(reviewsMissed, forKey: .reviewsMissed)
  }

  /// The summary in plain words: what a client reads first.
  public var sentence: String {
    var parts: [String] = []
    if sloJudged > 0 {
      parts.append(
        "\(sloMet) of \(sloJudged) SLO measurement\(sloJudged == 1 ? "" : "s") met \(sloJudged == 1 ? "its" : "their") target"
      )
    } else {
      parts.append("no SLO measurements imported")
    }
    if recoveries > 0 {
      parts.append(
        recoveriesOverTarget > 0
          ? "\(recoveriesOverTarget) of \(recoveries) recover\(recoveries == 1 ? "y" : "ies") over target"
          : "\(recoveries) recover\(recoveries == 1 ? "y" : "ies")\(recoveriesJudged == recoveries ? ", all within target" : "")"
      )
    } else {
      parts.append("no rollbacks")
    }
    if incidentsOpen > 0 {
      parts.append("\(incidentsOpen) incident\(incidentsOpen == 1 ? "" : "s") still open")
    }
    parts.append(
      exceptions == 0
        ? "no compliance exceptions" : "\(exceptions) compliance exception\(exceptions == 1 ? "" : "s")")
    if reviewsMissed > 0 {
      parts.append("\(reviewsMissed) service review\(reviewsMissed == 1 ? "" : "s") missed")
    } else if reviewsHeld > 0 {
      parts.append("service reviews held")
    }
    return parts.joined(separator: "; ")
  }
}
