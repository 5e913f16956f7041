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
  /// A large prompt's two sides are cut, and its edited sections compared, on two threads.
  public static func changes(old: String, new: String) -> [SectionChange] {
    changes(old: old, new: new, inParallel: old.utf8.count + new.utf8.count >= Parallel.largeText)
  }

  static func changes(old: String, new: String, inParallel large: Bool) -> [SectionChange] {
    let (before, after) = Parallel.both(
      inParallel: large, { MarkdownSections(old) }, { MarkdownSections(new) })
    // Sections are paired by key (unique in a document), and then known by their index: a
    // rewrite of a megabyte has thousands.
    let oldIndex = Dictionary(
      before.sections.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
    let counterpart = after.sections.map { oldIndex[$0.key] }
    var isInNew = [Bool](repeating: false, count: before.sections.count)
    for case let index? in counterpart { isInNew[index] = true }

    // Sections both sides share keep their relative order unless moved: the longest common
    // subsequence of shared sections stays, the rest moved.
    let sharedOld = before.sections.indices.filter { isInNew[$0] }
    let sharedNew = counterpart.compactMap { $0 }
    var moved = Set<Int>()
    if sharedOld != sharedNew {
      for operation in LineDiff.operations(ids: sharedOld, sharedNew) {
        if case .insert(let index) = operation { moved.insert(sharedNew[index]) }
      }
    }

    // A removed and an added section with the same non-empty text: a rename.
    var removedByText: [[String]: [Int]] = [:]
    for (index, section) in before.sections.enumerated() where !isInNew[index] && !section.units.isEmpty {
      removedByText[before.texts(section), default: []].append(index)
    }
    var renamedFrom: [Int: Int] = [:]
    var renamed = Set<Int>()
    if !removedByText.isEmpty {
      for (index, section) in after.sections.enumerated()
      where counterpart[index] == nil && !section.units.isEmpty {
        let text = after.texts(section)
        if var candidates = removedByText[text], !candidates.isEmpty {
          renamedFrom[index] = candidates.removeFirst()
          renamed.insert(renamedFrom[index]!)
          removedByText[text] = candidates
        }
      }
    }

    // The sections both sides have whose text changed, compared before the list is assembled:
    // a large prompt's are split over two threads.
    var edited: [EditedUnits] = []
    var editedIndex: [Int: Int] = [:]
    for (index, section) in after.sections.enumerated() {
      guard let previous = counterpart[index] else { continue }
      let oldUnits = before.sections[previous].units
      if !before.units.same(oldUnits, as: after.units, section.units) {
        editedIndex[index] = edited.count
        edited.append((oldUnits, section.units))
      }
    }
    let editedItems = itemChanges(of: edited, before.units, after.units, inParallel: large)

    var changes: [SectionChange] = []
    for (index, section) in after.sections.enumerated() {
      if let source = renamedFrom[index] {
        changes.append(
          SectionChange(
            change: .renamed, path: section.path, oldPath: before.sections[source].path,
            units: section.units.count, items: []))
        continue
      }
      guard let previous = counterpart[index] else {
        changes.append(
          SectionChange(
            change: .added, path: section.path, oldPath: nil, units: section.units.count, items: []))
        continue
      }
      let items = editedIndex[index].map { editedItems[$0] } ?? []
      if moved.contains(previous) {
        changes.append(
          SectionChange(
            change: .moved, path: section.path, oldPath: nil, units: section.units.count, items: items))
      } else if !items.isEmpty {
        changes.append(
          SectionChange(
            change: .changed, path: section.path, oldPath: nil, units: section.units.count, items: items))
      }
    }
    for (index, section) in before.sections.enumerated() where !isInNew[index] && !renamed.contains(index) {
      changes.append(
        SectionChange(
          change: .removed, path: section.path, oldPath: nil, units: section.units.count, items: []))
    }
    return changes
  }

  /// An edited section's units before and after, as indices in each side's ``ProseUnits``.
  private typealias EditedUnits = (old: Range<Int>, new: Range<Int>)

  /// Each pair's ``itemChanges(_:of:_:of:reader:)``, in order. In parallel, the pairs are cut in two
  /// runs of about as many units, one a thread, each with its own word ids (ids are only
  /// compared within a pair, so the items are the same).
  private static func itemChanges(
    of pairs: [EditedUnits], _ before: ProseUnits, _ after: ProseUnits, inParallel: Bool
  ) -> [[SectionChange.Item]] {
    guard inParallel, pairs.count > 1 else { return itemChanges(of: pairs[...], before, after) }
    let total = pairs.reduce(0) { $0 + $1.old.count + $1.new.count }
    var split = 0
    var units = 0
    while split < pairs.count - 1, 2 * units < total {
      units += pairs[split].old.count + pairs[split].new.count
      split += 1
    }
    let middle = split
    let (first, second) = Parallel.both(
      inParallel: true, { itemChanges(of: pairs[..<middle], before, after) },
      { itemChanges(of: pairs[middle...], before, after) })
    return first + second
  }

  private static func itemChanges(
    of pairs: ArraySlice<EditedUnits>, _ before: ProseUnits, _ after: ProseUnits
  )
    -> [[SectionChange.Item]]
  {
    var reader = ProseWords.Reader()
    return pairs.map { itemChanges($0.old, of: before, $0.new, of: after, reader: &reader) }
  }

  /// The units that changed between `old` (of `before`) and `new` (of `after`): each run of
  /// removals and additions pairs its units in order while they still share most of their
  /// words (an edited sentence); the rest are added or removed.
  static func itemChanges(
    _ old: Range<Int>, of before: ProseUnits, _ new: Range<Int>, of after: ProseUnits,
    reader: inout ProseWords.Reader
  ) -> [SectionChange.Item] {
    var items: [SectionChange.Item] = []
    var removed: [Int] = []
    var added: [Int] = []
    func flush() {
      var remaining = added[...]
      var candidate = remaining.first.map { ProseWords.Unit(after.text($0)) }
      for unit in removed {
        let text = before.text(unit)
        var words = ProseWords.Unit(text)
        if candidate != nil, let excerpt = edit(&words, &candidate!, reader: &reader) {
          items.append(
            SectionChange.Item(change: .changed, old: text, new: candidate!.text, excerpt: excerpt))
          remaining = remaining.dropFirst()
          candidate = remaining.first.map { ProseWords.Unit(after.text($0)) }
        } else {
          items.append(SectionChange.Item(change: .removed, old: text, new: nil, excerpt: nil))
        }
      }
      for unit in remaining {
        items.append(SectionChange.Item(change: .added, old: nil, new: after.text(unit), excerpt: nil))
      }
      removed = []
      added = []
    }
    let operations =
      if let a = asciiIDs(old, of: before, &reader.units), let b = asciiIDs(new, of: after, &reader.units) {
        LineDiff.operations(ids: a, b, trace: &reader.trace)
      } else {
        LineDiff.operations(from: old.map(before.text), to: new.map(after.text))
      }
    for operation in operations {
      switch operation {
      case .equal: flush()
      case .delete(let index): removed.append(old.lowerBound + index)
      case .insert(let index): added.append(new.lowerBound + index)
      }
    }
    flush()
    return items
  }

  /// The units as ids from the diff's table when every one is ASCII (where equal bytes are equal
  /// text), read from their bytes; nil otherwise.
  private static func asciiIDs(_ range: Range<Int>, of units: ProseUnits, _ table: inout WordTable) -> [Int]?
  {
    guard range.allSatisfy(units.isASCII) else { return nil }
    return range.map { index in units.withBytes(index) { table.id($0, $1.lowerBound, $1.upperBound) } }
  }

  /// The excerpt of `old` edited into `new` when they are similar (at least half the words of
  /// the longer survive into the other), else nil: the units are split into words and diffed
  /// once for both questions (a large rewrite pairs thousands).
  ///
  /// Half the longer's words can only survive when the shorter has that many, and the diff
  /// then needs no more than the shorter's length in edits: a pair that fails either test is
  /// answered without diffing, or without diffing further. This bounds the work a hostile pair
  /// costs (a megabyte line against many short ones) and changes no answer.
  static func edit(
    _ old: inout ProseWords.Unit, _ new: inout ProseWords.Unit, reader: inout ProseWords.Reader
  )
    -> String?
  {
    let (a, b, ascii) = ProseWords.pair(&old, &new, reader: &reader)
    let shorter = min(a.ids.count, b.ids.count)
    guard shorter > 0, 2 * shorter >= max(a.ids.count, b.ids.count) else { return nil }
    let operations = LineDiff.operations(
      ids: a.ids, b.ids, maxCost: min(LineDiff.defaultMaxCost, shorter), trace: &reader.trace)
    guard similar(a.ids.count, b.ids.count, operations) else { return nil }
    return ProseExcerpt.render(a, b, operations, ascii: ascii)
  }

  /// True when at least half the words of the longer unit survive into the other.
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
    let (a, b, ascii) = ProseWords.pair(old, new)
    return ProseExcerpt.render(a, b, LineDiff.operations(ids: a.ids, b.ids), ascii: ascii)
  }
}
