import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The improvement layer as the ledger holds it: every measurement imported (a later import of
/// the same environment, period and metric supersedes an earlier one, which stays on record and
/// is shown as superseded) and every service review held.
public struct ImprovementHistory: Sendable {
  /// One measurement as recorded: by which import, when, by whom.
  public struct Recorded: Sendable, Hashable {
    public let measurement: Measurement
    public let sequence: Int
    public let time: String
    public let actor: String
    public let file: String
    public let sha256: String
    /// The import that replaced this value, if one did.
    public var supersededBy: Int?
  }

  /// One review as recorded.
  public struct Review: Sendable, Hashable {
    public let sequence: Int
    public let time: String
    public let actor: String
    public let role: String
    public let period: String
    public let summary: String
    public let actions: [String]
  }

  /// Every measurement, oldest import first; superseded ones included and marked.
  public private(set) var measurements: [Recorded] = []
  public private(set) var reviews: [Review] = []
  /// The first release or override of any environment: the service exists from then on.
  public private(set) var firstRelease: Int64?

  public init() {}

  /// The measurements in force: the newest import of each environment, period and metric.
  public var current: [Recorded] { measurements.filter { $0.supersededBy == nil } }

  /// Reads the ledger's improvement events (through their index) and the first release of any
  /// environment.
  public static func read(_ ledger: Ledger) throws(PromptgateError) -> ImprovementHistory {
    var history = ImprovementHistory()
    for record in try ImprovementIndex.records(ledger) { history.add(record.event) }
    for environment in try ledger.environments() {
      for commit in try ledger.environmentCommits(environment) {
        let event = try ledger.record(commit).event
        guard event.kind == .release || event.kind == .override else { continue }
        if let time = Timestamp.seconds(rfc3339: event.time) {
          history.firstRelease = min(history.firstRelease ?? time, time)
        }
        break
      }
    }
    return history
  }

  /// Counts one event in; events must come oldest first.
  public mutating func add(_ event: LedgerEvent) {
    switch event.kind {
    case .metrics:
      guard let statement = event.metricsStatement else { return }
      for measurement in statement.measurements {
        let key = measurement.key
        for index in measurements.indices
        where measurements[index].supersededBy == nil && measurements[index].measurement.key == key {
          measurements[index].supersededBy = event.sequence
        }
        measurements.append(
          Recorded(
            measurement: measurement, sequence: event.sequence, time: event.time, actor: event.actor,
            file: statement.file, sha256: statement.sha256, supersededBy: nil))
      }
    case .review:
      guard let statement = event.reviewStatement else { return }
      reviews.append(
        Review(
          sequence: event.sequence, time: event.time, actor: event.actor, role: statement.role,
          period: statement.period, summary: statement.summary, actions: statement.actions))
    case .release, .override:
      if firstRelease == nil { firstRelease = Timestamp.seconds(rfc3339: event.time) }
    default:
      return
    }
  }

  /// The value in force for `key` before a new import, if any.
  public func inForce(_ key: Measurement.Key) -> Recorded? {
    measurements.last { $0.supersededBy == nil && $0.measurement.key == key }
  }

  // MARK: - Review cadence

  /// One review period and whether it was reviewed.
  public struct ReviewPeriod: Sendable, Hashable {
    public let label: String
    public let start: Int64
    public let end: Int64
    /// When its review is due: the end of the period after it.
    public let due: Int64
    /// The reviews that count for it (its months' reviews).
    public let reviews: [Int]
  }

  /// Every review period from the service's first release to the one holding `now`.
  public func reviewPeriods(_ cadence: ReviewCadence, through now: Int64) -> [ReviewPeriod] {
    guard let first = firstRelease ?? reviews.compactMap({ Period.start($0.period) }).min() else { return [] }
    var byPeriod: [Int64: [Int]] = [:]
    for review in reviews {
      guard let period = cadence.period(ofMonth: review.period) else { continue }
      byPeriod[period.start, default: []].append(review.sequence)
    }
    var periods: [ReviewPeriod] = []
    var period = cadence.period(containing: first)
    while period.start <= now, periods.count < 1200 {
      periods.append(
        ReviewPeriod(
          label: period.label, start: period.start, end: period.end, due: cadence.due(period),
          reviews: byPeriod[period.start] ?? []))
      period = cadence.period(containing: period.end)
    }
    return periods
  }

  /// What `status` says of the reviews: the next one due, and those overdue.
  public struct ReviewDue: Sendable, Encodable, Hashable {
    public let cadence: ReviewCadence
    /// The period whose review is next due, and the last day it is due on (`YYYY-MM-DD`).
    public let nextPeriod: String?
    public let nextDue: String?
    /// Ended periods whose review is past due, oldest first.
    public let overdue: [String]
    /// The newest review held: its period, when, by whom.
    public let lastPeriod: String?
    public let lastTime: String?
    public let lastActor: String?

    enum CodingKeys: String, CodingKey {
      case cadence, overdue
      case nextPeriod = "next_period", nextDue = "next_due", lastPeriod = "last_period", lastTime =
        "last_time"
      case lastActor = "last_actor"
    }
  }

  public func reviewDue(_ cadence: ReviewCadence, now: Int64) -> ReviewDue {
    let periods = reviewPeriods(cadence, through: now)
    let open = periods.filter { $0.reviews.isEmpty }
    let overdue = open.filter { $0.due <= now }
    let next = open.first { $0.due > now && $0.end <= now } ?? open.first { $0.due > now }
    let last = reviews.last
    return ReviewDue(
      cadence: cadence, nextPeriod: next?.label, nextDue: next.map { Timestamp.day($0.due - 1) },
      overdue: overdue.map(\.label), lastPeriod: last?.period, lastTime: last?.time, lastActor: last?.actor)
  }
}
