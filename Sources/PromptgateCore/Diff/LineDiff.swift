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
    var trace: [Int] = []
    return operations(ids: a, b, maxCost: maxCost, trace: &trace)
  }

  /// The same, with the search's memory kept by the caller across calls: a pair that needs
  /// hundreds of rounds fills megabytes, and fresh pages for every pair cost more than the diff.
  static func operations(ids a: [Int], _ b: [Int], maxCost: Int = defaultMaxCost, trace: inout [Int])
    -> [Operation]
  {
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix,
      a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
    {
      suffix += 1
    }
    let endA = a.count - suffix
    let endB = b.count - suffix

    var script: [Operation] = []
    script.reserveCapacity(max(a.count, b.count) + 8)
    for index in 0..<prefix { script.append(.equal(oldIndex: index, newIndex: index)) }
    // Between two kept elements, every old one is removed and then every new one added: that is
    // the whole script, in git's order, once the kept ones are known.
    var x = prefix
    var y = prefix
    let kept = matches(a, b, from: prefix, endA, endB, maxCost: maxCost, trace: &trace)
    for pair in stride(from: kept.count - 2, through: 0, by: -2) {
      while x < kept[pair] {
        script.append(.delete(oldIndex: x))
        x += 1
      }
      while y < kept[pair + 1] {
        script.append(.insert(newIndex: y))
        y += 1
      }
      script.append(.equal(oldIndex: x, newIndex: y))
      x += 1
      y += 1
    }
    while x < endA {
      script.append(.delete(oldIndex: x))
      x += 1
    }
    while y < endB {
      script.append(.insert(newIndex: y))
      y += 1
    }
    for offset in 0..<suffix { script.append(.equal(oldIndex: endA + offset, newIndex: endB + offset)) }
    return script
  }

  /// The elements Myers' greedy forward search keeps between `start` and the two ends, as
  /// (old index, new index) pairs from the last to the first, flattened; none when the two
  /// differ by more than `maxCost`. Each round's furthest reaches are kept, one after the other
  /// (round d's 2d + 1 diagonals from index d²), to walk back the path.
  private static func matches(
    _ a: [Int], _ b: [Int], from start: Int, _ endA: Int, _ endB: Int, maxCost: Int, trace: inout [Int]
  ) -> [Int] {
    let n = endA - start
    let m = endB - start
    if n == 0 || m == 0 { return [] }
    let limit = min(n + m, max(1, maxCost))
    let offset = limit + 1
    var reach = [Int](repeating: 0, count: 2 * limit + 3)
    trace.removeAll(keepingCapacity: true)
    var rounds = 0
    var found = false
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        search: for d in 0...limit {
          for k in stride(from: -d, through: d, by: 2) {
            var x: Int
            if k == -d || (k != d && reach[offset + k - 1] < reach[offset + k + 1]) {
              x = reach[offset + k + 1]
            } else {
              x = reach[offset + k - 1] + 1
            }
            var y = x - k
            while x < n, y < m, a[start + x] == b[start + y] {
              x += 1
              y += 1
            }
            reach[offset + k] = x
            if x >= n, y >= m {
              trace.append(contentsOf: reach[(offset - d)...(offset + d)])
              rounds = d + 1
              found = true
              break search
            }
          }
          trace.append(contentsOf: reach[(offset - d)...(offset + d)])
        }
      }
    }
    // Too different to search further: nothing kept, everything removed, then everything added.
    guard found else { return [] }

    var kept: [Int] = []
    var x = n
    var y = m
    for d in stride(from: rounds - 1, through: 0, by: -1) {
      let k = x - y
      if d == 0 {
        while x > 0, y > 0 {
          x -= 1
          y -= 1
          kept.append(start + x)
          kept.append(start + y)
        }
        break
      }
      // Round d - 1 covers diagonals -(d-1)...(d-1), stored from (d-1)².
      let previous = (d - 1) * (d - 1) + d - 1
      func reachAt(_ diagonal: Int) -> Int { trace[previous + diagonal] }
      let cameDown = k == -d || (k != d && reachAt(k - 1) < reachAt(k + 1))
      let previousK = cameDown ? k + 1 : k - 1
      let previousX = reachAt(previousK)
      let previousY = previousX - previousK
      while x > previousX + (cameDown ? 0 : 1), y > previousY + (cameDown ? 1 : 0) {
        x -= 1
        y -= 1
        kept.append(start + x)
        kept.append(start + y)
      }
      if cameDown {
        y -= 1
      } else {
        x -= 1
      }
    }
    return kept
  }
}
