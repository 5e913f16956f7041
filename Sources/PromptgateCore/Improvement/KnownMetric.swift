/// The measurements promptgate knows the meaning of (SPEC §6 `metrics import`): their unit,
/// their range, and which way is better, so an import can refuse a CSAT of 92 or a latency in
/// seconds, and a report can tell a breached SLO from a met one. Any other name is kept as
/// given and judged only as a number.
public struct KnownMetric: Sendable, Hashable {
  public let name: String
  /// The unit values are stored in.
  public let unit: String
  /// Other units accepted in the `unit` column, with the factor that converts to `unit`.
  let conversions: [String: Double]
  let range: ClosedRange<Double>
  /// True when only whole numbers make sense (counts).
  let whole: Bool
  /// True when more is better (resolution rate, CSAT); false when less is (latency, errors).
  public let higherIsBetter: Bool
  /// How the range reads in a message.
  let rangeText: String

  public static let all: [KnownMetric] = [
    KnownMetric(
      name: "resolution_rate", unit: "ratio", conversions: ["%": 0.01, "percent": 0.01], range: 0...1,
      whole: false, higherIsBetter: true, rangeText: "a fraction from 0 to 1 (0.87 for 87 %)"),
    KnownMetric(
      name: "csat", unit: "score", conversions: ["/5": 1], range: 1...5, whole: false, higherIsBetter: true,
      rangeText: "a score from 1 to 5"),
    KnownMetric(
      name: "latency_p95_ms", unit: "ms", conversions: ["s": 1000], range: 0...3_600_000, whole: false,
      higherIsBetter: false, rangeText: "milliseconds from 0 to 3600000"),
    KnownMetric(
      name: "error_rate", unit: "ratio", conversions: ["%": 0.01, "percent": 0.01], range: 0...1,
      whole: false,
      higherIsBetter: false, rangeText: "a fraction from 0 to 1 (0.02 for 2 %)"),
    KnownMetric(
      name: "requests", unit: "count", conversions: [:], range: 0...1e15, whole: true, higherIsBetter: true,
      rangeText: "a whole number of 0 or more"),
    KnownMetric(
      name: "escalations", unit: "count", conversions: [:], range: 0...1e15, whole: true,
      higherIsBetter: false, rangeText: "a whole number of 0 or more"),
  ]

  public static func named(_ name: String) -> KnownMetric? { all.first { $0.name == name } }

  /// Whether a measurement of `name` meets a target: the direction of a known metric, else
  /// "at most" (an SLO names a ceiling: latency, errors), which the report says.
  public static func meets(_ name: String, value: Double, target: Double) -> Bool {
    (named(name)?.higherIsBetter ?? false) ? value >= target : value <= target
  }

  /// The comparison a target of `name` asks for, in words: "at least" or "at most".
  public static func comparison(_ name: String) -> String {
    (named(name)?.higherIsBetter ?? false) ? "at least" : "at most"
  }

  /// The value in this metric's unit, or why it cannot be one.
  func normalize(_ value: Double, unit given: String?) -> Result<Double, MetricProblem> {
    var value = value
    if let given, !given.isEmpty, given != unit {
      guard let factor = conversions[given] else {
        let accepted = ([unit] + conversions.keys.sorted()).joined(separator: ", ")
        return .failure(
          MetricProblem(
            column: "unit",
            message: "\(name) is measured in \(unit); `\(given)` is not a unit for it (use \(accepted))"))
      }
      value *= factor
    }
    if whole, value.rounded() != value {
      return .failure(
        MetricProblem(column: "value", message: "\(name) is \(rangeText); \(Self.text(value)) is not whole"))
    }
    guard range.contains(value) else {
      var hint = ""
      if unit == "ratio", value > 1, value <= 100, given == nil || given == "" {
        hint = ": it looks like a percentage; write \(Self.text(value / 100)), or give the unit %"
      } else if name == "csat", value > 5, value <= 100 {
        hint =
          ": a percentage of satisfied customers is another measure; import it under its own name (csat_percent)"
      }
      return .failure(
        MetricProblem(
          column: "value", message: "\(name) is \(rangeText); \(Self.text(value)) is out of range\(hint)"))
    }
    return .success(value)
  }

  /// A number as a person writes it: `0.87`, `2300`, never `2300.0` or `8.7e-01`.
  public static func text(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    var text = FixedPoint.string(value, decimals: 6)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}

/// What is wrong with one value, and in which column.
struct MetricProblem: Error {
  let column: String
  let message: String
}
