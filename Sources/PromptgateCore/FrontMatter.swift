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
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
    if let first = lines.first, first.hasPrefix("\u{FEFF}") {
      lines[lines.startIndex] = first.dropFirst()
    }
    guard let first = lines.first, Self.isMarker(first, closing: false) else {
      yaml = nil
      body = text
      return
    }
    let rest = lines.dropFirst()
    guard let closing = rest.firstIndex(where: { Self.isMarker($0, closing: true) }) else {
      yaml = nil
      body = text
      return
    }
    yaml = rest[..<closing].joined(separator: "\n")
    body = rest[(closing + 1)...].joined(separator: "\n")
  }

  private static func isMarker(_ line: Substring, closing: Bool) -> Bool {
    let trimmed = line.drop { $0 == " " }.reversed().drop { $0 == " " || $0 == "\r" }
    let marker = String(trimmed.reversed())
    return marker == "---" || (closing && marker == "...")
  }
}

/// The template variables a prompt uses: `{{ name }}`, `{{name}}`, `{{ user.name | upper }}`,
/// `{{- name -}}`, `{{{ name }}}`. Block tags (`{{#if}}`, `{{/if}}`, `{% %}`) are not variables.
public enum TemplateVariables {
  public static func names(in text: String) -> Set<String> {
    var names = Set<String>()
    let bytes = Array(text.utf8)
    var index = 0
    while index + 1 < bytes.count {
      guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else {
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
