import Foundation
import TestSupport
import Testing

/// Renames as `git diff --name-status -M` pairs them, where libgit2's own heuristics differ:
/// a file reformatted while moved, identical candidate sources, basename moves, and seeded
/// random histories of moves and edits.
@Suite struct RenameDiffOracleTests {
  private func lines(_ prefix: String, _ range: ClosedRange<Int>) -> String {
    range.map { "\(prefix) \($0): keep the answer short and cite the policy" }.joined(separator: "\n") + "\n"
  }

  @Test func reformattedWhileMovedIsAnAddAndADelete() throws {
    let scratch = try ScratchRepository()
    let body = (1...40).map { "assert limits[\($0)] == expected(\($0))" }
    try scratch.write(
      "tests/test_limits.py", "def test():\n" + body.map { "  " + $0 }.joined(separator: "\n") + "\n")
    try scratch.write("prompts/keep.md", "same\n")
    let base = try scratch.commit("base")
    try scratch.remove("tests/test_limits.py")
    // Reformatted: every line re-indented, as a formatter does in a move. libgit2 ignores
    // leading whitespace when it scores, git does not.
    try scratch.write(
      "tests/unit/test_limits.py",
      "def test() -> None:\n" + body.map { "    " + $0 }.joined(separator: "\n") + "\n")
    let head = try scratch.commit("head")

    let expected = try NameStatus.git(scratch.path, base, head)
    #expect(expected == ["D\ttests/test_limits.py", "A\ttests/unit/test_limits.py"])
    #expect(try NameStatus.promptgate(scratch.path, base, head) == expected)
  }

  @Test func identicalSourcesPreferTheSameBasename() throws {
    let scratch = try ScratchRepository()
    let content = lines("rule", 1...20)
    try scratch.write("a/config.yaml", content)
    try scratch.write("b/config.yaml", content)
    try scratch.write("c/settings.yaml", content)
    try scratch.write("d/other.yaml", content)
    let base = try scratch.commit("base")
    for path in ["a/config.yaml", "b/config.yaml", "c/settings.yaml", "d/other.yaml"] {
      try scratch.remove(path)
    }
    try scratch.write("x/settings.yaml", content)
    try scratch.write("y/renamed.yaml", content)
    try scratch.write("z/config.yaml", content)
    let head = try scratch.commit("head")

    let expected = try NameStatus.git(scratch.path, base, head)
    #expect(expected.contains("R100\tc/settings.yaml\tx/settings.yaml"))
    #expect(
      expected.contains("R100\tb/config.yaml\tz/config.yaml")
        || expected.contains("R100\ta/config.yaml\tz/config.yaml"))
    #expect(try NameStatus.promptgate(scratch.path, base, head) == expected)
    #expect(
      try NameStatus.promptgate(scratch.path, head, base) == (try NameStatus.git(scratch.path, head, base)))
  }

  @Test func aUniqueBasenameWinsOverABetterScore() throws {
    let scratch = try ScratchRepository()
    let common = lines("step", 1...20)
    try scratch.write("old/intro.md", common + lines("intro", 1...4))
    try scratch.write("old/notes.md", common + "y\n")
    let base = try scratch.commit("base")
    try scratch.remove("old/intro.md")
    try scratch.remove("old/notes.md")
    try scratch.write("new/intro.md", common + "y\nz\n")
    try scratch.write("moved/prompt.md", lines("other", 1...5))
    let head = try scratch.commit("head")

    let expected = try NameStatus.git(scratch.path, base, head)
    #expect(expected.contains { $0.hasPrefix("R") && $0.hasSuffix("\told/intro.md\tnew/intro.md") })
    #expect(try NameStatus.promptgate(scratch.path, base, head) == expected)
  }

  /// Seeded histories: files moved, copied between folders, edited a little or a lot,
  /// re-indented, with CRLF endings, empty, sharing basenames.
  @Test(arguments: 1...12)
  func agreesWithGitOnGeneratedHistories(_ seed: UInt64) throws {
    var random = SeededGenerator(seed: seed)
    let scratch = try ScratchRepository()
    let folders = ["prompts", "prompts/v2", "policies", "tests", "tests/unit", "docs"]
    let names = ["system.md", "greeting.md", "limits.yaml", "test_limits.py", "readme.md", "tools.json"]
    var files: [String: [String]] = [:]
    for _ in 0..<14 {
      let path = folders.randomElement(using: &random)! + "/" + names.randomElement(using: &random)!
      let count = Int.random(in: 0...30, using: &random)
      files[path] = (0..<count).map { _ in "line \(Int.random(in: 0..<40, using: &random)) of the text" }
    }
    func commit(_ message: String) throws -> String {
      for (path, content) in files {
        let crlf = path.hasSuffix(".json")
        try scratch.write(path, content.map { $0 + (crlf ? "\r\n" : "\n") }.joined())
      }
      return try scratch.commit(message)
    }
    let base = try commit("base")
    for path in files.keys.sorted() {
      var content = files[path]!
      switch Int.random(in: 0..<6, using: &random) {
      case 0: continue
      case 1:  // edit a little
        if !content.isEmpty { content[Int.random(in: 0..<content.count, using: &random)] = "edited" }
      case 2:  // re-indent
        content = content.map { "    " + $0 }
      default:  // move, maybe with edits
        break
      }
      files[path] = nil
      try scratch.remove(path)
      let target =
        Bool.random(using: &random)
        ? folders.randomElement(using: &random)! + "/"
          + (path.split(separator: "/").last.map(String.init) ?? "x")
        : folders.randomElement(using: &random)! + "/" + names.randomElement(using: &random)!
      if files[target] == nil {
        let edits = Int.random(in: 0...max(0, content.count / 2), using: &random)
        for _ in 0..<edits where !content.isEmpty {
          content[Int.random(in: 0..<content.count, using: &random)] =
            "changed \(Int.random(in: 0..<9, using: &random))"
        }
        files[target] = content
      }
    }
    let head = try commit("head")
    #expect(
      try NameStatus.promptgate(scratch.path, base, head) == (try NameStatus.git(scratch.path, base, head)),
      "seed \(seed)")
    #expect(
      try NameStatus.promptgate(scratch.path, head, base) == (try NameStatus.git(scratch.path, head, base)),
      "seed \(seed)")
  }
}

/// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
