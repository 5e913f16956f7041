import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where in the ledger the approvals and rejections of each release content are, cached in
/// `.git/promptgate/ledger-index.json` so counting a checkpoint's approvals never walks the
/// whole ledger. Brought up to date by reading only the events added since it was written;
/// rebuilt from the ledger when missing, unreadable, or not an ancestor of the head.
struct LedgerIndex {
  /// 3: each list is one string of concatenated 40-digit ids, decoded only when asked for, so
  /// reading the index costs a scan of the file, not an object per event.
  static let version: Int64 = 3

  var head: ObjectID?
  var count: Int
  /// Release tree id → ledger commits of its approvals and rejections, oldest first.
  private var decisions: [String: String]
  /// Environment → ledger commits of its releases, blocked attempts, overrides, rollbacks and
  /// marks, oldest first.
  private var environments: [String: String]

  init(head: ObjectID? = nil, count: Int = 0) {
    self.head = head
    self.count = count
    decisions = [:]
    environments = [:]
  }

  /// The approvals and rejections of release content `tree`, oldest first.
  func decisions(forTree tree: String) -> [ObjectID] { Self.decode(decisions[tree]) }

  /// The events of `environment`, oldest first.
  func commits(ofEnvironment environment: String) -> [ObjectID] { Self.decode(environments[environment]) }

  /// Every environment with an event, sorted.
  var environmentNames: [String] { environments.keys.sorted() }

  private static func decode(_ list: String?) -> [ObjectID] {
    guard let list else { return [] }
    var ids: [ObjectID] = []
    ids.reserveCapacity(list.utf8.count / 40)
    var utf8 = Substring(list).utf8[...]
    while !utf8.isEmpty {
      if let id = ObjectID(hex: String(Substring(utf8.prefix(40)))) { ids.append(id) }
      utf8 = utf8.dropFirst(40)
    }
    return ids
  }

  static func file(in folder: String) -> String { folder + "/ledger-index.json" }

  /// The index this process last loaded or wrote, per repository: a command asks the index
  /// several questions, and reading the file once is enough (its head is checked every time).
  static let memory = Memory()

  final class Memory: Sendable {
    private let indexes = Locked<[String: LedgerIndex]>([:])

    func recall(_ folder: String) -> LedgerIndex? { indexes.withLock { $0[folder] } }
    func keep(_ index: LedgerIndex, for folder: String) { indexes.withLock { $0[folder] = index } }
  }

  static func load(from folder: String) -> LedgerIndex? {
    guard let bytes = LocalFile.bytes(atPath: file(in: folder)),
      let json = try? JSONValue(parsing: bytes), json["version"]?.integer == version,
      let count = json["count"]?.integer, case .object(let trees)? = json["decisions"],
      case .object(let environments)? = json["environments"]
    else { return nil }
    func lists(_ values: [String: JSONValue]) -> [String: String]? {
      var lists: [String: String] = [:]
      for (key, value) in values {
        guard let list = value.string, list.utf8.count % 40 == 0 else { return nil }
        lists[key] = list
      }
      return lists
    }
    guard let decisions = lists(trees), let environmentLists = lists(environments) else { return nil }
    var index = LedgerIndex(head: json["head"]?.string.flatMap(ObjectID.init(hex:)), count: Int(count))
    index.decisions = decisions
    index.environments = environmentLists
    return index
  }

  func save(to folder: String) {
    let json = JSONValue.object([
      "version": .integer(Self.version), "head": head.map { .string($0.hex) } ?? .null,
      "count": .integer(Int64(count)),
      "decisions": .object(decisions.mapValues(JSONValue.string)),
      "environments": .object(environments.mapValues(JSONValue.string)),
    ])
    // The index is a cache: failing to write it costs time on the next run, nothing else.
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try? LedgerContinuity.atomicWrite(json.canonical, to: Self.file(in: folder))
  }

  /// Counts the event at `commit`: `decisionTree` is the release content an approval or
  /// rejection is about, `environment` the environment a release, rollback... moved or tried to.
  mutating func add(commit: ObjectID, decisionTree: String?, environment: String?) {
    count += 1
    head = commit
    if let decisionTree {
      decisions[decisionTree, default: ""] += commit.hex
    }
    if let environment {
      environments[environment, default: ""] += commit.hex
    }
  }
}

extension Ledger {
  /// The approval and rejection records about release content `tree`, oldest first.
  public func decisions(forTree tree: String) throws(PromptgateError) -> [Record] {
    let index = try currentIndex()
    var records: [Record] = []
    for commit in index.decisions(forTree: tree) {
      records.append(try record(commit))
    }
    return records
  }

  /// The records of an environment's releases, blocked attempts, overrides, rollbacks and
  /// marks, oldest first, through the index.
  public func environmentRecords(_ environment: String) throws(PromptgateError) -> [Record] {
    var records: [Record] = []
    for commit in try currentIndex().commits(ofEnvironment: environment) {
      records.append(try record(commit))
    }
    return records
  }

  /// The ledger commits of an environment's events, oldest first, without reading them.
  public func environmentCommits(_ environment: String) throws(PromptgateError) -> [ObjectID] {
    try currentIndex().commits(ofEnvironment: environment)
  }

  /// The environments the ledger has recorded anything for, sorted.
  public func environments() throws(PromptgateError) -> [String] {
    try currentIndex().environmentNames
  }

  /// How many events the ledger holds, from the index.
  public func count() throws(PromptgateError) -> Int {
    try currentIndex().count
  }

  /// The index, brought up to the ledger's head by reading only what was added since.
  func currentIndex() throws(PromptgateError) -> LedgerIndex {
    let current = try head()
    var index =
      LedgerIndex.memory.recall(state.folder) ?? LedgerIndex.load(from: state.folder)
      ?? LedgerIndex()
    if index.head == current {
      LedgerIndex.memory.keep(index, for: state.folder)
      return index
    }
    if let indexed = index.head, let current, !repository.isDescendant(current, of: indexed) {
      index = LedgerIndex()
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
    LedgerIndex.memory.keep(index, for: state.folder)
    return index
  }
}
