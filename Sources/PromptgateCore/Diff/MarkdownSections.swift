/// A Markdown prompt cut into sections by its headings, each section's text cut into the units a
/// reviewer reads: list items, sentences, table rows, code lines.
///
/// Headings are ATX (`# STEPS`, up to three spaces before) and setext (a line of `===` or `---`
/// under a paragraph line); a `#` inside a fenced code block is not a heading. A section's path
/// is the titles of its heading and every enclosing heading (`IDENTITY and PURPOSE › STEPS`).
///
/// The text is read as UTF-8 bytes, line by line ("\n" or "\r\n"): every Markdown mark is ASCII,
/// and a prompt of a megabyte is read on every diff. The units are kept as bytes in one buffer
/// (``ProseUnits``) rather than a string each: a megabyte holds tens of thousands, and allocating,
/// comparing and freeing them one by one was most of the time it took to cut and compare them.
public struct MarkdownSections: Sendable {
  public struct Section: Sendable, Hashable {
    /// The heading titles from the outermost to this section's own; empty for the text before
    /// the first heading.
    public let path: [String]
    /// A path made unique in the document: a second `## Example` under the same parent is
    /// `Example (2)` (and a heading that says `Example (2)` after it, `Example (2) (2)`).
    public let key: String
    /// The section's units: their indices in the document's ``units``.
    public let units: Range<Int>
    /// The section's first line (its heading), counted from 1.
    public let line: Int
  }

  public let sections: [Section]
  /// Every unit of the document, section after section.
  public let units: ProseUnits

  /// Separates heading titles in a printed path.
  public static let separator = " › "

  typealias Line = ArraySlice<UInt8>

  public init(_ text: String) {
    let bytes = Array(text.utf8)
    var builder = Builder()
    var fence: (marker: UInt8, count: Int)?
    var previous: Line?
    var lineNumber = 0
    var start = 0
    while start <= bytes.count {
      let end = Self.lineEnd(bytes, from: start)
      defer { start = end + 1 }
      if start == bytes.count, end == start { break }
      lineNumber += 1
      var line = bytes[start..<end]
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
      let trimmed = line.drop { $0 == Self.space }
      let indented = line.count - trimmed.count >= 4
      if let open = fence {
        if !indented, let marker = Self.fenceMarker(trimmed), marker.marker == open.marker,
          marker.count >= open.count, trimmed.drop(while: { $0 == open.marker }).allSatisfy(Self.isBlank)
        {
          fence = nil
        }
        builder.code(line)
        previous = nil
        continue
      }
      if !indented, let marker = Self.fenceMarker(trimmed) {
        fence = marker
        builder.endParagraph()
        builder.code(line)
        previous = nil
        continue
      }
      if !indented, let heading = Self.atxHeading(trimmed) {
        builder.heading(level: heading.level, title: heading.title, line: lineNumber)
        previous = nil
        continue
      }
      if !indented, let previousLine = previous, let level = Self.setextLevel(trimmed),
        builder.paragraphIsOneLine
      {
        builder.dropParagraph()
        builder.heading(level: level, title: Self.text(Self.trimmed(previousLine)), line: lineNumber - 1)
        previous = nil
        continue
      }
      builder.text(line)
      previous = trimmed.allSatisfy(Self.isBlank) ? nil : line
    }
    (sections, units) = builder.finish()
  }

  /// A section's units as text.
  public func texts(_ section: Section) -> [String] { section.units.map(units.text) }

  /// The path as a reviewer reads it; "(preamble)" before the first heading.
  public static func display(_ path: [String]) -> String {
    path.count == 1 ? path[0] : path.isEmpty ? "(preamble)" : path.joined(separator: separator)
  }

  static let newline = UInt8(ascii: "\n")

  /// The index of the first newline at or after `start`, or the end.
  static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int {
    bytes.withUnsafeBufferPointer { ByteSearch.firstIndex(of: newline, in: $0, from: start) }
  }

  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")

  static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

  static func trimmed(_ line: Line) -> Line {
    var slice = line
    while let first = slice.first, isBlank(first) { slice = slice.dropFirst() }
    while let last = slice.last, isBlank(last) { slice = slice.dropLast() }
    return slice
  }

  static func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

  private static func fenceMarker(_ line: Line) -> (marker: UInt8, count: Int)? {
    guard let first = line.first, first == UInt8(ascii: "`") || first == UInt8(ascii: "~") else { return nil }
    let count = line.prefix { $0 == first }.count
    guard count >= 3 else { return nil }
    // A backtick fence's info string may not hold a backtick (CommonMark).
    if first == UInt8(ascii: "`"), line.dropFirst(count).contains(first) { return nil }
    return (first, count)
  }

  private static func atxHeading(_ line: Line) -> (level: Int, title: String)? {
    let hash = UInt8(ascii: "#")
    let hashes = line.prefix { $0 == hash }.count
    guard (1...6).contains(hashes) else { return nil }
    let rest = line.dropFirst(hashes)
    guard rest.isEmpty || isBlank(rest.first!) else { return nil }
    var title = trimmed(rest)
    // A closing run of `#` preceded by a space is not part of the title.
    let closing = title.reversed().prefix { $0 == hash }.count
    if closing > 0 {
      let body = title.dropLast(closing)
      if body.isEmpty || isBlank(body.last!) { title = trimmed(body) }
    }
    return (hashes, text(title))
  }

  private static func setextLevel(_ line: Line) -> Int? {
    let content = trimmed(line)
    guard let first = content.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "-"),
      content.allSatisfy({ $0 == first })
    else {
      return nil
    }
    return first == UInt8(ascii: "=") ? 1 : 2
  }

  /// `---`, `***`, `___` (three or more, spaces allowed between): a rule, not text.
  static func isThematicBreak(_ line: Line) -> Bool {
    guard let first = line.first(where: { !isBlank($0) }),
      first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "_")
    else { return false }
    var marks = 0
    for byte in line where !isBlank(byte) {
      guard byte == first else { return false }
      marks += 1
    }
    return marks >= 3
  }

  static func isListItem(_ line: Line) -> Bool {
    guard let first = line.first else { return false }
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "+") {
      let next = line.dropFirst().first
      return next == nil || isBlank(next!)
    }
    let digits = line.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
    guard digits > 0, digits <= 9 else { return false }
    let rest = line.dropFirst(digits)
    guard rest.first == UInt8(ascii: ".") || rest.first == UInt8(ascii: ")") else { return false }
    let next = rest.dropFirst().first
    return next == nil || isBlank(next!)
  }

  /// A paragraph split after `.`, `!` or `?` (and any closing quotes, brackets or emphasis)
  /// that a space follows, as ranges of `paragraph`. Abbreviations split too: a reviewer reads
  /// the excerpt, not a parse.
  static func sentences(_ paragraph: ArraySlice<UInt8>) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start = paragraph.startIndex
    var pendingEnd = false
    for index in paragraph.indices {
      let byte = paragraph[index]
      if pendingEnd, byte == space {
        if index > start { result.append(start..<index) }
        start = index + 1
        pendingEnd = false
        continue
      }
      switch byte {
      case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): pendingEnd = true
      case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "*"),
        UInt8(ascii: "_"):
        break
      default: pendingEnd = false
      }
    }
    if start < paragraph.endIndex { result.append(start..<paragraph.endIndex) }
    return result
  }

  /// Collects sections and the units of the one being read. A paragraph or list item is
  /// written to the units' buffer as its lines arrive (trimmed, joined by one space) and cut
  /// when it ends.
  private struct Builder {
    var sections: [Section] = []
    var stack: [(level: Int, title: String)] = []
    var units = ProseUnits()
    /// The first unit of the section being read.
    var sectionStart = 0
    /// The paragraph or list item being read: where its text starts in the buffer, and its
    /// lines so far (0: none is open).
    var block: (start: Int, lines: Int, isItem: Bool) = (0, 0, false)
    var line = 1
    /// How many sections each path has had, and the keys given.
    var seen: [String: Int] = [:]
    var keys: Set<String>?

    var paragraphIsOneLine: Bool { block.lines == 1 && !block.isItem }

    mutating func heading(level: Int, title: String, line: Int) {
      endParagraph()
      closeSection()
      while let last = stack.last, last.level >= level { stack.removeLast() }
      stack.append((level, title))
      self.line = line
    }

    mutating func text(_ line: Line) {
      let trimmed = line.drop(while: MarkdownSections.isBlank)
      if trimmed.isEmpty || MarkdownSections.isThematicBreak(trimmed) {
        endParagraph()
        return
      }
      if trimmed.first == UInt8(ascii: "|") {
        endParagraph()
        // A table's delimiter row (`|---|:--:|`) says nothing.
        let delimiter = trimmed.allSatisfy { "|-: \t".utf8.contains($0) }
        if !delimiter { units.append(MarkdownSections.trimmed(trimmed)) }
        return
      }
      if MarkdownSections.isListItem(trimmed) {
        endParagraph()
        block = (units.bytes.count, 0, true)
      } else if block.lines == 0 {
        block = (units.bytes.count, 0, false)
      }
      if block.lines > 0 { units.write(MarkdownSections.space) }
      units.write(MarkdownSections.trimmed(trimmed))
      block.lines += 1
    }

    mutating func code(_ line: Line) {
      endParagraph()
      if !line.allSatisfy(MarkdownSections.isBlank) { units.append(line) }
    }

    mutating func dropParagraph() {
      units.discardWritten(from: block.start)
      block = (0, 0, false)
    }

    mutating func endParagraph() {
      guard block.lines > 0 else { return }
      if block.isItem {
        units.endUnit(block.start..<units.bytes.count)
      } else {
        for sentence in MarkdownSections.sentences(units.bytes[block.start...]) { units.endUnit(sentence) }
      }
      block = (0, 0, false)
    }

    mutating func closeSection() {
      guard !(stack.isEmpty && units.count == sectionStart) else { return }
      let path = stack.map(\.title)
      let plain = MarkdownSections.display(path)
      var count = 1
      if let index = seen.index(forKey: plain) {
        seen.values[index] += 1
        count = seen.values[index]
      } else {
        seen[plain] = 1
      }
      var key = count == 1 ? plain : "\(plain) (\(count))"
      // A heading may spell out another's suffix ("Example (2)" after two "Example"s); keys
      // can only meet once some path ends with ")", and are checked from then on.
      if keys == nil, plain.utf8.last == UInt8(ascii: ")") { keys = Set(sections.map(\.key)) }
      if keys != nil {
        while keys!.contains(key) {
          count += 1
          key = "\(plain) (\(count))"
        }
        seen[plain] = count
        keys!.insert(key)
      }
      sections.append(Section(path: path, key: key, units: sectionStart..<units.count, line: line))
      sectionStart = units.count
    }

    mutating func finish() -> ([Section], ProseUnits) {
      endParagraph()
      closeSection()
      return (sections, units)
    }
  }
}
