#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Times as a report reads them: whole seconds since 1970 UTC, parsed from RFC 3339 or a plain
/// date by hand, because a report parses the time of tens of thousands of events and
/// Foundation's formatters cost microseconds each. Calendar arithmetic is proleptic Gregorian
/// in UTC (Howard Hinnant's `days_from_civil`), as RFC 3339 is.
public enum Timestamp {
  /// Seconds of `2026-11-26T10:00:00Z`, `2026-11-26T11:00:00+01:00`, `2026-11-26 10:00:00.25z`
  /// (fractions are dropped); nil for anything else, an impossible date included.
  public static func seconds(rfc3339 text: String) -> Int64? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, let day = days(bytes[0..<10]) else { return nil }
    guard [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
      let hour = number(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"), let minute = number(bytes[14..<16]),
      bytes[16] == UInt8(ascii: ":"), let second = number(bytes[17..<19]), hour < 24, minute < 60,
      second <= 60
    else { return nil }
    var index = 19
    if bytes[index] == UInt8(ascii: ".") {
      index += 1
      let digits = index
      while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
      guard index > digits, index < bytes.count else { return nil }
    }
    var offset: Int64 = 0
    switch bytes[index] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      guard index + 1 == bytes.count else { return nil }
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard index + 6 == bytes.count, let hours = number(bytes[(index + 1)..<(index + 3)]),
        bytes[index + 3] == UInt8(ascii: ":"), let minutes = number(bytes[(index + 4)..<(index + 6)]),
        hours < 24, minutes < 60
      else { return nil }
      offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
    default: return nil
    }
    return day * 86_400 + hour * 3_600 + minute * 60 + second - offset
  }

  /// Seconds of midnight UTC starting the day `2026-11-26`; nil for anything else.
  public static func seconds(day text: String) -> Int64? {
    let bytes = Array(text.utf8)
    guard bytes.count == 10 else { return nil }
    return days(bytes[0...]).map { $0 * 86_400 }
  }

  /// `2026-11-26T10:00:00Z`, as events record time.
  public static func rfc3339(_ seconds: Int64) -> String {
    let (day, time) = divide(seconds, 86_400)
    let (year, month, dayOfMonth) = civil(day)
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))T\(pad(time / 3_600, 2)):"
      + "\(pad(time / 60 % 60, 2)):\(pad(time % 60, 2))Z"
  }

  /// `2026-11-26`: the UTC day of `seconds`.
  public static func day(_ seconds: Int64) -> String {
    let (year, month, day) = civil(divide(seconds, 86_400).quotient)
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  /// Days since 1970-01-01 of a valid `YYYY-MM-DD`.
  private static func days(_ bytes: ArraySlice<UInt8>) -> Int64? {
    let start = bytes.startIndex
    guard bytes.count >= 10, let year = number(bytes[start..<(start + 4)]),
      bytes[start + 4] == UInt8(ascii: "-"), let month = number(bytes[(start + 5)..<(start + 7)]),
      bytes[start + 7] == UInt8(ascii: "-"), let day = number(bytes[(start + 8)..<(start + 10)]),
      (1...12).contains(month), day >= 1, day <= daysInMonth(year, month)
    else { return nil }
    return days(year: year, month: month, day: day)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date.
  static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = divide(y, 400).quotient
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The date of a day count since 1970-01-01.
  static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = divide(z, 146_097).quotient
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shifted = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shifted + 2) / 5 + 1
    let month = shifted < 10 ? shifted + 3 : shifted - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Floor division, so times before 1970 land in the right day.
  static func divide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
    let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    return (quotient, value - quotient * divisor)
  }

  private static func number(_ bytes: ArraySlice<UInt8>) -> Int64? {
    var value: Int64 = 0
    for byte in bytes {
      guard byte >= 48, byte <= 57 else { return nil }
      value = value * 10 + Int64(byte - 48)
    }
    return bytes.isEmpty ? nil : value
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }
}

extension Timestamp {
  /// An RFC 3339 time as a date; nil when it is not one.
  public static func date(_ text: String) -> Date? {
    seconds(rfc3339: text).map { Date(timeIntervalSince1970: TimeInterval($0)) }
  }
}
