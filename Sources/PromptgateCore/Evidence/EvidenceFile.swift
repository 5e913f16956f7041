import Crypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A result file read for `evidence record`: its bytes' SHA-256 and what it says, checked
/// against itself. A file that is not what it claims (malformed, truncated, too big, or whose
/// stated totals disagree with its own test list) is refused with its place and the reason;
/// nothing is recorded from it.
public struct EvidenceFile: Sendable {
  /// Larger than any real evaluation export: promptfoo's results of thousands of cases with
  /// their outputs stay well under it. A bigger file is refused before it is read.
  public static let maximumBytes = 64 << 20

  /// The file's name as given, for messages and the record.
  public let name: String
  /// The SHA-256 of its bytes, lower-case hex: what binds the record to exactly this file.
  public let sha256: String
  public let summary: EvidenceSummary

  /// Reads `path` as `format`, or as what its content shows when nil.
  public static func read(path: String, format: EvidenceSummary.Format?) throws(EvidenceFileError)
    -> EvidenceFile
  {
    let name = Paths.lastComponent(path)
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
      throw EvidenceFileError(path, "cannot be read: no such file, or no permission")
    }
    if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
      throw EvidenceFileError(path, "is not a regular file")
    }
    let size = (attributes[.size] as? UInt).map { Int($0) } ?? 0
    guard size <= maximumBytes else {
      throw EvidenceFileError(
        path,
        "is \(size >> 20) MiB, more than the \(maximumBytes >> 20) MiB a result file may be; record a summary "
          + "in the minimal JSON format instead (docs/ci/README.md)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EvidenceFileError(path, "cannot be read")
    }
    let bytes = [UInt8](data)
    guard !bytes.isEmpty else { throw EvidenceFileError(path, "is empty: the run wrote no results") }
    var chosen = format
    if chosen == nil { chosen = try detect(bytes, file: path) }
    let summary = try parse(bytes, file: path, format: chosen ?? .minimal)
    guard summary.tests > 0 else {
      throw EvidenceFileError(
        path, "holds no test results: nothing ran, so it is no evidence of anything")
    }
    let digest = Hex.string(SHA256.hash(data: data))
    return EvidenceFile(name: name, sha256: digest, summary: summary)
  }

  /// Parses `bytes` as `format`.
  public static func parse(_ bytes: [UInt8], file: String, format: EvidenceSummary.Format)
    throws(EvidenceFileError) -> EvidenceSummary
  {
    switch format {
    case .promptfoo: try PromptfooResults.summary(of: try JSONDocument.parse(bytes, file: file), file: file)
    case .minimal: try MinimalResults.summary(of: try JSONDocument.parse(bytes, file: file), file: file)
    case .junit: try JUnitResults.summary(of: bytes, file: file)
    }
  }

  /// The format the content shows: XML is JUnit; JSON with `"format": "promptgate.results/v1"` is
  /// the minimal format; JSON with a `results` object is promptfoo's.
  static func detect(_ bytes: [UInt8], file: String) throws(EvidenceFileError) -> EvidenceSummary.Format {
    let start = bytes.drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }.first
    if start == UInt8(ascii: "<") { return .junit }
    guard start == UInt8(ascii: "{") else {
      throw EvidenceFileError(
        file,
        "is neither JSON nor XML: promptgate reads promptfoo's JSON (promptfoo eval --output results.json), JUnit "
          + "XML, and the minimal JSON of docs/ci/README.md; give --format if it is one of them")
    }
    let document = try JSONDocument.parse(bytes, file: file)
    if document["format"] is String { return .minimal }
    if document["results"] is [String: Any] { return .promptfoo }
    throw EvidenceFileError(
      file,
      "is JSON, but neither promptfoo's output (no `results` object) nor the minimal format (no `format`); "
        + "give --format, or write the minimal format of docs/ci/README.md")
  }
}

/// Why a result file was refused: the file, where in it, and what is wrong.
public struct EvidenceFileError: Error, Sendable, Equatable {
  public let file: String
  /// `line 3, column 7`, or a key path such as `results.stats.successes`; nil for the whole file.
  public let place: String?
  public let reason: String

  public init(_ file: String, at place: String? = nil, _ reason: String) {
    self.file = file
    self.place = place
    self.reason = reason
  }

  /// One line: `results.json: results.stats.successes: says 10, but 9 results passed; nothing was recorded`.
  public var message: String {
    let where_ = place.map { ": \($0)" } ?? ""
    let separator = place == nil ? " " : ": "
    return "\(RepositoryText.quoted(file))\(where_)\(separator)\(reason); nothing was recorded"
  }
}

/// JSON as result files write it (fractions included, which the ledger's canonical JSON refuses),
/// as the dictionaries, arrays, strings, numbers (`Double`) and booleans the result readers
/// look into; the place of a syntax error found by counting lines.
enum JSONDocument {
  static func parse(_ bytes: [UInt8], file: String) throws(EvidenceFileError) -> [String: Any] {
    let value: JSONValue
    do {
      value = try JSONValue(parsing: bytes, fractions: true)
    } catch {
      throw EvidenceFileError(
        file, at: syntaxPlace(bytes, offset: error.offset),
        "is not valid JSON (\(truncatedHint(bytes))): the run may have been cut short; run it again")
    }
    guard let map = plain(value) as? [String: Any] else {
      throw EvidenceFileError(file, "is JSON but not an object")
    }
    return map
  }

  /// `value` as Swift's own values; null as ``Null``.
  private static func plain(_ value: JSONValue) -> Any {
    switch value {
    case .null: Null()
    case .bool(let bool): bool
    case .integer(let integer): Double(integer)
    case .number(let number): number
    case .string(let string): string
    case .array(let items): items.map(plain)
    case .object(let members): members.mapValues(plain)
    }
  }

  /// JSON's null, which is none of the types the readers ask for.
  private struct Null {}

  /// Where the JSON stops making sense (the parser's byte offset), as a line and column.
  private static func syntaxPlace(_ bytes: [UInt8], offset: Int) -> String {
    var line = 1
    var column = 1
    for byte in bytes.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return "line \(line), column \(column)"
  }

  private static func truncatedHint(_ bytes: [UInt8]) -> String {
    let last = bytes.reversed().first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    return last == UInt8(ascii: "}") ? "a syntax error" : "it ends before the JSON does"
  }

  /// True for JSON's `true` and `false`.
  static func isBoolean(_ value: Any?) -> Bool { value is Bool }

  /// The JSON boolean at `value`, if it is one.
  static func boolean(_ value: Any?) -> Bool? { value as? Bool }

  /// The whole number at `value`, if it is one.
  static func count(_ value: Any?) -> Int? {
    guard let double = value as? Double, double >= 0, double < 1e9, double.rounded() == double else {
      return nil
    }
    return Int(double)
  }

  /// A non-negative number at `value`, if it is one.
  static func number(_ value: Any?) -> Double? {
    guard let double = value as? Double else { return nil }
    return double.isFinite && double >= 0 ? double : nil
  }
}
