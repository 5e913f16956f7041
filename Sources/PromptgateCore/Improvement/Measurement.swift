/// One measurement brought in from outside (a helpdesk, a monitoring system): what was measured
/// in which environment over which period, and where the figure came from. Stored in the
/// signed statement of a `metrics` event.
public struct Measurement: Sendable, Hashable {
  public let environment: String
  /// RFC 3339 UTC; `periodEnd` excluded (a day written as an end date is the whole day).
  public let periodStart: String
  public let periodEnd: String
  public let metric: String
  /// In the metric's unit (``KnownMetric/unit``), or as given for other metrics.
  public let value: Double
  /// The unit: a known metric's, or the one the file gave (possibly empty).
  public let unit: String
  public let source: String

  public init(
    environment: String, periodStart: String, periodEnd: String, metric: String, value: Double, unit: String,
    source: String
  ) {
    self.environment = environment
    self.periodStart = periodStart
    self.periodEnd = periodEnd
    self.metric = metric
    self.value = value
    self.unit = unit
    self.source = source
  }

  /// What a later import of the same measurement replaces: environment, period and metric.
  public struct Key: Sendable, Hashable {
    public let environment: String
    public let periodStart: String
    public let periodEnd: String
    public let metric: String
  }

  public var key: Key {
    Key(environment: environment, periodStart: periodStart, periodEnd: periodEnd, metric: metric)
  }

  /// The period as a person names it: `2026-11` (a month), `2026-11-05` (a day), or its first
  /// and last day.
  public var periodLabel: String {
    let start = Timestamp.seconds(rfc3339: periodStart) ?? 0
    return ReportTargets.label(from: start, to: Timestamp.seconds(rfc3339: periodEnd) ?? start)
  }

  /// The value as the ledger stores it: decimal text, since the ledger's JSON holds whole
  /// numbers only, and text keeps what was signed exactly.
  public var valueText: String { KnownMetric.text(value) }

  var json: JSONValue {
    .object([
      "environment": .string(environment), "metric": .string(metric), "period_end": .string(periodEnd),
      "period_start": .string(periodStart), "source": .string(source), "unit": .string(unit),
      "value": .string(valueText),
    ])
  }

  init(json: JSONValue) throws(LedgerFormatError) {
    guard let environment = json["environment"]?.string, let metric = json["metric"]?.string,
      let periodEnd = json["period_end"]?.string, let periodStart = json["period_start"]?.string,
      let source = json["source"]?.string, let unit = json["unit"]?.string,
      let text = json["value"]?.string, let value = Double(text), value.isFinite
    else { throw LedgerFormatError("a measurement lacks a field or has one of the wrong type") }
    self.init(
      environment: environment, periodStart: periodStart, periodEnd: periodEnd, metric: metric, value: value,
      unit: unit, source: source)
  }
}
