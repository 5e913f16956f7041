import Foundation
import Git
import TestSupport
import Testing

@Suite struct RepositoryTests {
  @Test func opensFromAnyFolderInsideTheWorkTree() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/deep/nested/a.md", "hello\n")
    try scratch.commit("first")
    let repository = try Repository.open(at: scratch.path + "/prompts/deep/nested")
    #expect(repository.workingDirectory?.hasSuffix("/") == true)
    #expect(
      URL(fileURLWithPath: repository.workingDirectory!).standardizedFileURL.path
        == URL(fileURLWithPath: scratch.path).resolvingSymlinksInPath().path
        || repository.workingDirectory!.contains(URL(fileURLWithPath: scratch.path).lastPathComponent))
    #expect(!repository.isBare)
    #expect(try repository.resolveCommit("HEAD").summary == "first")
  }

  @Test func opensABareRepository() throws {
    let repository = try Repository.open(at: Libgit2Fixtures.path("testrepo.git"))
    #expect(repository.isBare)
    #expect(repository.workingDirectory == nil)
    #expect(try repository.resolveCommit("HEAD").id.hex == "a65fedf39aefe402d3bb6e24df4d4f5fe4547750")
  }

  @Test func opensALinkedWorktreeAndSharesItsRefs() throws {
    let scratch = try ScratchRepository()
    try scratch.write("a.txt", "a\n")
    let first = try scratch.commit("first")
    let worktree = try makeTemporaryFolder(prefix: "promptgate-worktree") + "/wt"
    defer {
      try? FileManager.default.removeItem(
        atPath: URL(fileURLWithPath: worktree).deletingLastPathComponent().path)
    }
    try scratch.git("worktree", "add", "-q", "-b", "feature", worktree)
    let repository = try Repository.open(at: worktree)
    #expect(try repository.resolveCommit("HEAD").id.hex == first)
    #expect(repository.gitDirectory.contains("/worktrees/"))
    #expect(!repository.commonDirectory.contains("/worktrees/"))
  }

  @Test func refusesAFolderOutsideAnyRepository() throws {
    let folder = try makeTemporaryFolder(prefix: "promptgate-plain")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect { try Repository.open(at: folder) } throws: { ($0 as? GitError)?.code == .notFound }
  }

  @Test func refusesARepositoryOwnedByAnotherUser() throws {
    guard getuid() == 0 else { return }  // Only root can hand a folder to another user.
    let scratch = try ScratchRepository()
    try scratch.write("a.txt", "a\n")
    try scratch.commit("first")
    try run("/bin/chown", ["-R", "65534:65534", scratch.path])
    #expect { try Repository.open(at: scratch.path + "/") } throws: { ($0 as? GitError)?.code == .owner }
  }

  @Test func reportsAShallowClone() throws {
    let scratch = try ScratchRepository()
    for index in 1...3 {
      try scratch.write("a.txt", "\(index)\n")
      try scratch.commit("commit \(index)")
    }
    let clone = try makeTemporaryFolder(prefix: "promptgate-shallow")
    defer { try? FileManager.default.removeItem(atPath: clone) }
    try scratch.git("clone", "-q", "--depth", "1", "file://\(scratch.path)", clone + "/c")
    let repository = try Repository.open(at: clone + "/c")
    #expect(repository.isShallow)
    #expect { try repository.resolveCommit("HEAD~1") } throws: { ($0 as? GitError)?.code == .notFound }
  }
}
