/// The shortest edit script between two sequences (Myers, "An O(ND) Difference Algorithm and
/// Its Variations", 1986): the one diff behind prose sections, sentences and words.
///
/// Elements are interned to integers first, and the common head and tail are skipped, so the
/// cost follows the size of the change rather than of the text. Past `maxCost` differences the
/// search stops and the rest of the changed middle is reported as removed then added: still a
/// correct script (applying it gives `new`), only not the shortest.
public enum LineDiff {
  public enum Operation: Sendable, Hashable {
    /// `old[oldIndex]` equals `new[newIndex]` and is kept.
    case equal(oldIndex: Int, newIndex: Int)
    /// `old[oldIndex]` is removed.
    case delete(oldIndex: Int)
    /// `new[newIndex]` is added.
    case insert(newIndex: Int)
  }

  /// Differences past which the search stops (see above).
  public static let defaultMaxCost = 1000

  /// The edit script from `old` to `new`; in each changed run the removals come before the
  /// additions, as in a unified diff.
  public static func operations<Element: Hashable>(
    from old: [Element], to new: [Element], maxCost: Int = defaultMaxCost
  ) -> [Operation] {
    var ids: [Element: Int] = [:]
    func intern(_ element: Element) -> Int {
      if let id = ids[element] { return id }
      let id = ids.count
      ids[element] = id
      return id
    }
    return operations(ids: old.map(intern), new.map(intern), maxCost: maxCost)
  }

  /// The edit script between two sequences already interned to integers (equal ids, equal
  /// elements).
  static func operations(ids a: [Int], _ b: [Int], maxCost: Int = defaultMaxCost) -> [Operation] {
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix,
      a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
    {
      suffix += 1
    }

    var script: [Operation] = []
    script.reserveCapacity(max(a.count, b.count) + 8)
    for index in 0..<prefix { script.append(.equal(oldIndex: index, newIndex: index)) }
    let middle = myers(
      Array(a[prefix..<(a.count - suffix)]), Array(b[prefix..<(b.count - suffix)]), maxCost: maxCost)
    for operation in middle {
      switch operation {
      case .equal(let x, let y): script.append(.equal(oldIndex: x + prefix, newIndex: y + prefix))
      case .delete(let x): script.append(.delete(oldIndex: x + prefix))
      case .insert(let y): script.append(.insert(newIndex: y + prefix))
      }
    }
    for offset in 0..<suffix {
      script.append(.equal(oldIndex: a.count - suffix + offset, newIndex: b.count - suffix + offset))
    }
    return groupingRemovalsFirst(script)
  }

  /// Myers' greedy forward search, keeping each round's furthest reaches to walk back the path.
  private static func myers(_ a: [Int], _ b: [Int], maxCost: Int) -> [Operation] {
    let n = a.count
    let m = b.count
    if n == 0 { return (0..<m).map { .insert(newIndex: $0) } }
    if m == 0 { return (0..<n).map { .delete(oldIndex: $0) } }
    let limit = min(n + m, max(1, maxCost))
    let offset = limit + 1
    var reach = [Int](repeating: 0, count: 2 * limit + 3)
    var trace: [[Int]] = []
    var found = false
    search: for d in 0...limit {
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && reach[offset + k - 1] < reach[offset + k + 1]) {
          x = reach[offset + k + 1]
        } else {
          x = reach[offset + k - 1] + 1
        }
        var y = x - k
        while x < n, y < m, a[x] == b[y] {
          x += 1
          y += 1
        }
        reach[offset + k] = x
        if x >= n, y >= m {
          trace.append(Array(reach[(offset - d)...(offset + d)]))
          found = true
          break search
        }
      }
      trace.append(Array(reach[(offset - d)...(offset + d)]))
    }
    guard found else {
      // Too different to search further: everything removed, then everything added.
      return (0..<n).map { .delete(oldIndex: $0) } + (0..<m).map { .insert(newIndex: $0) }
    }

    var reversed: [Operation] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let k = x - y
      if d == 0 {
        while x > 0, y > 0 {
          x -= 1
          y -= 1
          reversed.append(.equal(oldIndex: x, newIndex: y))
        }
        break
      }
      let previous = trace[d - 1]
      // `previous` covers diagonals -(d-1)...(d-1), stored from index 0.
      func reachAt(_ diagonal: Int) -> Int { previous[diagonal + d - 1] }
      let cameDown = k == -d || (k != d && reachAt(k - 1) < reachAt(k + 1))
      let previousK = cameDown ? k + 1 : k - 1
      let previousX = reachAt(previousK)
      let previousY = previousX - previousK
      while x > previousX + (cameDown ? 0 : 1), y > previousY + (cameDown ? 1 : 0) {
        x -= 1
        y -= 1
        reversed.append(.equal(oldIndex: x, newIndex: y))
      }
      if cameDown {
        y -= 1
        reversed.append(.insert(newIndex: y))
      } else {
        x -= 1
        reversed.append(.delete(oldIndex: x))
      }
    }
    return reversed.reversed()
  }

  /// Within each run of changes, removals first, then additions, each in order.
  private static func groupingRemovalsFirst(_ script: [Operation]) -> [Operation] {
    var result: [Operation] = []
    result.reserveCapacity(script.count)
    var deletes: [Operation] = []
    var inserts: [Operation] = []
    func flush() {
      result += deletes
      result += inserts
      deletes.removeAll(keepingCapacity: true)
      inserts.removeAll(keepingCapacity: true)
    }
    for operation in script {
      switch operation {
      case .equal:
        flush()
        result.append(operation)
      case .delete: deletes.append(operation)
      case .insert: inserts.append(operation)
      }
    }
    flush()
    return result
  }
}
