import PromptgateCore

/// `diff --format json` written one file at a time, in the bytes ``Output/json(_:pretty:)``
/// prints for the whole document (keys sorted, compact, or indented by two spaces with
/// `--pretty`): a whole-history diff lists thousands of files, and the document is never held.
struct DiffJSONWriter {
  let pretty: Bool
  let write: (String) -> Void
  /// Writes UTF-8 bytes: each file's item as ``JSONStream`` made it.
  let writeBytes: ([UInt8]) -> Void

  /// Writes the object of `members` and of the array `key` holding the files `files` yields
  /// (each with its patch, if any), in order, then a newline.
  func object(
    _ members: [String: JSONValue], streaming key: String,
    _ files: (_ yield: (FileChange, _ patch: String?) -> Void) throws(PromptgateError) -> Void
  ) throws(PromptgateError) {
    let keys = Set(members.keys).union([key]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    write("{")
    for (index, name) in keys.enumerated() {
      if index > 0 { write(",") }
      if pretty { write("\n  ") }
      write(JSONValue.string(name).canonicalString + (pretty ? ": " : ":"))
      if name != key, let value = members[name] {
        write(text(value, level: 1))
      } else {
        try array(files)
      }
    }
    write(pretty ? "\n}\n" : "}\n")
  }

  /// `[...]` of the files, one level in; `[]` when there is none, as JSONValue writes an empty
  /// array.
  private func array(
    _ files: (_ yield: (FileChange, _ patch: String?) -> Void) throws(PromptgateError) -> Void
  )
    throws(PromptgateError)
  {
    var count = 0
    var item = JSONStream(pretty: pretty, level: 2)
    try files { file, patch in
      write(count == 0 ? "[" : ",")
      if pretty { write("\n    ") }
      file.writeJSON(patch: patch, to: &item)
      writeBytes(item.take())
      count += 1
    }
    write(count == 0 ? "[]" : pretty ? "\n  ]" : "]")
  }

  /// `value` as it reads `level` levels deep: compact, or indented as ``JSONValue/pretty`` with
  /// two more spaces a level after every line break (strings hold their line breaks escaped).
  private func text(_ value: JSONValue, level: Int) -> String {
    guard pretty else { return value.canonicalString }
    let indent = Array(repeating: UInt8(ascii: " "), count: 2 * level)
    var out: [UInt8] = []
    for byte in value.pretty.utf8.dropLast() {
      out.append(byte)
      if byte == UInt8(ascii: "\n") { out += indent }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
