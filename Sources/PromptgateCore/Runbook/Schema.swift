/// The expected shape of a YAML document, checked key by key so every problem gets its own
/// diagnostic with a place and a fix: unknown keys (with "did you mean"), wrong types, missing
/// required keys.
indirect enum Schema: Sendable {
  /// A map with these keys and no others.
  case map([String: Field])
  /// A map with any keys, every value of one shape (`roles`, `slo`).
  case mapOf(Schema)
  case list(Schema)
  /// Any scalar but null; numbers and booleans are read as their text.
  case string
  case integer
  /// An integer or a float.
  case number
  case bool
  /// One of these strings.
  case oneOf([String])
  /// Anything at all.
  case any

  struct Field: Sendable {
    let schema: Schema
    let required: Bool

    static func required(_ schema: Schema) -> Field { Field(schema: schema, required: true) }
    static func optional(_ schema: Schema) -> Field { Field(schema: schema, required: false) }
  }

  /// What this shape is called in a message: "a list of strings".
  var noun: String {
    switch self {
    case .map, .mapOf: "a map"
    case .list(let item): "a list of \(item.pluralNoun)"
    case .string: "a string"
    case .integer: "a whole number"
    case .number: "a number"
    case .bool: "true or false"
    case .oneOf(let values): "one of \(values.joined(separator: ", "))"
    case .any: "a value"
    }
  }

  private var pluralNoun: String {
    switch self {
    case .map, .mapOf: "maps"
    case .list: "lists"
    case .string: "strings"
    case .integer: "whole numbers"
    case .number: "numbers"
    case .bool: "booleans"
    case .oneOf(let values): values.joined(separator: " / ")
    case .any: "values"
    }
  }

  /// Checks `value` and appends a diagnostic for each problem. `path` is the key path so far
  /// (`reliability.rollback`), `file` the repository path for messages.
  func validate(_ value: StructuredValue, path: String, file: String, into diagnostics: inout [Diagnostic]) {
    func problem(_ message: String, at location: SourceLocation = value.location) {
      diagnostics.append(Diagnostic(.error, message, file: file, at: location))
    }
    // Spelled out only for a message: a valid document (every command reads the runbook) needs
    // none of it.
    var name: String { path.isEmpty ? "the document" : "`\(path)`" }
    switch (self, value.content) {
    case (.any, _):
      return
    case (.map(let fields), .map(let entries)):
      var seen = Set<String>()
      for entry in entries {
        seen.insert(entry.key)
        let childPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
        guard let field = fields[entry.key] else {
          let hint = Suggestion.closest(to: entry.key, among: fields.keys).map { "; did you mean `\($0)`?" }
          let known = fields.keys.sorted().joined(separator: ", ")
          problem(
            "unknown key `\(childPath)`" + (hint ?? "; expected one of: \(known)"), at: entry.keyLocation)
          continue
        }
        field.schema.validate(entry.value, path: childPath, file: file, into: &diagnostics)
      }
      var missing: [String] = []
      for (key, field) in fields where field.required && !seen.contains(key) { missing.append(key) }
      for key in missing.sorted() {
        problem("\(name) is missing the required key `\(key)`")
      }
    case (.mapOf(let item), .map(let entries)):
      for entry in entries {
        item.validate(
          entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", file: file, into: &diagnostics
        )
      }
    case (.list(let item), .list(let items)):
      for (index, element) in items.enumerated() {
        item.validate(element, path: "\(path)[\(index)]", file: file, into: &diagnostics)
      }
    case (.string, .scalar(let scalar)) where scalar.kind != .null,
      (.integer, .scalar(let scalar)) where scalar.kind == .integer,
      (.number, .scalar(let scalar)) where scalar.kind == .integer || scalar.kind == .float,
      (.bool, .scalar(let scalar)) where scalar.kind == .bool:
      _ = scalar
      return
    case (.oneOf(let values), .scalar(let scalar)) where values.contains(scalar.text):
      return
    case (.oneOf(let values), .scalar(let scalar)):
      let hint = Suggestion.closest(to: scalar.text, among: values).map { " (did you mean `\($0)`?)" } ?? ""
      problem("\(name) is `\(scalar.text)`; it must be one of: \(values.joined(separator: ", "))\(hint)")
    default:
      problem("\(name) must be \(noun); found \(Self.describe(value))")
    }
  }

  private static func describe(_ value: StructuredValue) -> String {
    switch value.content {
    case .map: "a map"
    case .list: "a list"
    case .scalar(let scalar) where scalar.kind == .null: "nothing"
    case .scalar(let scalar): "`\(scalar.text)`"
    }
  }
}
