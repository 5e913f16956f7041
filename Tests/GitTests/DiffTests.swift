import Foundation
import Git
import TestSupport
import Testing

@Suite struct DiffTests {
  /// git's `--name-status -M` line for a change: "M\tpath", "R100\told\tnew".
  private func nameStatus(_ change: TreeChange) -> String {
    switch change.status {
    case .added: "A\t\(change.newPath)"
    case .deleted: "D\t\(change.oldPath)"
    case .modified: "M\t\(change.newPath)"
    case .typechange: "T\t\(change.newPath)"
    case .renamed: "R\(String(format: "%03d", change.similarity))\t\(change.oldPath)\t\(change.newPath)"
    case .copied: "C\(change.similarity)\t\(change.oldPath)\t\(change.newPath)"
    }
  }

  @Test func treeDiffMatchesGitOnEveryKindOfChange() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/keep.md", "same\n")
    try scratch.write("prompts/old-name.md", (1...40).map { "line \($0)" }.joined(separator: "\n") + "\n")
    try scratch.write("prompts/gone.md", "bye\n")
    try scratch.write("policies/run.sh", "echo hi\n")
    try scratch.write("policies/edit.yaml", "a: 1\n")
    try scratch.write("link-target.md", "target\n")
    try scratch.write("becomes-link.md", "file\n")
    let base = try scratch.commit("base")

    try scratch.git("mv", "prompts/old-name.md", "prompts/new-name.md")
    try scratch.write(
      "prompts/new-name.md", (1...40).map { "line \($0)" }.joined(separator: "\n") + "\nmore\n")
    try scratch.remove("prompts/gone.md")
    try run("/bin/chmod", ["+x", "\(scratch.path)/policies/run.sh"])
    try scratch.write("policies/edit.yaml", "a: 2\n")
    try scratch.write("assets/logo.png", Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3]))
    try scratch.write("latin1.txt", Data([0x63, 0x61, 0x66, 0xE9, 0x0A]))
    try scratch.remove("becomes-link.md")
    try FileManager.default.createSymbolicLink(
      atPath: "\(scratch.path)/becomes-link.md", withDestinationPath: "link-target.md")
    try FileManager.default.createSymbolicLink(
      atPath: "\(scratch.path)/new-link", withDestinationPath: "prompts")
    let head = try scratch.commit("head")

    let repository = try Repository.open(at: scratch.path)
    let changes = try repository.diffTrees(
      try repository.resolveCommit(base).tree, try repository.resolveCommit(head).tree)
    let oracle = try scratch.git("diff", "--name-status", "-M", base, head).split(separator: "\n").map(
      String.init)
    #expect(changes.map(nameStatus) == oracle)
    #expect(changes.contains { $0.status == .typechange && $0.newMode == .link })
    #expect(
      changes.contains { $0.newPath == "policies/run.sh" && $0.oldMode == .blob && $0.newMode == .executable }
    )
  }

  /// A tree whose entries are out of git's order (no git writes one; another tool, or an
  /// attacker, can) still pairs each entry with the one of its name: the changed file is found,
  /// and the unchanged ones moved before it are not reported.
  @Test func treeOutOfOrderStillShowsExactlyWhatChanged() throws {
    let scratch = try ScratchRepository()
    try scratch.write("a.md", "a\n")
    try scratch.write("b.md", "b\n")
    try scratch.write("c.md", "c\n")
    let base = try scratch.commit("base")
    // An object id as a tree stores it: 20 raw bytes.
    func rawID(_ hex: String) -> Data {
      let hex = Array(hex.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
      return Data(
        stride(from: 0, to: hex.count, by: 2).map {
          UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        })
    }
    let blob = { (name: String) throws -> Data in rawID(try scratch.git("rev-parse", "\(base):\(name)")) }
    try scratch.write("changed.txt", "c changed\n")
    let changed = rawID(try scratch.git("hash-object", "-w", "changed.txt"))
    // c.md first, then a.md and b.md as they were.
    var tree = Data()
    for (name, id) in [("c.md", changed), ("a.md", try blob("a.md")), ("b.md", try blob("b.md"))] {
      tree += Data("100644 \(name)".utf8) + Data([0]) + id
    }
    try scratch.write("tree.bin", tree)
    let treeID = try scratch.git("hash-object", "-t", "tree", "--literally", "-w", "tree.bin")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let head = try scratch.git("commit-tree", treeID, "-p", base, "-m", "out of order")
      .trimmingCharacters(in: .whitespacesAndNewlines)

    let repository = try Repository.open(at: scratch.path)
    let changes = try repository.diffTrees(
      try repository.resolveCommit(base).tree, try repository.resolveCommit(head).tree)
    #expect(changes.map(nameStatus) == ["M\tc.md"])
  }

  /// Scores, the threshold and `diff.renameLimit` as git applies them: past the limit only
  /// exact and unique-basename renames remain.
  @Test func renameScoresThresholdAndLimitMatchGit() throws {
    let scratch = try ScratchRepository()
    func text(_ tag: String, _ count: Int, every: Int = 0, ending: String = "\n") -> String {
      (1...count).map { every > 0 && $0 % every == 0 ? "\(tag) edited \($0)" : "step \($0) of the runbook" }
        .joined(separator: ending) + ending
    }
    try scratch.write("a/one.md", text("one", 20))
    try scratch.write("a/two.md", text("two", 30, every: 0) + "tail\n")
    try scratch.write("a/three.md", text("three", 24) + "three\n")
    try scratch.write("a/five.txt", text("five", 18, ending: "\r\n"))
    try scratch.write("a/empty", "")
    let base = try scratch.commit("base")
    for path in ["a/one.md", "a/two.md", "a/three.md", "a/five.txt", "a/empty"] { try scratch.remove(path) }
    try scratch.write("b/one-renamed.md", text("one", 20))
    try scratch.write("b/two.md", text("two", 30, every: 9) + "tail\n")
    try scratch.write("b/four.md", text("four", 24, every: 3))
    try scratch.write("b/six.txt", text("six", 18, every: 4, ending: "\r\n") + "more\r\n")
    try scratch.write("b/empty-too", "")
    let head = try scratch.commit("head")

    let repository = try Repository.open(at: scratch.path)
    let baseTree = try repository.resolveCommit(base).tree
    let headTree = try repository.resolveCommit(head).tree
    let cases: [(RenameDetection, [String])] = [
      (.gitDefault, ["-M"]),
      (RenameDetection(threshold: 80), ["-M80%"]),
      (RenameDetection(limit: 1), ["-c", "diff.renameLimit=1", "-M"]),
    ]
    for (detection, flags) in cases {
      let options = flags.filter { $0.hasPrefix("-M") }
      let config = flags.filter { !$0.hasPrefix("-M") }
      let oracle = try scratch.git(config + ["diff", "--name-status"] + options + [base, head])
        .split(separator: "\n").map(String.init)
      let changes = try repository.diffTrees(baseTree, headTree, renames: detection)
      #expect(changes.map(nameStatus) == oracle, "\(flags)")
    }
  }

  @Test func lineStatsMatchGitNumstat() throws {
    let repository = try Repository.open(at: Libgit2Fixtures.path("testrepo.git"))
    let cases: [(String, String, LineStats)] = [
      ("a\nb\nc\n", "a\nB\nc\nd\n", LineStats(additions: 2, deletions: 1)),
      ("", "one\ntwo", LineStats(additions: 2, deletions: 0)),
      ("x\ny\n", "", LineStats(additions: 0, deletions: 2)),
      ("no newline", "no newline\n", LineStats(additions: 1, deletions: 1)),
      ("same\n", "same\n", LineStats(additions: 0, deletions: 0)),
    ]
    for (old, new, expected) in cases {
      #expect(try repository.lineStats(old: Array(old.utf8), new: Array(new.utf8)) == expected)
    }
    // The same counts from blobs as libgit2 holds them (what a diff reads), an absent side
    // counting as empty.
    let scratch = try ScratchRepository()
    let writable = try Repository.open(at: scratch.path)
    func blob(_ text: String) throws -> BlobContent {
      try writable.blobContent(try writable.writeBlob(Array(text.utf8)))
    }
    for (old, new, expected) in cases {
      #expect(try writable.lineStats(old: try blob(old), new: try blob(new)) == expected, "\(old) → \(new)")
    }
    #expect(
      try writable.lineStats(old: nil, new: try blob("one\ntwo")) == LineStats(additions: 2, deletions: 0))
    #expect(
      try writable.lineStats(old: try blob("x\ny\n"), new: nil) == LineStats(additions: 0, deletions: 2))
  }

  @Test func costGrowsWithTheChangeNotTheTree() throws {
    // Diffing a commit against itself reads no subtree at all.
    let repository = try Repository.open(at: Libgit2Fixtures.path("testrepo.git"))
    let head = try repository.resolveCommit("HEAD")
    #expect(try repository.diffTrees(head.tree, head.tree).isEmpty)
    #expect(try repository.diffTrees(nil, head.tree).allSatisfy { $0.status == .added })
  }
}
