/// How often the service is reviewed (`improvement.review_cadence`). A review is of a period
/// (`review --period 2026-11`: the month it looks back on); a quarterly or yearly cadence counts
/// a review of any month of the quarter or year. A period's review is due by the end of the
/// period after it: November's monthly review by the end of December.
public enum ReviewCadence: String, Sendable, CaseIterable, Encodable {
  case monthly, quarterly, yearly

  /// The review period holding the instant `seconds`: its label and bounds.
  public func period(containing seconds: Int64) -> ReportPeriod.Bucket {
    let month = ReportPeriod.month.bucket(containing: seconds)
    let (year, number, _) = Timestamp.civil(Timestamp.divide(month.start, 86_400).quotient)
    switch self {
    case .monthly:
      return month
    case .quarterly:
      let first = (number - 1) / 3 * 3 + 1
      let start = Timestamp.days(year: year, month: first, day: 1) * 86_400
      let endMonth = first + 3
      let end =
        (endMonth > 12
          ? Timestamp.days(year: year + 1, month: 1, day: 1)
          : Timestamp.days(year: year, month: endMonth, day: 1))
        * 86_400
      return ReportPeriod.Bucket(label: "\(year)-Q\((first - 1) / 3 + 1)", start: start, end: end)
    case .yearly:
      return ReportPeriod.Bucket(
        label: "\(year)", start: Timestamp.days(year: year, month: 1, day: 1) * 86_400,
        end: Timestamp.days(year: year + 1, month: 1, day: 1) * 86_400)
    }
  }

  /// When the review of `period` is due: the end of the period after it.
  public func due(_ period: ReportPeriod.Bucket) -> Int64 {
    self.period(containing: period.end).end
  }

  /// The review period a `review --period YYYY-MM` counts for.
  public func period(ofMonth month: String) -> ReportPeriod.Bucket? {
    guard let start = Period.start(month), month.count == 7 else { return nil }
    return period(containing: start)
  }
}

/// What `status` warns of the reviews: each overdue one, with the command that records it.
enum ReviewDueWarning {
  static func lines(_ due: ImprovementHistory.ReviewDue) -> [String] {
    guard let first = due.overdue.first else { return [] }
    let periods =
      due.overdue.count == 1 ? " of \(first) is" : "s of \(due.overdue.joined(separator: ", ")) are"
    return [
      "the \(due.cadence.rawValue) service review\(periods) overdue (improvement.review_cadence); record it with "
        + "promptgate review --period <YYYY-MM> --summary <text>"
    ]
  }
}
