import Foundation
import Git
import TestSupport
import Testing

@Suite struct WritingTests {
  private let alice = Signature(
    name: "Alice", email: "alice@example.com", time: 1_764_000_000, offsetMinutes: 60)

  @Test func writesBlobsTreesAndCommitsThatGitAccepts() throws {
    let scratch = try ScratchRepository()
    let repository = try Repository.open(at: scratch.path)
    let blob = try repository.writeBlob(Array("{\"kind\":\"release\"}\n".utf8))
    let oracle = try run("/usr/bin/git", ["hash-object", "--stdin"], input: "{\"kind\":\"release\"}\n")
    #expect(blob.hex + "\n" == oracle.stdout)
    let inner = try repository.writeTree([TreeEntry(name: "event.json", id: blob, mode: .blob)])
    let outer = try repository.writeTree([
      TreeEntry(name: "a-file", id: blob, mode: .executable),
      TreeEntry(name: "folder", id: inner, mode: .tree),
    ])
    let first = try repository.writeCommit(
      tree: outer, parents: [], author: alice, committer: alice, message: "first event\n")
    let second = try repository.writeCommit(
      tree: inner, parents: [first], author: alice, committer: alice, message: "second event\n")

    #expect(try scratch.git("cat-file", "-p", "\(first.hex):folder/event.json") == "{\"kind\":\"release\"}")
    #expect(try scratch.git("ls-tree", first.hex).contains("100755 blob \(blob.hex)\ta-file"))
    #expect(
      try scratch.git("log", "--format=%an <%ae> %at %s", second.hex)
        == "Alice <alice@example.com> 1764000000 second event\nAlice <alice@example.com> 1764000000 first event"
    )
    #expect(try scratch.git("show", "-s", "--format=%ai", first.hex).hasSuffix("+0100"))
    try scratch.git("update-ref", "refs/heads/events", second.hex)
    try scratch.git("fsck", "--strict", "--no-dangling")
  }

  @Test func updatesAReferenceOnlyFromTheExpectedValue() throws {
    let scratch = try ScratchRepository()
    try scratch.write("a.txt", "a\n")
    let one = try #require(ObjectID(hex: try scratch.commit("one")))
    try scratch.write("a.txt", "b\n")
    let two = try #require(ObjectID(hex: try scratch.commit("two")))
    let repository = try Repository.open(at: scratch.path)
    let name = "refs/promptgate/environments/production"

    try repository.updateReference(name, to: one, expecting: nil, message: "release one")
    #expect(try repository.referenceTarget(name) == one)
    #expect { try repository.updateReference(name, to: two, expecting: nil, message: "x") } throws: {
      ($0 as? GitError)?.code == .exists
    }
    #expect { try repository.updateReference(name, to: two, expecting: two, message: "x") } throws: {
      ($0 as? GitError)?.code == .modified
    }
    #expect(try repository.referenceTarget(name) == one)
    try repository.updateReference(name, to: two, expecting: one, message: "release two")
    #expect(try repository.referenceTarget(name) == two)

    // The custom ref has a reflog, readable by git.
    #expect(try scratch.git("reflog", "show", "--format=%gs", name) == "release two\nrelease one")
    #expect(try repository.reflog(name).map(\.message) == ["release two", "release one"])
    #expect(try repository.references(matching: "refs/promptgate/environments/*").map(\.name) == [name])
    #expect(try repository.referenceTarget("refs/promptgate/missing") == nil)

    #expect(throws: GitError.self) { try repository.deleteReference(name, expecting: one) }
    try repository.deleteReference(name, expecting: two)
    #expect(try repository.referenceTarget(name) == nil)
  }

  @Test func aLockedReferenceIsRefusedNotOverwritten() throws {
    let scratch = try ScratchRepository()
    try scratch.write("a.txt", "a\n")
    let one = try #require(ObjectID(hex: try scratch.commit("one")))
    let repository = try Repository.open(at: scratch.path)
    let name = "refs/promptgate/ledger"
    try repository.updateReference(name, to: one, expecting: nil, message: "start")

    let holder = try Transaction(repository)
    try holder.lock(name)
    let other = try Repository.open(at: scratch.path)
    #expect { try other.updateReference(name, to: one, expecting: one, message: "x") } throws: {
      ($0 as? GitError)?.code == .locked
    }
    let rival = try Transaction(other)
    #expect { try rival.lock(name) } throws: { ($0 as? GitError)?.code == .locked }
  }

  /// Two writers creating one reference at once (two clones pushing the first ledger to a
  /// remote): exactly one wins and the other is refused, never both written, the second
  /// overwriting the first. libgit2 checks that a reference is absent before taking its lock.
  @Test func creatingAReferenceIsACompareAndSwapToo() throws {
    let scratch = try ScratchRepository()
    let targets = try (0..<4).map { index in
      try scratch.write("a.txt", "\(index)\n")
      return try #require(ObjectID(hex: try scratch.commit("\(index)")))
    }
    let path = scratch.path
    let repository = try Repository.open(at: path)
    for round in 0..<100 {
      let name = "refs/promptgate/race/\(round)"
      let winners = LockedList<ObjectID>()
      DispatchQueue.concurrentPerform(iterations: targets.count) { index in
        do {
          // Each writer its own handle, as each process has.
          let writer = try Repository.open(at: path)
          try writer.updateReference(name, to: targets[index], expecting: nil, message: "create")
          winners.append(targets[index])
        } catch {
          // Refused: another writer created it first (or held its lock).
        }
      }
      #expect(winners.values.count == 1, "round \(round): \(winners.values.count) writers created \(name)")
      #expect(try repository.referenceTarget(name) == winners.values.first)
      #expect(try repository.reflog(name).count == 1)
    }
  }

  @Test func aTransactionMovesSeveralReferencesWithReflogs() throws {
    let scratch = try ScratchRepository()
    try scratch.write("a.txt", "a\n")
    let one = try #require(ObjectID(hex: try scratch.commit("one")))
    let repository = try Repository.open(at: scratch.path)
    let names = ["refs/promptgate/environments/staging", "refs/promptgate/environments/production"]
    do {
      let transaction = try Transaction(repository)
      for name in names { try transaction.lock(name) }
      for name in names { try transaction.setTarget(name, to: one, message: "mirror \(name)") }
      try transaction.commit()
    }
    for name in names {
      #expect(try repository.referenceTarget(name) == one)
      #expect(try scratch.git("reflog", "show", "--format=%gs", name) == "mirror \(name)")
    }
    // The locks are gone once the transaction is committed.
    try repository.updateReference(names[0], to: one, expecting: one, message: "again")
  }
}
