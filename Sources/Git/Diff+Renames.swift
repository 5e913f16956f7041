/// git's rename detection (diffcore-rename, git 2.33 and later) over a plain tree diff.
///
/// libgit2's `git_diff_find_similar` scores with another metric and breaks ties another way,
/// so its pairs drift from `git diff -M` on real histories. This pass follows git's steps:
/// exact renames (same-basename source first), then unique-basename pairs at a stricter score,
/// then, under `diff.renameLimit`, the similarity matrix with git's span-hash estimate.
struct RenameFinder {
  /// git's fixed-point similarity scale: 60000 is 100 %.
  static let maxScore = 60000
  /// Candidates kept per destination in the matrix, as git keeps them.
  static let candidatesPerDestination = 4
  /// Identical sources looked at per destination before one is picked.
  static let identicalAlternatives = 100

  let repository: Repository
  let minimumScore: Int
  let limit: Int
  private var sizes: [ObjectID: Int] = [:]
  private var spans: [ObjectID: Spans] = [:]

  init(repository: Repository, _ detection: RenameDetection) {
    self.repository = repository
    minimumScore = max(0, min(100, detection.threshold)) * Self.maxScore / 100
    limit = detection.limit
  }

  /// `changes` with deleted/added pairs turned into renames as `git diff -M` pairs them.
  mutating func pairRenames(in changes: [TreeChange]) throws(GitError) -> [TreeChange] {
    func byPath(_ lhs: Int, _ rhs: Int) -> Bool {
      changes[lhs].newPath.utf8.lexicographicallyPrecedes(changes[rhs].newPath.utf8)
    }
    let sources = changes.indices.filter { changes[$0].status == .deleted }.sorted(by: byPath)
    let destinations = changes.indices.filter { changes[$0].status == .added }.sorted(by: byPath)
    guard !sources.isEmpty, !destinations.isEmpty else { return changes }

    // pairs[d] = (source position, score) for destination position d.
    var pairs: [Int: (source: Int, score: Int)] = [:]
    var used = Set<Int>()
    func record(_ destination: Int, _ source: Int, _ score: Int) {
      pairs[destination] = (source, score)
      used.insert(source)
    }

    // 1. Exact renames: same blob; a non-regular file only as the same kind of entry.
    var sourcesByID: [ObjectID: [Int]] = [:]
    for (position, index) in sources.enumerated() {
      if let id = changes[index].oldID { sourcesByID[id, default: []].append(position) }
    }
    for (position, index) in destinations.enumerated() {
      let target = changes[index]
      guard let id = target.newID, let candidates = sourcesByID[id] else { continue }
      var best: Int?
      var looked = 0
      for candidate in candidates where !used.contains(candidate) {
        let source = changes[sources[candidate]]
        if !(source.oldMode.isRegular && target.newMode.isRegular) && source.oldMode != target.newMode {
          continue
        }
        if Self.sameBasename(source.oldPath, target.newPath) {
          best = candidate
          break
        }
        if best == nil { best = candidate }
        looked += 1
        if looked == Self.identicalAlternatives { break }
      }
      if let best { record(position, best, Self.maxScore) }
    }

    // Only exact renames at 100 %, as git.
    if minimumScore >= Self.maxScore { return Self.apply(pairs, sources, destinations, to: changes) }

    // 2. A basename found once among the remaining sources and once among the remaining
    // destinations pairs them if similar enough, halfway between the threshold and 100 %.
    if pairs.count < destinations.count && used.count < sources.count {
      let basenameScore = minimumScore + (Self.maxScore - minimumScore) / 2
      // Position of the one path with a basename; -1 when several share it.
      var sourceByName: [Substring: Int] = [:]
      for position in sources.indices where !used.contains(position) {
        let name = Self.basename(changes[sources[position]].oldPath)
        sourceByName[name] = sourceByName[name] == nil ? position : -1
      }
      var destinationByName: [Substring: Int] = [:]
      for position in destinations.indices where pairs[position] == nil {
        let name = Self.basename(changes[destinations[position]].newPath)
        destinationByName[name] = destinationByName[name] == nil ? position : -1
      }
      for position in sources.indices where !used.contains(position) {
        let name = Self.basename(changes[sources[position]].oldPath)
        guard sourceByName[name] == position, let destination = destinationByName[name],
          destination >= 0, pairs[destination] == nil
        else { continue }
        let score = try similarity(
          changes[sources[position]], changes[destinations[destination]], minimum: basenameScore)
        if score >= basenameScore { record(destination, position, score) }
      }
    }

    // 3. The matrix, unless it would exceed diff.renameLimit squared.
    let openSources = sources.indices.filter { !used.contains($0) }
    let openDestinations = destinations.indices.filter { pairs[$0] == nil }
    if !openSources.isEmpty, !openDestinations.isEmpty,
      limit <= 0 || openSources.count * openDestinations.count <= limit * limit
    {
      var matrix: [Candidate] = []
      matrix.reserveCapacity(openDestinations.count * Self.candidatesPerDestination)
      for destination in openDestinations {
        var best = [Candidate](repeating: .empty, count: Self.candidatesPerDestination)
        let target = changes[destinations[destination]]
        for source in openSources {
          let origin = changes[sources[source]]
          let candidate = Candidate(
            destination: destination, source: source,
            score: try similarity(origin, target, minimum: minimumScore),
            nameScore: Self.sameBasename(origin.oldPath, target.newPath) ? 1 : 0)
          var worst = 0
          for slot in 1..<best.count where best[slot].sorts(after: best[worst]) { worst = slot }
          if best[worst].sorts(after: candidate) { best[worst] = candidate }
        }
        matrix.append(contentsOf: best)
      }
      // git sorts stably: equal candidates keep their order.
      let order = matrix.indices.sorted { lhs, rhs in
        if matrix[rhs].sorts(after: matrix[lhs]) { return true }
        if matrix[lhs].sorts(after: matrix[rhs]) { return false }
        return lhs < rhs
      }
      for index in order {
        let candidate = matrix[index]
        if candidate.destination < 0 || candidate.score < minimumScore { break }
        if pairs[candidate.destination] != nil || used.contains(candidate.source) { continue }
        record(candidate.destination, candidate.source, candidate.score)
      }
    }

    return Self.apply(pairs, sources, destinations, to: changes)
  }

  /// `changes` with each paired addition turned into a rename and its deletion dropped.
  private static func apply(
    _ pairs: [Int: (source: Int, score: Int)], _ sources: [Int], _ destinations: [Int],
    to changes: [TreeChange]
  ) -> [TreeChange] {
    guard !pairs.isEmpty else { return changes }
    var renamedAt: [Int: TreeChange] = [:]
    var dropped = Set<Int>()
    for (destination, pair) in pairs {
      let source = changes[sources[pair.source]]
      let target = changes[destinations[destination]]
      dropped.insert(sources[pair.source])
      renamedAt[destinations[destination]] = TreeChange(
        status: .renamed, oldPath: source.oldPath, newPath: target.newPath, oldID: source.oldID,
        newID: target.newID, oldMode: source.oldMode, newMode: target.newMode,
        similarity: pair.score * 100 / maxScore)
    }
    return changes.indices.compactMap { index in
      dropped.contains(index) ? nil : renamedAt[index] ?? changes[index]
    }
  }

  /// One entry of git's similarity matrix; `destination` is -1 for an empty slot.
  struct Candidate {
    var destination: Int
    var source: Int
    var score: Int
    var nameScore: Int

    static let empty = Candidate(destination: -1, source: -1, score: 0, nameScore: 0)

    /// git's order: empty slots last, then higher score, then same basename first.
    func sorts(after other: Candidate) -> Bool {
      if destination < 0 { return other.destination >= 0 }
      if other.destination < 0 { return false }
      if score == other.score { return nameScore < other.nameScore }
      return score < other.score
    }
  }

  /// git's `estimate_similarity`: the share of the larger file made of spans found in the
  /// source, 0 to ``maxScore``; 0 for anything but regular files or sizes too far apart.
  mutating func similarity(_ source: TreeChange, _ target: TreeChange, minimum: Int) throws(GitError)
    -> Int
  {
    guard source.oldMode.isRegular, target.newMode.isRegular, let sourceID = source.oldID,
      let targetID = target.newID
    else { return 0 }
    let sourceSize = try size(of: sourceID)
    let targetSize = try size(of: targetID)
    let largest = max(sourceSize, targetSize)
    let delta = largest - min(sourceSize, targetSize)
    if largest * (Self.maxScore - minimum) < delta * Self.maxScore { return 0 }
    guard targetSize > 0 else { return 0 }
    return try spans(of: sourceID).copied(into: spans(of: targetID)) * Self.maxScore / largest
  }

  private mutating func size(of id: ObjectID) throws(GitError) -> Int {
    if let known = sizes[id] { return known }
    let size = try repository.blobSize(id)
    sizes[id] = size
    return size
  }

  private mutating func spans(of id: ObjectID) throws(GitError) -> Spans {
    if let known = spans[id] { return known }
    let table = Spans(Self.spanCounts(try repository.blob(id)))
    spans[id] = table
    return table
  }

  /// git's diffcore-delta: bytes per hashed chunk, a chunk ending at a newline or after 64
  /// bytes (an unterminated tail counts for nothing); CR before LF is skipped in text.
  static func spanCounts(_ content: [UInt8]) -> [UInt32: Int] {
    let hashBase: UInt32 = 107_927
    let isText = !content.prefix(8000).contains(0)
    var table: [UInt32: Int] = [:]
    var accumulator1: UInt32 = 0
    var accumulator2: UInt32 = 0
    var length = 0
    var index = 0
    while index < content.count {
      let byte = content[index]
      index += 1
      if isText && byte == UInt8(ascii: "\r") && index < content.count
        && content[index] == UInt8(ascii: "\n")
      {
        continue
      }
      let previous = accumulator1
      accumulator1 = (accumulator1 << 7) ^ (accumulator2 >> 25)
      accumulator2 = (accumulator2 << 7) ^ (previous >> 25)
      accumulator1 &+= UInt32(byte)
      length += 1
      if length < 64 && byte != UInt8(ascii: "\n") { continue }
      let hash = (accumulator1 &+ accumulator2 &* 0x61) % hashBase
      table[hash, default: 0] += length
      length = 0
      accumulator1 = 0
      accumulator2 = 0
    }
    return table
  }

  /// A file's span counts sorted by hash, so two files compare in one merge walk.
  struct Spans {
    let hashes: [UInt32]
    let counts: [Int]

    init(_ table: [UInt32: Int]) {
      let sorted = table.sorted { $0.key < $1.key }
      hashes = sorted.map(\.key)
      counts = sorted.map(\.value)
    }

    /// Bytes of `target` found in these spans: per hash, the smaller of the two counts.
    func copied(into target: Spans) -> Int {
      var copied = 0
      var mine = 0
      var theirs = 0
      while mine < hashes.count && theirs < target.hashes.count {
        let hash = hashes[mine]
        let other = target.hashes[theirs]
        if hash < other {
          mine += 1
        } else if other < hash {
          theirs += 1
        } else {
          copied += min(counts[mine], target.counts[theirs])
          mine += 1
          theirs += 1
        }
      }
      return copied
    }
  }

  /// The part of `path` after its last slash.
  static func basename(_ path: String) -> Substring {
    guard let slash = path.lastIndex(of: "/") else { return path[...] }
    return path[path.index(after: slash)...]
  }

  static func sameBasename(_ lhs: String, _ rhs: String) -> Bool {
    basename(lhs) == basename(rhs)
  }
}

extension FileMode {
  /// A regular file, executable or not: the only entries git scores for inexact renames.
  var isRegular: Bool {
    self == .blob || self == .executable || self == .blobGroupWritable
  }
}
