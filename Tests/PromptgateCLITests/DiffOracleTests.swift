import Foundation
import TestSupport
import Testing

/// `promptgate diff --format json` must list exactly the paths and statuses of
/// `git diff --name-status -M`, on repositories the tests build and on libgit2's own fixtures.
@Suite struct DiffOracleTests {
  @Test func agreesWithGitOnEveryKindOfChange() throws {
    let submodule = try ScratchRepository()
    try submodule.write("README", "sub\n")
    try submodule.commit("sub one")

    let scratch = try ScratchRepository()
    try scratch.write("prompts/keep.md", "same\n")
    try scratch.write(
      "prompts/old-name.prompty", (1...30).map { "line \($0)" }.joined(separator: "\n") + "\n")
    try scratch.write("prompts/gone.md", "bye\n")
    try scratch.write("policies/run.sh", "echo hi\n")
    try scratch.write("policies/limits.yaml", "max_tokens: 800\n")
    try scratch.write("docs/typechange.md", "file\n")
    try scratch.write("docs/latin1.txt", Data("caf\u{E9}\n".utf8))
    try scratch.git([
      "-c", "protocol.file.allow=always", "submodule", "add", "-q", submodule.path, "vendor/sub",
    ])
    let base = try scratch.commit("base")

    try submodule.write("README", "sub two\n")
    try submodule.commit("sub two")
    try run("/usr/bin/git", ["-C", scratch.path + "/vendor/sub", "pull", "-q", "origin", "main"])
    try scratch.git("mv", "prompts/old-name.prompty", "prompts/new-name.prompty")
    try scratch.write(
      "prompts/new-name.prompty", (1...30).map { "line \($0)" }.joined(separator: "\n") + "\nmore\n")
    try scratch.remove("prompts/gone.md")
    try run("/bin/chmod", ["+x", scratch.path + "/policies/run.sh"])
    try scratch.write("policies/limits.yaml", "max_tokens: 1200\n")
    try scratch.write("assets/logo.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]))
    try scratch.write("docs/latin1.txt", Data([0x63, 0x61, 0x66, 0xE9, 0x21, 0x0A]))
    try scratch.remove("docs/typechange.md")
    try FileManager.default.createSymbolicLink(
      atPath: scratch.path + "/docs/typechange.md", withDestinationPath: "../prompts/keep.md")
    try FileManager.default.createSymbolicLink(
      atPath: scratch.path + "/docs/link", withDestinationPath: "typechange.md")
    let head = try scratch.commit("head")

    let expected = try NameStatus.git(scratch.path, base, head)
    #expect(expected.count >= 9, "the fixture should exercise every kind of change: \(expected)")
    #expect(try NameStatus.promptgate(scratch.path, base, head) == expected)
    #expect(
      try NameStatus.promptgate(scratch.path, head, base) == (try NameStatus.git(scratch.path, head, base)))

    // Details a reviewer relies on.
    let files = try #require(try CLI.diffJSON(["-C", scratch.path, base, head])["files"] as? [[String: Any]])
    func file(_ path: String) throws -> [String: Any] {
      try #require(files.first { $0["path"] as? String == path })
    }
    #expect(try file("assets/logo.png")["binary"] as? Bool == true)
    #expect(try file("docs/latin1.txt")["binary"] as? Bool == true)
    #expect(try file("policies/run.sh")["new_mode"] as? String == "100755")
    #expect(try file("policies/run.sh")["old_mode"] as? String == "100644")
    #expect(try file("docs/typechange.md")["new_mode"] as? String == "120000")
    #expect(try file("vendor/sub")["new_mode"] as? String == "160000")
    #expect(try file("prompts/new-name.prompty")["kind"] as? String == "prompt")
    #expect(try file("policies/limits.yaml")["kind"] as? String == "policy")
    #expect(try file("docs/link")["kind"] as? String == "other")
  }

  @Test func lineCountsAgreeWithGitNumstat() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/a.md", "one\ntwo\nthree\n")
    try scratch.write("prompts/b.md", "keep\n")
    try scratch.write("policies/p.yaml", "a: 1\nb: 2\n")
    let base = try scratch.commit("base")
    try scratch.write("prompts/a.md", "one\n2\nthree\nfour\nfive")
    try scratch.remove("prompts/b.md")
    try scratch.write("policies/p.yaml", "a: 1\nb: 3\nc: [x]\n")
    try scratch.write("prompts/new.md", "n1\nn2\n")
    let head = try scratch.commit("head")
    let numstat = try scratch.git("diff", "--numstat", "-M", base, head).split(separator: "\n").map {
      $0.split(separator: "\t").map(String.init)
    }
    let files = try #require(try CLI.diffJSON(["-C", scratch.path, base, head])["files"] as? [[String: Any]])
    #expect(files.count == numstat.count)
    for line in numstat {
      let file = try #require(files.first { $0["path"] as? String == line[2] })
      #expect(file["additions"] as? Int == Int(line[0]), "additions of \(line[2])")
      #expect(file["deletions"] as? Int == Int(line[1]), "deletions of \(line[2])")
    }
  }

  /// libgit2's fixtures: every commit against its first parent, and the first against the last.
  @Test(arguments: [
    "testrepo.git", "submodules.git", "revert-rename.git", "typechanges/.gitted",
    "renames/.gitted", "twowaymerge.git",
  ])
  func agreesWithGitOnLibgit2Fixtures(_ name: String) throws {
    let path = Libgit2Fixtures.path(name)
    try #require(FileManager.default.fileExists(atPath: path), "install libgit2-fixtures (make test does)")
    let repository = try readableCopy(path)
    let commits = try run("/usr/bin/git", ["--git-dir", repository, "rev-list", "--all", "--topo-order"])
      .stdout.split(separator: "\n").map(String.init)
    #expect(!commits.isEmpty)
    var pairs: [(String, String)] = []
    for commit in commits {
      let parent = try run(
        "/usr/bin/git", ["--git-dir", repository, "rev-parse", "--verify", "-q", commit + "^"])
      if parent.status == 0 { pairs.append((String(parent.stdout.dropLast()), commit)) }
    }
    if let first = commits.last, let last = commits.first, first != last { pairs.append((first, last)) }
    for (base, head) in pairs {
      #expect(
        try NameStatus.promptgate(repository, base, head) == (try NameStatus.git(repository, base, head)),
        "\(name) \(base)..\(head)")
    }
  }

  /// The fixture itself when we own it (opened in place, only read); a copy when another user
  /// does, since git refuses repositories owned by someone else.
  private func readableCopy(_ path: String) throws -> String {
    let owner = try FileManager.default.attributesOfItem(atPath: path)[.ownerAccountID] as? Int
    if owner == Int(getuid()) { return path }
    let copy = try makeTemporaryFolder(prefix: "promptgate-fixture")
    try run("/bin/cp", ["-R", path, copy + "/repo"])
    return copy + "/repo"
  }
}
