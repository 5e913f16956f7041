import PromptgateCore
import Testing

/// The one diff behind prose sections, sentences and words: correct, shortest, in git's order.
@Suite struct LineDiffTests {
  /// Applies a script to `old`, checking every kept element is what `new` has there.
  private func apply<T: Equatable>(_ script: [LineDiff.Operation], _ old: [T], _ new: [T]) -> [T] {
    var result: [T] = []
    var oldCursor = 0
    for operation in script {
      switch operation {
      case .equal(let x, let y):
        #expect(x == oldCursor && old[x] == new[y])
        oldCursor += 1
        result.append(old[x])
      case .delete(let x):
        #expect(x == oldCursor)
        oldCursor += 1
      case .insert(let y): result.append(new[y])
      }
    }
    #expect(oldCursor == old.count)
    return result
  }

  private func cost(_ script: [LineDiff.Operation]) -> Int {
    script.filter { if case .equal = $0 { false } else { true } }.count
  }

  /// The edit distance without substitutions, by the textbook longest common subsequence.
  private func shortest<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    return a.count + b.count - 2 * table[0][0]
  }

  @Test func theExampleOfMyersPaper() {
    let old = Array("ABCABBA")
    let new = Array("CBABAC")
    let script = LineDiff.operations(from: old, to: new)
    #expect(apply(script, old, new) == new)
    #expect(cost(script) == 5)
  }

  @Test func randomPairsGiveTheShortestCorrectScript() {
    var generator = SplitMix(seed: 14)
    for _ in 0..<400 {
      let old = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
        Int.random(in: 0...4, using: &generator)
      }
      var new = old
      for _ in 0..<Int.random(in: 0...8, using: &generator) {
        if !new.isEmpty, Bool.random(using: &generator) {
          new.remove(at: Int.random(in: 0..<new.count, using: &generator))
        } else {
          new.insert(
            Int.random(in: 0...4, using: &generator), at: Int.random(in: 0...new.count, using: &generator))
        }
      }
      let script = LineDiff.operations(from: old, to: new)
      #expect(apply(script, old, new) == new)
      #expect(cost(script) == shortest(old, new), "\(old) → \(new)")
    }
  }

  @Test func removalsComeBeforeAdditionsInEachRun() {
    let script = LineDiff.operations(from: ["a", "b", "c"], to: ["a", "x", "c"])
    #expect(
      script == [
        .equal(oldIndex: 0, newIndex: 0), .delete(oldIndex: 1), .insert(newIndex: 1),
        .equal(oldIndex: 2, newIndex: 2),
      ])
  }

  @Test func emptySides() {
    #expect(LineDiff.operations(from: [String](), to: ["a"]) == [.insert(newIndex: 0)])
    #expect(LineDiff.operations(from: ["a"], to: [String]()) == [.delete(oldIndex: 0)])
    #expect(LineDiff.operations(from: [String](), to: [String]()).isEmpty)
  }

  @Test func pastTheCostLimitTheScriptIsStillCorrect() {
    let old = (0..<500).map { "old \($0)" }
    let new = (0..<500).map { "new \($0)" }
    let script = LineDiff.operations(
      from: ["same"] + old + ["end"], to: ["same"] + new + ["end"], maxCost: 10)
    #expect(apply(script, ["same"] + old + ["end"], ["same"] + new + ["end"]) == ["same"] + new + ["end"])
    #expect(cost(script) == 1000)
  }
}

/// A seeded generator, so a failure can be replayed.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
