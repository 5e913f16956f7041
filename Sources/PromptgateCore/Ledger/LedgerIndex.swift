import Foundation
import Git

/// Where in the ledger the approvals and rejections of each release content are, cached in
/// `.git/promptgate/ledger-index.json` so counting a checkpoint's approvals never walks the
/// whole ledger. Brought up to date by reading only the events added since it was written;
/// rebuilt from the ledger when missing, unreadable, or not an ancestor of the head.
struct LedgerIndex {
  static let version: Int64 = 2

  var head: ObjectID?
  var count: Int
  /// Release tree id → ledger commits of its approvals and rejections, oldest first.
  var decisions: [String: [ObjectID]]
  /// Environment → ledger commits of its releases, blocked attempts, overrides, rollbacks and
  /// marks, oldest first.
  var environments: [String: [ObjectID]] = [:]

  static func file(in folder: String) -> String { folder + "/ledger-index.json" }

  static func load(from folder: String) -> LedgerIndex? {
    guard let data = FileManager.default.contents(atPath: file(in: folder)),
      let json = try? JSONValue(parsing: Array(data)), json["version"]?.integer == version,
      let count = json["count"]?.integer, case .object(let trees)? = json["decisions"]
    else { return nil }
    func commits(_ lists: [String: JSONValue]) -> [String: [ObjectID]] {
      lists.mapValues { $0.array?.compactMap { $0.string.flatMap(ObjectID.init(hex:)) } ?? [] }
    }
    guard case .object(let environments)? = json["environments"] else { return nil }
    return LedgerIndex(
      head: json["head"]?.string.flatMap(ObjectID.init(hex:)), count: Int(count), decisions: commits(trees),
      environments: commits(environments))
  }

  func save(to folder: String) {
    let json = JSONValue.object([
      "version": .integer(Self.version), "head": head.map { .string($0.hex) } ?? .null,
      "count": .integer(Int64(count)),
      "decisions": .object(decisions.mapValues { .array($0.map { .string($0.hex) }) }),
      "environments": .object(environments.mapValues { .array($0.map { .string($0.hex) }) }),
    ])
    // The index is a cache: failing to write it costs time on the next run, nothing else.
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try? LedgerState.atomicWrite(json.canonical, to: Self.file(in: folder))
  }

  /// Counts the event at `commit`: `decisionTree` is the release content an approval or
  /// rejection is about, `environment` the environment a release, rollback... moved or tried to.
  mutating func add(commit: ObjectID, decisionTree: String?, environment: String?) {
    count += 1
    head = commit
    if let decisionTree {
      decisions[decisionTree, default: []].append(commit)
    }
    if let environment {
      environments[environment, default: []].append(commit)
    }
  }
}

extension Ledger {
  /// The approval and rejection records about release content `tree`, oldest first.
  public func decisions(forTree tree: String) throws(PromptgateError) -> [Record] {
    let index = try currentIndex()
    var records: [Record] = []
    for commit in index.decisions[tree] ?? [] {
      records.append(try record(commit))
    }
    return records
  }

  /// The records of an environment's releases, blocked attempts, overrides, rollbacks and
  /// marks, oldest first, through the index.
  public func environmentRecords(_ environment: String) throws(PromptgateError) -> [Record] {
    var records: [Record] = []
    for commit in try currentIndex().environments[environment] ?? [] {
      records.append(try record(commit))
    }
    return records
  }

  /// The ledger commits of an environment's events, oldest first, without reading them.
  public func environmentCommits(_ environment: String) throws(PromptgateError) -> [ObjectID] {
    try currentIndex().environments[environment] ?? []
  }

  /// The environments the ledger has recorded anything for, sorted.
  public func environments() throws(PromptgateError) -> [String] {
    try currentIndex().environments.keys.sorted()
  }

  /// How many events the ledger holds, from the index.
  public func count() throws(PromptgateError) -> Int {
    try currentIndex().count
  }

  /// The index, brought up to the ledger's head by reading only what was added since.
  func currentIndex() throws(PromptgateError) -> LedgerIndex {
    let current = try head()
    var index = LedgerIndex.load(from: state.folder) ?? LedgerIndex(head: nil, count: 0, decisions: [:])
    if index.head == current { return index }
    if let indexed = index.head, let current, !repository.isDescendant(current, of: indexed) {
      index = LedgerIndex(head: nil, count: 0, decisions: [:])
    }
    // Walk back from the head to what the index already holds, keeping only what the index
    // needs of each event (not the events: a fresh clone indexes tens of thousands), then add
    // oldest first.
    var fresh: [(commit: ObjectID, decisionTree: String?, environment: String?)] = []
    var next = current
    while let commit = next, commit != index.head {
      let record = try record(commit)
      let event = record.event
      fresh.append(
        (
          commit, event.kind.isIndependent ? event.release?.tree : nil,
          event.kind.isIndependent ? nil : event.environment
        ))
      next = record.parent
    }
    for (commit, tree, environment) in fresh.reversed() {
      index.add(commit: commit, decisionTree: tree, environment: environment)
    }
    index.save(to: state.folder)
    return index
  }
}
