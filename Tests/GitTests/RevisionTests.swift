import Foundation
import Git
import TestSupport
import Testing

@Suite struct RevisionTests {
  /// A small history: three commits on main, an annotated and a lightweight tag, a branch.
  private func history() throws -> (ScratchRepository, [String]) {
    let scratch = try ScratchRepository()
    var ids: [String] = []
    for index in 1...3 {
      try scratch.write("prompts/p.md", "version \(index)\n")
      ids.append(try scratch.commit("commit \(index)\n\nbody \(index)"))
    }
    try scratch.git("tag", "-a", "v1.2", "-m", "release 1.2", ids[1])
    try scratch.git("tag", "light", ids[0])
    try scratch.git("branch", "feature", ids[0])
    return (scratch, ids)
  }

  @Test func resolvesEveryRevisionAGitUserTypes() throws {
    let (scratch, ids) = try history()
    let repository = try Repository.open(at: scratch.path)
    let cases: [(String, String)] = [
      ("HEAD", ids[2]), ("main", ids[2]), ("main~2", ids[0]), ("HEAD^", ids[1]), ("HEAD~1", ids[1]),
      ("v1.2", ids[1]), ("refs/tags/v1.2", ids[1]), ("light", ids[0]), ("feature", ids[0]),
      ("refs/heads/main", ids[2]), (ids[1], ids[1]), (String(ids[0].prefix(8)), ids[0]),
      ("v1.2^{commit}", ids[1]), ("main@{0}", ids[2]),
    ]
    for (revision, expected) in cases {
      let oracle = try scratch.git("rev-parse", "\(revision)^{commit}")
      #expect(oracle == expected, "git disagrees with the test on \(revision)")
      #expect(try repository.resolveCommit(revision).id.hex == expected, "resolving \(revision)")
    }
  }

  @Test func unknownRevisionsFailAsNotFound() throws {
    let (scratch, _) = try history()
    let repository = try Repository.open(at: scratch.path)
    for revision in ["v9.9", "main~10", "nope", "0000000000000000000000000000000000000000"] {
      #expect(throws: GitError.self, "resolving \(revision)") { try repository.resolveCommit(revision) }
    }
  }

  @Test func readsCommitsAsGitDoes() throws {
    let (scratch, ids) = try history()
    try scratch.git(
      ["commit", "-q", "--allow-empty", "-m", "by bob"], author: "Bob Builder <bob@example.com>")
    let repository = try Repository.open(at: scratch.path)
    let commit = try repository.resolveCommit("HEAD")
    let fields = try scratch.git("log", "-1", "--format=%an|%ae|%at|%cn|%ce|%ct|%T|%P")
      .split(separator: "|").map(String.init)
    #expect(commit.author.name == fields[0])
    #expect(commit.author.email == fields[1])
    #expect(commit.author.time == Int64(fields[2]))
    #expect(commit.committer.name == fields[3])
    #expect(commit.committer.email == fields[4])
    #expect(commit.committer.time == Int64(fields[5]))
    #expect(commit.tree.hex == fields[6])
    #expect(commit.parents.map(\.hex) == [ids[2]])
    #expect(commit.message == "by bob\n")
    #expect(try repository.commit(ObjectID(hex: ids[2])!).message == "commit 3\n\nbody 3\n")
    #expect(try repository.commit(ObjectID(hex: ids[2])!).summary == "commit 3")
  }

  @Test func readsTreesAndBlobs() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/a.md", "alpha\n")
    try scratch.write("policies/b.yaml", "k: v\n")
    try scratch.commit("files")
    let repository = try Repository.open(at: scratch.path)
    let tree = try repository.resolveCommit("HEAD").tree
    let entry = try #require(try repository.entry(at: "prompts/a.md", inTree: tree))
    #expect(entry.mode == .blob)
    #expect(entry.id.hex == (try scratch.git("rev-parse", "HEAD:prompts/a.md")))
    #expect(try repository.blob(entry.id) == Array("alpha\n".utf8))
    #expect(try repository.blobSize(entry.id) == 6)
    #expect(try repository.entry(at: "prompts/missing.md", inTree: tree) == nil)
    #expect(try repository.files(inTree: tree).map(\.path) == ["policies/b.yaml", "prompts/a.md"])
  }

  @Test func objectIDsRoundTripAndOrderLikeTheirHex() throws {
    let hexes = [
      "00ff000000000000000000000000000000000001", "0a00000000000000000000000000000000000000",
      "ffffffffffffffffffffffffffffffffffffffff", "099fabac3a9ea935598528c27f866e34089c2eff",
    ]
    let ids = hexes.compactMap { ObjectID(hex: $0) }
    #expect(ids.map(\.hex) == hexes)
    #expect(ids.sorted().map(\.hex) == hexes.sorted())
    #expect(ObjectID(hex: "xyz") == nil)
    #expect(ObjectID(hex: String(repeating: "g", count: 40)) == nil)
    #expect(ObjectID(hex: "099FABAC3A9EA935598528C27F866E34089C2EFF")?.hex == hexes[3])
  }

  @Test func walksRevisionsAsGitRevList() throws {
    let (scratch, _) = try history()
    try scratch.git("checkout", "-q", "feature")
    try scratch.write("other.md", "x\n")
    try scratch.commit("on feature")
    try scratch.git("checkout", "-q", "main")
    try scratch.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    let repository = try Repository.open(at: scratch.path)
    let head = try repository.resolveCommit("HEAD").id
    let walk = try RevisionWalk(repository, from: [head], order: [.topological])
    let ours = Array(walk).map(\.hex)
    #expect(walk.error == nil)
    #expect(
      ours == (try scratch.git("rev-list", "--topo-order", "HEAD").split(separator: "\n").map(String.init)))
    let hidden = try RevisionWalk(
      repository, from: [head], hiding: [try repository.resolveCommit("main~1").id], order: [.topological])
    #expect(
      Set(hidden.map(\.hex))
        == Set(try scratch.git("rev-list", "main~1..HEAD").split(separator: "\n").map(String.init)))
  }
}
