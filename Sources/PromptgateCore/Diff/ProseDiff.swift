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
      inParallel: large, { MarkdownSections(old).sections }, { MarkdownSections(new).sections })
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

    // The sections both sides have whose text changed, compared before the list is assembled:
    // a large prompt's are split over two threads.
    var edited: [EditedUnits] = []
    var editedIndex: [String: Int] = [:]
    for section in after {
      if let previous = oldByKey[section.key], previous.units != section.units {
        editedIndex[section.key] = edited.count
        edited.append((previous.units, section.units))
      }
    }
    let editedItems = itemChanges(of: edited, inParallel: large)

    var changes: [SectionChange] = []
    for section in after {
      if let source = renamedFrom[section.key] {
        changes.append(
          SectionChange(
            change: .renamed, path: section.path, oldPath: source.path, units: section.units.count, items: [])
        )
        continue
      }
      guard oldByKey[section.key] != nil else {
        changes.append(
          SectionChange(
            change: .added, path: section.path, oldPath: nil, units: section.units.count, items: []))
        continue
      }
      let items = editedIndex[section.key].map { editedItems[$0] } ?? []
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

  /// A section's units before and after an edit.
  private typealias EditedUnits = (old: [String], new: [String])

  /// Each pair's ``itemChanges(_:_:reader:)``, in order. In parallel, the pairs are cut in two
  /// runs of about as many units, one a thread, each with its own word ids (ids are only
  /// compared within a pair, so the items are the same).
  private static func itemChanges(of pairs: [EditedUnits], inParallel: Bool) -> [[SectionChange.Item]] {
    guard inParallel, pairs.count > 1 else { return itemChanges(of: pairs[...]) }
    let total = pairs.reduce(0) { $0 + $1.old.count + $1.new.count }
    var split = 0
    var units = 0
    while split < pairs.count - 1, 2 * units < total {
      units += pairs[split].old.count + pairs[split].new.count
      split += 1
    }
    let middle = split
    let (first, second) = Parallel.both(
      inParallel: true, { itemChanges(of: pairs[..<middle]) }, { itemChanges(of: pairs[middle...]) })
    return first + second
  }

  private static func itemChanges(of pairs: ArraySlice<EditedUnits>) -> [[SectionChange.Item]] {
    var reader = ProseWords.Reader()
    return pairs.map { itemChanges($0.old, $0.new, reader: &reader) }
  }

  /// The units that changed: each run of removals and additions pairs its units in order while
  /// they still share most of their words (an edited sentence); the rest are added or removed.
  static func itemChanges(_ old: [String], _ new: [String], reader: inout ProseWords.Reader)
    -> [SectionChange.Item]
  {
    var items: [SectionChange.Item] = []
    var removed: [String] = []
    var added: [String] = []
    func flush() {
      var remaining = added[...]
      var candidate = remaining.first.map(ProseWords.Unit.init)
      for unit in removed {
        var words = ProseWords.Unit(unit)
        if candidate != nil, let excerpt = edit(&words, &candidate!, reader: &reader) {
          items.append(
            SectionChange.Item(change: .changed, old: unit, new: candidate!.text, excerpt: excerpt))
          remaining = remaining.dropFirst()
          candidate = remaining.first.map(ProseWords.Unit.init)
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
    let operations =
      if let a = asciiIDs(old, &reader.table), let b = asciiIDs(new, &reader.table) {
        LineDiff.operations(ids: a, b, trace: &reader.trace)
      } else {
        LineDiff.operations(from: old, to: new)
      }
    for operation in operations {
      switch operation {
      case .equal: flush()
      case .delete(let index): removed.append(old[index])
      case .insert(let index): added.append(new[index])
      }
    }
    flush()
    return items
  }

  /// The units as ids from the diff's table when every one is ASCII (where equal bytes are equal
  /// strings), without hashing them as Swift strings; nil otherwise.
  private static func asciiIDs(_ units: [String], _ table: inout WordTable) -> [Int]? {
    var ids: [Int] = []
    ids.reserveCapacity(units.count)
    for var unit in units {
      let id = unit.withUTF8 { bytes -> Int? in
        for byte in bytes where byte >= 0x80 { return nil }
        return table.id(bytes, 0, bytes.count)
      }
      guard let id else { return nil }
      ids.append(id)
    }
    return ids
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
