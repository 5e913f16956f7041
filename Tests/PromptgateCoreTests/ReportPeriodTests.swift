import Foundation
import PromptgateCore
import Testing

/// The report's own calendar arithmetic, checked against Foundation's calendars and formatters.
@Suite struct ReportPeriodTests {
  private static let utc: Calendar = {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()

  @Test func monthsAndISOWeeksAgreeWithFoundationOverTwelveYears() {
    // Every day from 2019 to 2030, at a time of day that moves, including year ends where the
    // ISO year differs from the calendar year (2020-12-31 is in 2020-W53, 2021-01-03 too).
    var seconds = Timestamp.seconds(day: "2019-01-01")!
    let end = Timestamp.seconds(day: "2031-01-01")!
    var checked = 0
    while seconds < end {
      let date = Date(timeIntervalSince1970: TimeInterval(seconds))
      let parts = Self.utc.dateComponents([.year, .month, .yearForWeekOfYear, .weekOfYear], from: date)
      let month = ReportPeriod.month.bucket(containing: seconds)
      let week = ReportPeriod.week.bucket(containing: seconds)
      #expect(month.label == String(format: "%04d-%02d", parts.year!, parts.month!))
      #expect(week.label == String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!))
      #expect(month.start <= seconds && seconds < month.end)
      #expect(week.start <= seconds && seconds < week.end && week.end - week.start == 7 * 86_400)
      #expect(Self.utc.component(.weekday, from: Date(timeIntervalSince1970: TimeInterval(week.start))) == 2)
      seconds += 86_400 + 3_607
      checked += 1
    }
    #expect(checked > 4_000)
    #expect(ReportPeriod.week.bucket(containing: Timestamp.seconds(day: "2021-01-03")!).label == "2020-W53")
    let december = ReportPeriod.month.bucket(containing: Timestamp.seconds(day: "2026-12-31")!)
    #expect(ReportPeriod.month.next(after: december).label == "2027-01")
  }

  @Test func rfc3339ParsesAsFoundationDoesAndRefusesTheImpossible() throws {
    for text in [
      "2026-11-26T10:00:00Z", "2026-11-26T11:30:00+01:30", "2026-11-25T23:00:00-11:00",
      "1969-12-31T23:59:59Z",
      "2024-02-29T00:00:00Z", "2000-02-29T12:00:00Z",
    ] {
      let expected = try Date(text, strategy: .iso8601).timeIntervalSince1970
      #expect(Timestamp.seconds(rfc3339: text) == Int64(expected), "\(text)")
      #expect(Timestamp.rfc3339(Int64(expected)) == Date(timeIntervalSince1970: expected).formatted(.iso8601))
    }
    #expect(
      Timestamp.seconds(rfc3339: "2026-11-26t10:00:00.75z")
        == Timestamp.seconds(rfc3339: "2026-11-26T10:00:00Z"))
    #expect(Timestamp.seconds(rfc3339: "2026-11-26 10:00:00Z") != nil)
    for bad in [
      "2026-11-26", "2026-11-26T10:00:00", "2026-02-29T10:00:00Z", "2100-02-29T10:00:00Z",
      "2026-11-31T10:00:00Z",
      "2026-13-01T10:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T10:60:00Z", "2026-11-26T10:00:00+1:00",
      "2026-11-26T10:00:00.Z", "2026-11-26T10:00:00Zjunk", "２026-11-26T10:00:00Z", "",
    ] {
      #expect(Timestamp.seconds(rfc3339: bad) == nil, "\(bad)")
    }
    #expect(Timestamp.seconds(day: "2026-11-26") == Timestamp.seconds(rfc3339: "2026-11-26T00:00:00Z"))
    #expect(Timestamp.seconds(day: "2026-11-26T00:00:00Z") == nil)
    #expect(Timestamp.seconds(day: "2026-00-10") == nil)
  }

  @Test func durationSummariesTakeTheMiddleAndTheWorst() {
    #expect(DurationSummary([]).medianSeconds == nil)
    #expect(DurationSummary([]).worstSeconds == nil)
    #expect(DurationSummary([300, 100, 200]).medianSeconds == 200)
    #expect(DurationSummary([400, 100, 200, 300]).medianSeconds == 250)
    #expect(DurationSummary([400, 100, 200, 300]).worstSeconds == 400)
    #expect(DurationSummary([1, 2]).medianSeconds == 1)
  }
}
