import Foundation
import Git
import PromptgateCore

/// Where messages go: results to stdout, everything else to stderr (SPEC §6).
enum Output {
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("promptgate: error: \(message)\n".utf8))
  }

  static func warning(_ message: String) {
    FileHandle.standardError.write(Data("promptgate: warning: \(message)\n".utf8))
  }

  /// Progress a command reports beside its result (what `--sync` fetched and pushed).
  static func note(_ message: String) {
    let text = message.hasSuffix("\n") ? message : message + "\n"
    FileHandle.standardError.write(Data(text.utf8))
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
    if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
    if !keepingNames { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return String(decoding: try encoder.encode(value), as: UTF8.self)
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
  static var environmentAllowsColor: Bool {
    let environment = ProcessInfo.processInfo.environment
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    return environment["TERM"] != "dumb"
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
