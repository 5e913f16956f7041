/// One change to a Markdown section of a prompt: added, removed, moved, renamed or edited, with
/// the sentences and list items that changed inside it.
public struct SectionChange: Sendable, Hashable {
  public enum Change: String, Sendable {
    /// The heading is new.
    case added
    /// The heading is gone.
    case removed
    /// The same heading path, its text edited in place.
    case changed
    /// The same heading path at another place among the sections both sides share (its text may
    /// also have changed: see ``items``).
    case moved
    /// A heading whose text stayed the same under a new title or parent.
    case renamed
  }

  /// One sentence, list item, table row or code line that changed.
  public struct Item: Sendable, Hashable {
    public enum Change: String, Sendable {
      case added, removed, changed
    }

    public let change: Change
    public let old: String?
    public let new: String?
    /// For a changed item, the words that changed in their context, as `git diff --word-diff`
    /// marks them: `[-old-]{+new+}`, with "…" for the words left out.
    public let excerpt: String?

    public init(change: Change, old: String?, new: String?, excerpt: String?) {
      self.change = change
      self.old = old
      self.new = new
      self.excerpt = excerpt
    }
  }

  public let change: Change
  /// The heading path after the change (before it, for a removed section).
  public let path: [String]
  /// The heading path before a rename; nil otherwise.
  public let oldPath: [String]?
  /// The section's units (sentences, items) on the side that has it, for added and removed.
  public let units: Int
  public let items: [Item]

  public init(change: Change, path: [String], oldPath: [String]?, units: Int, items: [Item]) {
    self.change = change
    self.path = path
    self.oldPath = oldPath
    self.units = units
    self.items = items
  }
}

/// Compares a prose prompt section by section (SPEC §6).
public enum ProseDiff {
  /// Words kept around a change in an excerpt.
  static let context = 4

  public static func changes(old: String, new: String) -> [SectionChange] {
    let before = MarkdownSections(old).sections
    let after = MarkdownSections(new).sections
    let oldByKey = Dictionary(before.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    let newByKey = Dictionary(after.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

    // Sections both sides share keep their relative order unless moved: the longest common
    // subsequence of shared keys stays, the rest moved.
    let sharedOld = before.map(\.key).filter { newByKey[$0] != nil }
    let sharedNew = after.map(\.key).filter { oldByKey[$0] != nil }
    var moved = Set<String>()
    for operation in LineDiff.operations(from: sharedOld, to: sharedNew) {
      if case .insert(let index) = operation { moved.insert(sharedNew[index]) }
    }

    // A removed and an added section with the same non-empty text: a rename.
    var removedByText: [[String]: [MarkdownSections.Section]] = [:]
    for section in before where newByKey[section.key] == nil && !section.units.isEmpty {
      removedByText[section.units, default: []].append(section)
    }
    var renamedFrom: [String: MarkdownSections.Section] = [:]
    var renamedKeys = Set<String>()
    for section in after where oldByKey[section.key] == nil && !section.units.isEmpty {
      if var candidates = removedByText[section.units], !candidates.isEmpty {
        renamedFrom[section.key] = candidates.removeFirst()
        renamedKeys.insert(renamedFrom[section.key]!.key)
        removedByText[section.units] = candidates
      }
    }

    var changes: [SectionChange] = []
    for section in after {
      if let source = renamedFrom[section.key] {
        changes.append(
          SectionChange(
            change: .renamed, path: section.path, oldPath: source.path, units: section.units.count, items: [])
        )
        continue
      }
      guard let previous = oldByKey[section.key] else {
        changes.append(
          SectionChange(
            change: .added, path: section.path, oldPath: nil, units: section.units.count, items: []))
        continue
      }
      let items = previous.units == section.units ? [] : itemChanges(previous.units, section.units)
      if moved.contains(section.key) {
        changes.append(
          SectionChange(
            change: .moved, path: section.path, oldPath: nil, units: section.units.count, items: items))
      } else if !items.isEmpty {
        changes.append(
          SectionChange(
            change: .changed, path: section.path, oldPath: nil, units: section.units.count, items: items))
      }
    }
    for section in before where newByKey[section.key] == nil && !renamedKeys.contains(section.key) {
      changes.append(
        SectionChange(
          change: .removed, path: section.path, oldPath: nil, units: section.units.count, items: []))
    }
    return changes
  }

  /// The units that changed: each run of removals and additions pairs its units in order while
  /// they still share most of their words (an edited sentence); the rest are added or removed.
  static func itemChanges(_ old: [String], _ new: [String]) -> [SectionChange.Item] {
    var items: [SectionChange.Item] = []
    var removed: [String] = []
    var added: [String] = []
    func flush() {
      var remaining = added[...]
      for unit in removed {
        if let candidate = remaining.first, let excerpt = edit(unit, candidate) {
          items.append(SectionChange.Item(change: .changed, old: unit, new: candidate, excerpt: excerpt))
          remaining = remaining.dropFirst()
        } else {
          items.append(SectionChange.Item(change: .removed, old: unit, new: nil, excerpt: nil))
        }
      }
      for unit in remaining {
        items.append(SectionChange.Item(change: .added, old: nil, new: unit, excerpt: nil))
      }
      removed = []
      added = []
    }
    for operation in LineDiff.operations(from: old, to: new) {
      switch operation {
      case .equal: flush()
      case .delete(let index): removed.append(old[index])
      case .insert(let index): added.append(new[index])
      }
    }
    flush()
    return items
  }

  /// The excerpt of `old` edited into `new` when they are ``similar(_:_:)``, else nil: the units
  /// are split into words and diffed once for both questions (a large rewrite pairs thousands).
  static func edit(_ old: String, _ new: String) -> String? {
    let a = words(old)
    let b = words(new)
    let operations = LineDiff.operations(from: a.map(\.text), to: b.map(\.text))
    guard similar(a.count, b.count, operations) else { return nil }
    return excerpt(a, b, operations)
  }

  /// True when at least half the words of the longer unit survive into the other.
  static func similar(_ old: String, _ new: String) -> Bool {
    let a = words(old).map(\.text)
    let b = words(new).map(\.text)
    return similar(a.count, b.count, LineDiff.operations(from: a, to: b))
  }

  private static func similar(_ oldCount: Int, _ newCount: Int, _ operations: [LineDiff.Operation]) -> Bool {
    guard oldCount > 0, newCount > 0 else { return false }
    let kept = operations.reduce(0) { count, operation in
      if case .equal = operation { return count + 1 }
      return count
    }
    return kept * 2 >= max(oldCount, newCount)
  }

  /// The changed words of an edited unit in context, as `git diff --word-diff=plain` marks them:
  /// `keep the [-old-]{+new+} words`, with "…" for the words left out. Words are compared
  /// without the spaces after them, so a change of spacing alone is no change.
  public static func excerpt(_ old: String, _ new: String) -> String {
    let a = words(old)
    let b = words(new)
    return excerpt(a, b, LineDiff.operations(from: a.map(\.text), to: b.map(\.text)))
  }

  private static func excerpt(_ a: [Token], _ b: [Token], _ operations: [LineDiff.Operation]) -> String {
    enum Piece {
      case same(Token)
      case changed(removed: [Token], added: [Token])
    }
    var pieces: [Piece] = []
    var removed: [Token] = []
    var added: [Token] = []
    func flush() {
      if !removed.isEmpty || !added.isEmpty { pieces.append(.changed(removed: removed, added: added)) }
      removed = []
      added = []
    }
    for operation in operations {
      switch operation {
      case .equal(_, let index):
        flush()
        pieces.append(.same(b[index]))
      case .delete(let index): removed.append(a[index])
      case .insert(let index): added.append(b[index])
      }
    }
    flush()

    // Keep `context` words (not counting punctuation) on each side of every change.
    let wordIndexes = pieces.indices.filter { index in
      if case .same(let token) = pieces[index] { return token.text.contains { $0.isLetter || $0.isNumber } }
      return false
    }
    var keep = [Bool](repeating: false, count: pieces.count)
    for index in pieces.indices {
      guard case .changed = pieces[index] else { continue }
      keep[index] = true
      let before = wordIndexes.filter { $0 < index }.suffix(context)
      let after = wordIndexes.filter { $0 > index }.prefix(context)
      for covered in (before.first ?? index)...(after.last ?? index) { keep[covered] = true }
    }
    // A left-out run without a word (a full stop) is kept: "…" stands for words.
    let isWord = Set(wordIndexes)
    var runStart: Int?
    for index in pieces.indices.reversed() + [-1] {
      if index >= 0, !keep[index] {
        runStart = runStart ?? index
        continue
      }
      if let end = runStart, !((index + 1)...end).contains(where: isWord.contains) {
        for covered in (index + 1)...end { keep[covered] = true }
      }
      runStart = nil
    }

    var out = ""
    var skipping = false
    for index in pieces.indices {
      guard keep[index] else {
        skipping = true
        continue
      }
      if skipping {
        out += out.isEmpty ? "… " : (out.last == " " ? "… " : " … ")
        skipping = false
      }
      switch pieces[index] {
      case .same(let token): out += token.text + token.space
      case .changed(let removed, let added):
        // Marks close before the last token's space, which follows the marks.
        func marked(_ tokens: [Token], _ open: String, _ close: String) -> String {
          guard let last = tokens.last else { return "" }
          return open + tokens.dropLast().map { $0.text + $0.space }.joined() + last.text + close
        }
        out += marked(removed, "[-", "-]") + marked(added, "{+", "+}")
        out += (added.last ?? removed.last)?.space ?? ""
      }
    }
    if skipping { out += out.last == " " ? "…" : " …" }
    return out.trimmingWhitespace
  }

  /// One word (letters, digits, `_`, `'`) or one other visible character, and the spaces after
  /// it.
  struct Token {
    let text: String
    var space = ""
  }

  static func words(_ text: String) -> [Token] {
    var tokens: [Token] = []
    // The token being read runs from `start` to the current index; it is cut out of `text` once,
    // when it ends, rather than built a character at a time.
    var start: String.Index?
    var startIsWord = false
    var spaceStart: String.Index?
    func closeSpace(at index: String.Index) {
      if let from = spaceStart, !tokens.isEmpty {
        tokens[tokens.count - 1].space = String(text[from..<index])
      }
      spaceStart = nil
    }
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      let (isSpace, isWord) = classify(character)
      if isSpace {
        if let from = start {
          tokens.append(Token(text: String(text[from..<index])))
          start = nil
        }
        // Spaces before the first word are dropped: units are trimmed anyway.
        if spaceStart == nil { spaceStart = index }
      } else if !(isWord && startIsWord && start != nil) {
        if let from = start { tokens.append(Token(text: String(text[from..<index]))) }
        closeSpace(at: index)
        start = index
        startIsWord = isWord
      }
      index = text.index(after: index)
    }
    if let from = start { tokens.append(Token(text: String(text[from..<text.endIndex]))) }
    closeSpace(at: text.endIndex)
    return tokens
  }

  /// Whether a character is a space, or part of a word (letters, digits, `_`, `'`). ASCII is
  /// answered without Unicode's property tables: most prompts are ASCII, and those lookups were
  /// most of the time a large rewrite took to diff. (`"\r\n"` is one Character, ASCII 10.)
  private static func classify(_ character: Character) -> (space: Bool, word: Bool) {
    if let ascii = character.asciiValue {
      switch ascii {
      case 0x09...0x0D, 0x20: return (true, false)
      case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x27: return (false, true)
      default: return (false, false)
      }
    }
    if character.isWhitespace { return (true, false) }
    return (false, character.isLetter || character.isNumber)
  }
}
