/// A Markdown prompt cut into sections by its headings, each section's text cut into the units a
/// reviewer reads: list items, sentences, table rows, code lines.
///
/// Headings are ATX (`# STEPS`, up to three spaces before) and setext (a line of `===` or `---`
/// under a paragraph line); a `#` inside a fenced code block is not a heading. A section's path
/// is the titles of its heading and every enclosing heading (`IDENTITY and PURPOSE › STEPS`).
public struct MarkdownSections: Sendable {
  public struct Section: Sendable, Hashable {
    /// The heading titles from the outermost to this section's own; empty for the text before
    /// the first heading.
    public let path: [String]
    /// A path made unique in the document: a second `## Example` under the same parent is
    /// `Example (2)`.
    public let key: String
    public let units: [String]
    /// The section's first line (its heading), counted from 1.
    public let line: Int
  }

  public let sections: [Section]

  /// Separates heading titles in a printed path.
  public static let separator = " › "

  public init(_ text: String) {
    var builder = Builder()
    var fence: (marker: Character, count: Int)?
    var previous: Substring?
    var lineNumber = 0
    // "\r\n" is one Character in Swift: split on it as on "\n".
    for rawLine in text.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    {
      lineNumber += 1
      let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine
      let trimmed = line.drop { $0 == " " }
      let indent = line.count - trimmed.count
      if let open = fence {
        if indent < 4,
          Self.fenceMarker(trimmed).map({ $0.marker == open.marker && $0.count >= open.count }) == true,
          trimmed.drop(while: { $0 == open.marker }).allSatisfy({ $0 == " " || $0 == "\t" })
        {
          fence = nil
        }
        builder.code(line)
        previous = nil
        continue
      }
      if indent < 4, let marker = Self.fenceMarker(trimmed) {
        fence = marker
        builder.endParagraph()
        builder.code(line)
        previous = nil
        continue
      }
      if indent < 4, let heading = Self.atxHeading(trimmed) {
        builder.heading(level: heading.level, title: heading.title, line: lineNumber)
        previous = nil
        continue
      }
      if indent < 4, let previousLine = previous, let level = Self.setextLevel(trimmed),
        builder.paragraphIsOneLine
      {
        builder.dropParagraph()
        builder.heading(
          level: level, title: String(previousLine.trimmingCharacters(in: " \t")), line: lineNumber - 1)
        previous = nil
        continue
      }
      builder.text(line)
      previous = trimmed.isEmpty ? nil : line
    }
    sections = builder.finish()
  }

  /// The path as a reviewer reads it; "(preamble)" before the first heading.
  public static func display(_ path: [String]) -> String {
    path.isEmpty ? "(preamble)" : path.joined(separator: separator)
  }

  private static func fenceMarker(_ line: Substring) -> (marker: Character, count: Int)? {
    guard let first = line.first, first == "`" || first == "~" else { return nil }
    let count = line.prefix { $0 == first }.count
    guard count >= 3 else { return nil }
    // A backtick fence's info string may not hold a backtick (CommonMark).
    if first == "`", line.dropFirst(count).contains("`") { return nil }
    return (first, count)
  }

  private static func atxHeading(_ line: Substring) -> (level: Int, title: String)? {
    let hashes = line.prefix { $0 == "#" }.count
    guard (1...6).contains(hashes) else { return nil }
    let rest = line.dropFirst(hashes)
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    var title = rest.trimmingCharacters(in: " \t")
    // A closing run of `#` preceded by a space is not part of the title.
    let closing = title.reversed().prefix { $0 == "#" }.count
    if closing > 0 {
      let body = title.dropLast(closing)
      if body.isEmpty || body.last == " " || body.last == "\t" {
        title = String(body).trimmingCharacters(in: " \t")
      }
    }
    return (hashes, title)
  }

  private static func setextLevel(_ line: Substring) -> Int? {
    let content = line.trimmingCharacters(in: " \t")
    guard let first = content.first, first == "=" || first == "-", content.allSatisfy({ $0 == first }) else {
      return nil
    }
    return first == "=" ? 1 : 2
  }

  /// Collects sections and the units of the one being read.
  private struct Builder {
    var sections: [Section] = []
    var stack: [(level: Int, title: String)] = []
    var units: [String] = []
    var paragraph: [Substring] = []
    var item: [Substring] = []
    var line = 1
    var seen: [String: Int] = [:]

    var paragraphIsOneLine: Bool { paragraph.count == 1 && item.isEmpty }

    mutating func heading(level: Int, title: String, line: Int) {
      endParagraph()
      closeSection()
      while let last = stack.last, last.level >= level { stack.removeLast() }
      stack.append((level, title))
      self.line = line
    }

    mutating func text(_ line: Substring) {
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.isEmpty {
        endParagraph()
        return
      }
      if MarkdownSections.isThematicBreak(trimmed) {
        endParagraph()
        return
      }
      if trimmed.first == "|" {
        endParagraph()
        // A table's delimiter row (`|---|:--:|`) says nothing.
        if !trimmed.allSatisfy({ "|-: \t".contains($0) }) { units.append(collapse([trimmed])) }
        return
      }
      if MarkdownSections.isListItem(trimmed) {
        endParagraph()
        item = [trimmed]
        return
      }
      if !item.isEmpty {
        item.append(trimmed)
      } else {
        paragraph.append(trimmed)
      }
    }

    mutating func code(_ line: Substring) {
      endParagraph()
      if !line.trimmingCharacters(in: " \t").isEmpty { units.append(String(line)) }
    }

    mutating func dropParagraph() {
      paragraph = []
    }

    mutating func endParagraph() {
      if !item.isEmpty {
        units.append(collapse(item))
        item = []
      }
      if !paragraph.isEmpty {
        units += MarkdownSections.sentences(collapse(paragraph))
        paragraph = []
      }
    }

    mutating func closeSection() {
      let path = stack.map(\.title)
      guard !(path.isEmpty && units.isEmpty) else { return }
      let plain = MarkdownSections.display(path)
      seen[plain, default: 0] += 1
      let count = seen[plain]!
      sections.append(
        Section(path: path, key: count == 1 ? plain : "\(plain) (\(count))", units: units, line: line))
      units = []
    }

    mutating func finish() -> [Section] {
      endParagraph()
      closeSection()
      return sections
    }

    private func collapse(_ lines: [Substring]) -> String {
      lines.map { $0.trimmingCharacters(in: " \t") }.joined(separator: " ")
    }
  }

  /// `---`, `***`, `___` (three or more, spaces allowed between): a rule, not text.
  static func isThematicBreak(_ line: Substring) -> Bool {
    let marks = line.filter { $0 != " " && $0 != "\t" }
    guard let first = marks.first, "-*_".contains(first), marks.count >= 3 else { return false }
    return marks.allSatisfy { $0 == first }
  }

  static func isListItem(_ line: Substring) -> Bool {
    guard let first = line.first else { return false }
    if first == "-" || first == "*" || first == "+" {
      let next = line.dropFirst().first
      return next == nil || next == " " || next == "\t"
    }
    let digits = line.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= 9 else { return false }
    let rest = line.dropFirst(digits.count)
    guard rest.first == "." || rest.first == ")" else { return false }
    let next = rest.dropFirst().first
    return next == nil || next == " " || next == "\t"
  }

  /// A paragraph split after `.`, `!` or `?` (and any closing quotes or brackets) that a space
  /// follows. Abbreviations split too: a reviewer reads the excerpt, not a parse.
  static func sentences(_ paragraph: String) -> [String] {
    var result: [String] = []
    var current = ""
    var pendingEnd = false
    for character in paragraph {
      if pendingEnd, character == " " {
        result.append(current)
        current = ""
        pendingEnd = false
        continue
      }
      current.append(character)
      if ".!?".contains(character) {
        pendingEnd = true
      } else if !(pendingEnd && "\"')]*_".contains(character)) {
        pendingEnd = false
      }
    }
    if !current.isEmpty { result.append(current) }
    return result.filter { !$0.isEmpty }
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var slice = self
    while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
    while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
    return String(slice)
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}
