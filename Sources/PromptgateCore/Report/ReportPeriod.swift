/// How a report groups events: by UTC calendar month (`2026-11`) or by ISO 8601 week
/// (`2026-W48`, Monday to Sunday, the week of the year's first Thursday is week 1).
public enum ReportPeriod: String, Sendable, Encodable, CaseIterable {
  case month, week

  /// One period: its label and its bounds in seconds since 1970, `end` excluded.
  public struct Bucket: Sendable, Hashable {
    public let label: String
    public let start: Int64
    public let end: Int64
  }

  /// The period holding the instant `seconds`.
  public func bucket(containing seconds: Int64) -> Bucket {
    let day = Timestamp.divide(seconds, 86_400).quotient
    switch self {
    case .month:
      let (year, month, _) = Timestamp.civil(day)
      return monthBucket(year: year, month: month)
    case .week:
      let monday = day - Timestamp.divide(day + 3, 7).remainder
      return weekBucket(monday: monday)
    }
  }

  /// The period right after `bucket`.
  public func next(after bucket: Bucket) -> Bucket {
    self.bucket(containing: bucket.end)
  }

  /// Four digits at least, as in RFC 3339.
  private static func year(_ year: Int64) -> String {
    let digits = String(year)
    return year >= 0 && digits.count < 4 ? String(repeating: "0", count: 4 - digits.count) + digits : digits
  }

  private func monthBucket(year: Int64, month: Int64) -> Bucket {
    let start = Timestamp.days(year: year, month: month, day: 1)
    let end = start + Timestamp.daysInMonth(year, month)
    let label = "\(Self.year(year))-\(month < 10 ? "0" : "")\(month)"
    return Bucket(label: label, start: start * 86_400, end: end * 86_400)
  }

  private func weekBucket(monday: Int64) -> Bucket {
    let thursday = monday + 3
    let isoYear = Timestamp.civil(thursday).year
    let week = (thursday - Timestamp.days(year: isoYear, month: 1, day: 1)) / 7 + 1
    return Bucket(
      label: "\(Self.year(isoYear))-W\(week < 10 ? "0" : "")\(week)", start: monday * 86_400,
      end: (monday + 7) * 86_400)
  }
}
