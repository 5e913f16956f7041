import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where in the ledger the metrics imports and service reviews are, cached in
/// `.git/promptgate/improvement-index.json` so a report reads those few events, not the whole
/// ledger, each time. Brought up to date by reading only the events added since; rebuilt when
/// missing, unreadable, or not an ancestor of the head. A cache only: every commit it names is
/// read again and must be an improvement event the head descends from, so editing the file can
/// cost time but never add a measurement.
struct ImprovementIndex {
  static let version: Int64 = 1

  var head: ObjectID?
  /// The ledger commits of improvement events, oldest first, as concatenated 40-digit ids.
  var commits = ""

  static func file(in folder: String) -> String { folder + "/improvement-index.json" }

  /// The improvement events of the ledger, oldest first.
  static func records(_ ledger: Ledger) throws(PromptgateError) -> [Ledger.Record] {
    guard let head = try ledger.head() else { return [] }
    let folder = ledger.state.folder
    var index = load(from: folder) ?? ImprovementIndex()
    if let indexed = index.head, indexed != head, !ledger.repository.isDescendant(head, of: indexed) {
      index = ImprovementIndex()
    }
    if index.head != head {
      var fresh: [String] = []
      var next: ObjectID? = head
      while let commit = next, commit != index.head {
        let record = try ledger.record(commit)
        if record.event.isImprovement { fresh.append(commit.hex) }
        next = record.parent
      }
      index.commits += fresh.reversed().joined()
      index.head = head
      index.save(to: folder)
    }
    var records: [Ledger.Record] = []
    var utf8 = Substring(index.commits).utf8[...]
    // Each entry must descend from the one before it and the head from the last: the ledger is
    // one chain, so that puts every entry in the head's history with one walk of it in all
    // (asking each entry against the head walked the ledger once per entry).
    var newer = head
    var entries: [ObjectID] = []
    while !utf8.isEmpty {
      guard let id = ObjectID(hex: String(Substring(utf8.prefix(40)))) else {
        return try rebuilt(ledger, head)
      }
      entries.append(id)
      utf8 = utf8.dropFirst(40)
    }
    for (offset, id) in entries.reversed().enumerated() {
      // Only the newest entry may be the head itself: an entry listed twice is a forged cache.
      let isHead = offset == 0 && id == head
      guard isHead || (id != newer && ledger.repository.isDescendant(newer, of: id)) else {
        return try rebuilt(ledger, head)
      }
      newer = id
    }
    for id in entries {
      guard let record = try? ledger.record(id), record.event.isImprovement else {
        return try rebuilt(ledger, head)
      }
      records.append(record)
    }
    return records
  }

  /// The cache does not match the ledger: forget it and read the ledger itself.
  private static func rebuilt(_ ledger: Ledger, _ head: ObjectID) throws(PromptgateError) -> [Ledger.Record] {
    try? FileManager.default.removeItem(atPath: file(in: ledger.state.folder))
    return try ledger.records(upTo: head).filter(\.event.isImprovement)
  }

  private static func load(from folder: String) -> ImprovementIndex? {
    guard let bytes = LocalFile.bytes(atPath: file(in: folder)),
      let json = try? JSONValue(parsing: bytes), json["version"]?.integer == version,
      let commits = json["commits"]?.string, commits.utf8.count % 40 == 0
    else { return nil }
    return ImprovementIndex(head: json["head"]?.string.flatMap(ObjectID.init(hex:)), commits: commits)
  }

  private func save(to folder: String) {
    let json = JSONValue.object([
      "version": .integer(Self.version), "head": head.map { .string($0.hex) } ?? .null,
      "commits": .string(commits),
    ])
    // A cache: failing to write it costs time on the next run, nothing else.
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try? LedgerContinuity.atomicWrite(json.canonical, to: Self.file(in: folder))
  }
}
