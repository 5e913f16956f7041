import Crypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A file of measurements for `metrics import` (SPEC §6): CSV with a header row, or JSON lines,
/// each row with `environment`, `period_start`, `period_end`, `metric`, `value`, `source` and an
/// optional `unit`. Read whole or refused whole: the first bad row is reported with the file,
/// line and column, and nothing is recorded.
public struct MeasurementFile: Sendable {
  /// One import is one signed ledger event: a file larger than this is refused before it is
  /// read, with the advice to split it (a month of daily figures for a few environments is a
  /// few hundred kilobytes).
  public static let maximumBytes = 8 * 1024 * 1024
  public static let maximumRows = 50_000

  public static let requiredColumns = [
    "environment", "period_start", "period_end", "metric", "value", "source",
  ]
  static let optionalColumns = ["unit"]

  /// The name the file was given as, for messages and the statement.
  public let name: String
  /// The SHA-256 of the file's bytes, hex: what was imported, exactly.
  public let sha256: String
  public let measurements: [Measurement]

  /// Reads and checks the file at `path`. `environments` are the names a row may use (those the
  /// runbook in force declares, else those the ledger knows), for the "did you mean".
  public static func read(path: String, environments: [String]) throws(PromptgateError) -> MeasurementFile {
    let attributes: [FileAttributeKey: Any]
    do {
      attributes = try FileManager.default.attributesOfItem(atPath: path)
    } catch {
      throw PromptgateError.input("cannot read \(RepositoryText.quoted(path)): no such file, or not readable")
    }
    guard (attributes[.type] as? FileAttributeType) != .typeDirectory else {
      throw PromptgateError.input(
        "\(RepositoryText.quoted(path)) is a folder; give the CSV or JSON lines file")
    }
    let size = (attributes[.size] as? UInt).map { Int($0) } ?? 0
    guard size <= maximumBytes else {
      throw PromptgateError.input(
        "\(RepositoryText.quoted(path)) is \(megabytes(size)); one import is one signed ledger event and holds at "
          + "most \(megabytes(maximumBytes)): split the file (by month or by environment) and import each part; "
          + "nothing was recorded")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PromptgateError.input("cannot read \(RepositoryText.quoted(path))")
    }
    return try parse(Array(data), name: path, environments: environments)
  }

  /// Checks `bytes`, named `name` in messages.
  public static func parse(_ bytes: [UInt8], name: String, environments: [String]) throws(PromptgateError)
    -> MeasurementFile
  {
    let sha256 = Hex.string(SHA256.hash(data: bytes))
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    guard let text = String(validating: body, as: UTF8.self) else {
      throw PromptgateError.input(
        "\(RepositoryText.quoted(name)) is not UTF-8 text: export it as UTF-8 CSV or JSON lines; nothing was recorded"
      )
    }
    let lower = name.lowercased()
    let jsonLines =
      lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json")
      || (!lower.hasSuffix(".csv") && text.drop(while: \.isWhitespace).first == "{")
    var reader = RowReader(file: name, environments: environments)
    if jsonLines {
      try reader.readJSONLines(text)
    } else {
      try reader.readCSV(text)
    }
    guard !reader.rows.isEmpty else {
      throw PromptgateError.input(
        "\(RepositoryText.quoted(name)) holds no measurements: it needs rows with "
          + "\(requiredColumns.joined(separator: ", ")); nothing was recorded")
    }
    return MeasurementFile(name: name, sha256: sha256, measurements: reader.rows)
  }

  static func megabytes(_ bytes: Int) -> String {
    FixedPoint.string(Double(bytes) / 1_048_576, decimals: 1) + " MB"
  }
}

/// Turns rows of text fields into measurements, one line at a time, and names the line and
/// column of the first that is wrong.
private struct RowReader {
  let file: String
  let environments: [String]
  var rows: [Measurement] = []
  /// Where each measurement was first given: a second row for the same one is a mistake.
  var seen: [Measurement.Key: Int] = [:]

  init(file: String, environments: [String]) {
    self.file = file
    self.environments = environments
  }

  func fail(_ line: Int, _ column: Int?, _ message: String) -> PromptgateError {
    let place = column.map { "\(line):\($0)" } ?? "\(line)"
    return PromptgateError.input("\(RepositoryText.quoted(file)):\(place): \(message); nothing was recorded")
  }

  // MARK: CSV

  mutating func readCSV(_ text: String) throws(PromptgateError) {
    let records = try CSV.records(text, fail: { line, column, message in fail(line, column, message) })
    guard let header = records.first else { return }
    // A spreadsheet set to a comma-decimal locale writes semicolons: accept either.
    var fields = header.fields
    var separator: Character = ","
    if fields.count == 1, fields[0].containsLiteral(";") {
      separator = ";"
    }
    let table =
      separator == ","
      ? records
      : try CSV.records(text, separator: ";", fail: { line, column, message in fail(line, column, message) })
    fields = table[0].fields.map { $0.trimmingWhitespace.lowercased() }
    var columns: [String: Int] = [:]
    for (index, name) in fields.enumerated() {
      guard MeasurementFile.requiredColumns.contains(name) || MeasurementFile.optionalColumns.contains(name)
      else {
        let known = MeasurementFile.requiredColumns + MeasurementFile.optionalColumns
        let hint = Suggestion.closest(to: name, among: known).map { "did you mean `\($0)`? " } ?? ""
        throw fail(
          table[0].line, index + 1,
          "unknown column `\(name)`: \(hint)the columns are \(known.joined(separator: ", "))")
      }
      if let earlier = columns[name] {
        throw fail(
          table[0].line, index + 1, "the column `\(name)` appears twice (also column \(earlier + 1))")
      }
      columns[name] = index
    }
    if let missing = MeasurementFile.requiredColumns.first(where: { columns[$0] == nil }) {
      throw fail(
        table[0].line, nil,
        "the header row has no `\(missing)` column; it needs \(MeasurementFile.requiredColumns.joined(separator: ", "))"
      )
    }
    for record in table.dropFirst() {
      if record.fields.allSatisfy({ $0.trimmingWhitespace.isEmpty }) { continue }
      guard record.fields.count == fields.count else {
        throw fail(
          record.line, nil, "this row has \(record.fields.count) fields and the header \(fields.count)")
      }
      try add(line: record.line) { name in
        guard let index = columns[name] else { return nil }
        return (record.fields[index], index + 1)
      }
    }
  }

  // MARK: JSON lines

  mutating func readJSONLines(_ text: String) throws(PromptgateError) {
    var line = 0
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      line += 1
      let trimmed = String(raw).trimmingWhitespace
      if trimmed.isEmpty { continue }
      guard let object = try? JSONDecoder().decode([String: JSONField].self, from: Data(trimmed.utf8)) else {
        throw fail(
          line, 1,
          "not a JSON object of strings and numbers; each line holds one measurement as {\"environment\": ...}"
        )
      }
      let known = MeasurementFile.requiredColumns + MeasurementFile.optionalColumns
      if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
        let hint = Suggestion.closest(to: unknown, among: known).map { "did you mean `\($0)`? " } ?? ""
        throw fail(
          line, nil, "unknown key `\(unknown)`: \(hint)the keys are \(known.joined(separator: ", "))")
      }
      // JSON lines have keys, not columns: the key is the place.
      try add(line: line, keyed: true) { name in
        switch object[name] {
        case .text(let text)?: (text, 0)
        case .other?: ("\u{0}", 0)
        case .null?, nil: nil
        }
      }
    }
  }

  // MARK: One row

  /// Reads one row: `field(name)` gives a column's text and its column number (0 when keyed).
  mutating func add(line: Int, keyed: Bool = false, field: (String) -> (String, Int)?) throws(PromptgateError)
  {
    guard rows.count < MeasurementFile.maximumRows else {
      throw fail(
        line, nil,
        "one import holds at most \(MeasurementFile.maximumRows) measurements: split the file (by month or by "
          + "environment)")
    }
    func place(_ name: String) -> Int? {
      keyed ? nil : field(name)?.1
    }
    func text(_ name: String, required: Bool = true) throws(PromptgateError) -> String {
      guard let (value, _) = field(name) else {
        if !required { return "" }
        throw fail(line, place(name), keyed ? "the key `\(name)` is missing" : "`\(name)` is empty")
      }
      guard value != "\u{0}" else { throw fail(line, nil, "the key `\(name)` must be text or a number") }
      let trimmed = value.trimmingWhitespace
      if required, trimmed.isEmpty {
        throw fail(line, place(name), "`\(name)` is empty" + (keyed ? " (key `\(name)`)" : ""))
      }
      return trimmed
    }
    func where_(_ name: String) -> String { keyed ? " (key `\(name)`)" : "" }

    let environment = try text("environment")
    do {
      try EnvironmentState.validate(environment)
    } catch {
      throw fail(line, place("environment"), error.message + where_("environment"))
    }
    if !environments.contains(environment) {
      let hint =
        Suggestion.closest(to: environment, among: environments).map { "did you mean `\($0)`? " } ?? ""
      let known =
        environments.isEmpty
        ? "none is known yet" : "the known ones are \(environments.joined(separator: ", "))"
      throw fail(
        line, place("environment"),
        "`\(environment)` is not an environment of this service: \(hint)\(known)\(where_("environment"))")
    }
    let startText = try text("period_start")
    let endText = try text("period_end")
    guard let start = Period.start(startText) else {
      throw fail(
        line, place("period_start"),
        "`\(startText)` is not a date: write 2026-11-01, 2026-11 (a month) or 2026-11-01T00:00:00Z"
          + where_("period_start"))
    }
    guard let end = Period.end(endText) else {
      throw fail(
        line, place("period_end"),
        "`\(endText)` is not a date: write 2026-11-30 (that whole day), 2026-11 (a month) or an RFC 3339 time"
          + where_("period_end"))
    }
    guard end > start else {
      throw fail(
        line, place("period_end"),
        "the period ends (\(endText)) before it starts (\(startText))" + where_("period_end"))
    }
    let metric = try text("metric")
    guard metric.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }),
      metric.count <= 64
    else {
      throw fail(
        line, place("metric"),
        "`\(metric)` is not a metric name: use lower-case letters, digits and `_` (resolution_rate, csat)"
          + where_("metric"))
    }
    let valueText = try text("value")
    let unit = try text("unit", required: false)
    guard let parsed = Double(valueText), parsed.isFinite,
      valueText.utf8.allSatisfy({ !"xXpPnN".utf8.contains($0) })
    else {
      let hint = valueText.hasSuffix("%") ? ": write the number, and % in the `unit` column" : ""
      throw fail(line, place("value"), "`\(valueText)` is not a number\(hint)" + where_("value"))
    }
    let value: Double
    let storedUnit: String
    if let known = KnownMetric.named(metric) {
      switch known.normalize(parsed, unit: unit) {
      case .success(let normalized): value = normalized
      case .failure(let problem):
        throw fail(line, place(problem.column), problem.message + where_(problem.column))
      }
      storedUnit = known.unit
    } else {
      (value, storedUnit) = (parsed, unit)
    }
    let source = try text("source")
    let measurement = Measurement(
      environment: environment, periodStart: Timestamp.rfc3339(start), periodEnd: Timestamp.rfc3339(end),
      metric: metric, value: value, unit: storedUnit, source: source)
    if let earlier = seen[measurement.key] {
      throw fail(
        line, nil,
        "\(metric) of \(environment) for \(startText) to \(endText) is given twice (also line \(earlier)): keep one"
      )
    }
    seen[measurement.key] = line
    rows.append(measurement)
  }
}

/// A value of a JSON line: text (a number is kept as its text), or something else (an error).
private enum JSONField: Decodable {
  case text(String)
  case null
  case other

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let text = try? container.decode(String.self) {
      self = .text(text)
    } else if (try? container.decode(Bool.self)) != nil {
      self = .other
    } else if let number = try? container.decode(Double.self) {
      self = .text(KnownMetric.text(number))
    } else {
      self = .other
    }
  }
}

/// Period bounds as a helpdesk or a monitoring export writes them.
enum Period {
  /// The first instant of a day, a month (`2026-11`) or an RFC 3339 time.
  static func start(_ text: String) -> Int64? {
    if let month = month(text) { return month.start }
    return Timestamp.seconds(day: text) ?? Timestamp.seconds(rfc3339: text)
  }

  /// The instant right after a day (an end date is the whole day), a month, or an RFC 3339 time.
  static func end(_ text: String) -> Int64? {
    if let month = month(text) { return month.end }
    if let day = Timestamp.seconds(day: text) { return day + 86_400 }
    return Timestamp.seconds(rfc3339: text)
  }

  private static func month(_ text: String) -> ReportPeriod.Bucket? {
    let parts = text.split(separator: "-")
    guard text.count == 7, parts.count == 2, let day = Timestamp.seconds(day: text + "-01") else {
      return nil
    }
    return ReportPeriod.month.bucket(containing: day)
  }
}

/// RFC 4180 CSV: quoted fields may hold separators, quotes (doubled) and line breaks.
enum CSV {
  struct Record {
    let line: Int
    let fields: [String]
  }

  static func records(
    _ text: String, separator: Character = ",", fail: (Int, Int?, String) -> PromptgateError
  ) throws(PromptgateError) -> [Record] {
    var records: [Record] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var line = 1
    var recordLine = 1
    var afterQuote = false
    var iterator = text.makeIterator()
    var pending: Character?
    func next() -> Character? {
      if let character = pending {
        pending = nil
        return character
      }
      return iterator.next()
    }
    while let character = next() {
      if quoted {
        if character == "\"" {
          if let following = next() {
            if following == "\"" {
              field.append("\"")
              continue
            }
            pending = following
          }
          quoted = false
          afterQuote = true
        } else {
          if character == "\n" || character == "\r\n" { line += 1 }
          field.append(character)
        }
        continue
      }
      switch character {
      case "\"" where field.isEmpty && !afterQuote:
        quoted = true
      case separator:
        fields.append(field)
        field = ""
        afterQuote = false
      case "\n", "\r\n", "\r":
        fields.append(field)
        records.append(Record(line: recordLine, fields: fields))
        fields = []
        field = ""
        afterQuote = false
        line += 1
        recordLine = line
      default:
        if afterQuote {
          throw fail(
            line, fields.count + 1,
            "text after a closing quote; a quote inside a quoted field is written \"\"")
        }
        field.append(character)
      }
    }
    if quoted { throw fail(recordLine, fields.count + 1, "a quoted field is never closed") }
    if !field.isEmpty || !fields.isEmpty {
      fields.append(field)
      records.append(Record(line: recordLine, fields: fields))
    }
    return records
  }
}
