import Git
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where messages go: results to stdout, everything else to stderr (SPEC §6).
enum Output {
  /// One line, whatever the message quotes (``RepositoryText/line(_:)``).
  static func error(_ message: String) {
    StandardStream.error.write("promptgate: error: \(RepositoryText.line(message))\n")
  }

  static func warning(_ message: String) {
    StandardStream.error.write("promptgate: warning: \(RepositoryText.line(message))\n")
  }

  /// Progress a command reports beside its result (what `--sync` fetched and pushed).
  static func note(_ message: String) {
    let text = message.hasSuffix("\n") ? message : message + "\n"
    StandardStream.error.write(text)
  }

  /// The environment's mirror could not be moved because its ref is locked.
  static func mirrorLocked(_ environment: String, in repository: Repository) {
    let reference = RefName.environment(environment)
    warning(
      "\(reference) is locked: the ledger is recorded and the next move of \(environment) (or promptgate status "
        + "--repair) brings the ref in line. \(RepositoryLookup.staleLock(of: reference, in: repository))")
  }

  /// Every command's JSON has one convention (docs/schemas/README.md): snake_case field names
  /// (`signed_at`, `key_fingerprint`) whatever the Swift property is called, keys sorted so the
  /// order is stable, compact on one line unless `--pretty` asks for two-space indentation. A
  /// format with a schema of its own (SARIF's camelCase) keeps its names as written.
  static func json(_ value: some Encodable, pretty: Bool, keepingNames: Bool = false) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    if !keepingNames { encoder.keyEncodingStrategy = .convertToSnakeCase }
    let compact = try encoder.encode(value)
    // Foundation's own indentation writes `"key" : value` and spreads `[]` over lines; indented
    // here instead, every --pretty output reads like JSONValue's.
    return String(decoding: pretty ? indented(Array(compact)) : Array(compact), as: UTF8.self)
  }

  /// Compact JSON indented by two spaces a level, `"key": value`, empty containers as `[]` and
  /// `{}`: the layout of ``JSONValue/pretty``. Strings are copied as they are.
  static func indented(_ compact: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var level = 0
    var inString = false
    var escaped = false
    var index = 0
    func newline() {
      out.append(UInt8(ascii: "\n"))
      out += repeatElement(UInt8(ascii: " "), count: level * 2)
    }
    while index < compact.count {
      let byte = compact[index]
      index += 1
      if inString {
        out.append(byte)
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
        out.append(byte)
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        out.append(byte)
        if index < compact.count, compact[index] == UInt8(ascii: "}") || compact[index] == UInt8(ascii: "]") {
          out.append(compact[index])
          index += 1
        } else {
          level += 1
          newline()
        }
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        level -= 1
        newline()
        out.append(byte)
      case UInt8(ascii: ","):
        out.append(byte)
        newline()
      case UInt8(ascii: ":"):
        out += Array(": ".utf8)
      default:
        out.append(byte)
      }
    }
    return out
  }

  /// `value` in the convention above, without a final newline (print adds it).
  static func json(_ value: JSONValue, pretty: Bool) -> String {
    pretty ? String(value.pretty.dropLast()) : value.canonicalString
  }
}

/// ANSI styling, or none: decided once per run from the terminal, --no-color and NO_COLOR.
struct Style {
  let color: Bool

  /// NO_COLOR (no-color.org) set to anything non-empty, or TERM=dumb, turns colour off.
  /// Read with getenv: ProcessInfo's `environment` copies every variable into a dictionary
  /// first, a twentieth of a one-file diff.
  static var environmentAllowsColor: Bool {
    if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
    return getenv("TERM").map { String(cString: $0) } != "dumb"
  }

  func bold(_ text: String) -> String { wrap(text, "1") }
  func dim(_ text: String) -> String { wrap(text, "2") }
  func red(_ text: String) -> String { wrap(text, "31") }
  func green(_ text: String) -> String { wrap(text, "32") }
  func yellow(_ text: String) -> String { wrap(text, "33") }
  func cyan(_ text: String) -> String { wrap(text, "36") }

  private func wrap(_ text: String, _ code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
