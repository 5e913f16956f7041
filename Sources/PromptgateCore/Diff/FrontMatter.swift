/// A prompt file split into its YAML front matter and its template body.
///
/// Front matter is YAML between a first line `---` and the next line `---` (or `...`), as in
/// `.prompty` and `.prompt.md` files.
public struct FrontMatter: Sendable, Equatable {
  /// The YAML between the markers, nil when the file has no front matter.
  public let yaml: String?
  /// Everything after the closing marker (the whole file when there is no front matter).
  public let body: String

  public init(splitting text: String) {
    // Scans UTF-8 bytes line by line: prompts are read on every diff and check.
    let bytes = Array(text.utf8)
    var start = 0
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    let firstEnd = Self.lineEnd(bytes, from: start)
    guard Self.isMarker(bytes[start..<firstEnd], closing: false) else {
      yaml = nil
      body = text
      return
    }
    var lineStart = min(firstEnd + 1, bytes.count)
    let yamlStart = lineStart
    while lineStart < bytes.count {
      let end = Self.lineEnd(bytes, from: lineStart)
      if Self.isMarker(bytes[lineStart..<end], closing: true) {
        // The YAML ends before the newline that precedes the closing marker.
        let yamlEnd = max(yamlStart, lineStart - 1)
        yaml = String(decoding: bytes[yamlStart..<yamlEnd], as: UTF8.self)
        body = String(decoding: bytes[min(end + 1, bytes.count)...], as: UTF8.self)
        return
      }
      lineStart = end + 1
    }
    yaml = nil
    body = text
  }

  private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int {
    MarkdownSections.lineEnd(bytes, from: start)
  }

  /// `---` (or `...` when closing), with spaces around and a carriage return allowed.
  private static func isMarker(_ line: ArraySlice<UInt8>, closing: Bool) -> Bool {
    var trimmed = line
    while let last = trimmed.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\r") {
      trimmed = trimmed.dropLast()
    }
    while let first = trimmed.first, first == UInt8(ascii: " ") { trimmed = trimmed.dropFirst() }
    return trimmed.elementsEqual("---".utf8) || (closing && trimmed.elementsEqual("...".utf8))
  }
}

/// The template variables a prompt uses: `{{ name }}`, `{{name}}`, `{{ user.name | upper }}`,
/// `{{- name -}}`, `{{{ name }}}`. Block tags (`{{#if}}`, `{{/if}}`, `{% %}`) are not variables.
public enum TemplateVariables {
  public static func names(in text: String) -> Set<String> {
    var text = text
    return text.withUTF8(names)
  }

  /// Jumps from brace to brace, eight bytes at a time between them: a prompt can be a megabyte
  /// of prose with no variable in it.
  private static func names(in bytes: UnsafeBufferPointer<UInt8>) -> Set<String> {
    var names = Set<String>()
    var index = 0
    while index + 1 < bytes.count {
      index = ByteSearch.firstIndex(of: UInt8(ascii: "{"), in: bytes, from: index)
      guard index + 1 < bytes.count else { break }
      guard bytes[index + 1] == UInt8(ascii: "{") else {
        index += 1
        continue
      }
      index += 2
      while index < bytes.count,
        bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "-")
          || bytes[index] == UInt8(ascii: " ")
          || bytes[index] == UInt8(ascii: "\t")
      {
        index += 1
      }
      let start = index
      guard index < bytes.count, isIdentifierStart(bytes[index]) else { continue }
      while index < bytes.count,
        isIdentifierStart(bytes[index]) || isDigit(bytes[index]) || bytes[index] == 46
      {
        index += 1
      }
      var name = bytes[start..<index]
      while name.last == UInt8(ascii: ".") { name = name.dropLast() }
      names.insert(String(decoding: name, as: UTF8.self))
    }
    return names
  }

  private static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == UInt8(ascii: "_")
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
