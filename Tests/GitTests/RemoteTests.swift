import Foundation
import Git
import TestSupport
import Testing

/// Remotes through libgit2: local paths, `file://` and, through `git daemon`, the smart protocol
/// with `git receive-pack` on the other side. git is the oracle.
@Suite struct RemoteTests {
  /// A repository with two commits on main, pushed to a bare remote; `local` is a clone that
  /// names it `origin`.
  private struct Setup {
    let bare: ScratchRepository
    let local: ScratchRepository
    let one: ObjectID
    let two: ObjectID

    init() throws {
      bare = try ScratchRepository(bare: true)
      local = try ScratchRepository()
      try local.write("a.txt", "a\n")
      one = try #require(ObjectID(hex: try local.commit("one")))
      try local.write("a.txt", "b\n")
      two = try #require(ObjectID(hex: try local.commit("two")))
      try local.git("remote", "add", "origin", bare.path)
      try local.git("push", "-q", "origin", "main")
    }
  }

  @Test(arguments: [false, true])
  func advertisesFetchesAndPushesWithALease(fileURL: Bool) throws {
    let setup = try Setup()
    let repository = try Repository.open(at: setup.local.path)
    let remote =
      fileURL
      ? try Remote.anonymous(url: "file://" + setup.bare.path, in: repository)
      : try Remote.lookup("origin", in: repository)
    #expect(remote.name == (fileURL ? nil : "origin"))

    // ls-remote, as git sees it.
    let advertised = try remote.advertisedReferences()
    #expect(advertised["refs/heads/main"] == setup.two)
    let oracle = try setup.bare.git("rev-parse", "main")
    #expect(advertised["refs/heads/main"]?.hex == oracle)

    // A leased create, a leased update, and two refused ones that leave the remote alone.
    let name = "refs/promptgate/environments/staging"
    try remote.push([PushUpdate(reference: name, target: setup.one, expected: nil)])
    #expect(try setup.bare.git("rev-parse", name) == setup.one.hex)
    #expect(throws: PushError.self) {
      try remote.push([PushUpdate(reference: name, target: setup.two, expected: nil)])
    }
    do {
      try remote.push([PushUpdate(reference: name, target: setup.two, expected: setup.two)])
      Issue.record("a push whose lease does not hold must fail")
    } catch {
      guard case .rejected(let rejections) = error else { throw error }
      #expect(rejections.map(\.reference) == [name])
      #expect(rejections.first?.reason.contains("another writer pushed first") == true)
    }
    #expect(try setup.bare.git("rev-parse", name) == setup.one.hex)
    // Backwards is fine when the lease holds (an environment after a rollback).
    try remote.push([PushUpdate(reference: name, target: setup.two, expected: setup.one)])
    try remote.push([PushUpdate(reference: name, target: setup.one, expected: setup.two)])
    #expect(try setup.bare.git("rev-parse", name) == setup.one.hex)

    // A commit the remote lacks travels with the push; fetch brings the ref back elsewhere.
    try setup.local.write("a.txt", "c\n")
    let three = try #require(ObjectID(hex: try setup.local.commit("three")))
    try remote.push([PushUpdate(reference: "refs/promptgate/ledger", target: three, expected: nil)])
    #expect(try setup.bare.git("rev-parse", "refs/promptgate/ledger") == three.hex)
    try setup.bare.git("fsck", "--strict", "--no-dangling")
    try remote.fetch(
      ["+refs/promptgate/ledger:refs/promptgate/remotes/test/ledger"], reflogMessage: "test fetch")
    #expect(try repository.referenceTarget("refs/promptgate/remotes/test/ledger") == three)
    // A refspec whose source the remote lacks fetches nothing and is no error.
    try remote.fetch(["+refs/promptgate/nothing:refs/promptgate/remotes/test/nothing"], reflogMessage: "x")
    #expect(try repository.referenceTarget("refs/promptgate/remotes/test/nothing") == nil)
  }

  @Test func pushesThroughTheSmartProtocolWithALease() throws {
    let setup = try Setup()
    let daemon = try GitDaemon(serving: setup.bare.path)
    defer { daemon.stop() }
    let repository = try Repository.open(at: setup.local.path)
    let remote = try Remote.anonymous(url: daemon.url, in: repository)
    #expect(try remote.advertisedReferences()["refs/heads/main"] == setup.two)

    let name = "refs/promptgate/ledger"
    try remote.push([PushUpdate(reference: name, target: setup.one, expected: nil)])
    #expect(try setup.bare.git("rev-parse", name) == setup.one.hex)
    do {
      try remote.push([PushUpdate(reference: name, target: setup.two, expected: nil)])
      Issue.record("a create over an existing reference must fail")
    } catch {
      guard case .rejected(let rejections) = error else { throw error }
      #expect(rejections.map(\.reference) == [name])
    }
    #expect(throws: PushError.self) {
      try remote.push([PushUpdate(reference: name, target: setup.one, expected: setup.two)])
    }
    #expect(try setup.bare.git("rev-parse", name) == setup.one.hex)
    try remote.push([PushUpdate(reference: name, target: setup.two, expected: setup.one)])
    try remote.push([PushUpdate(reference: name, target: setup.one, expected: setup.two)])
    #expect(try setup.bare.git("rev-parse", name) == setup.one.hex)
    // The temporary references libgit2 pushes from are gone.
    #expect(try setup.local.git("for-each-ref", "refs/promptgate-push/").isEmpty)
    try remote.fetch(["+\(name):refs/promptgate/remotes/daemon/ledger"], reflogMessage: "fetch")
    #expect(try repository.referenceTarget("refs/promptgate/remotes/daemon/ledger") == setup.one)
  }

  @Test func unknownNamesAndUnreachableRemotesAreErrors() throws {
    let setup = try Setup()
    let repository = try Repository.open(at: setup.local.path)
    #expect(Remote.names(in: repository) == ["origin"])
    #expect { try Remote.lookup("upstream", in: repository) } throws: {
      ($0 as? GitError)?.code == .notFound
    }
    for url in [
      "/nonexistent/promptgate/remote.git", "ssh://git@127.0.0.1:1/remote.git", "https://127.0.0.1:1/r.git",
    ] {
      let remote = try Remote.anonymous(url: url, in: repository)
      #expect(throws: GitError.self, "\(url)") { try remote.advertisedReferences() }
    }
  }

  @Test func fixedCredentialsAnswerEachKindOfRequest() {
    let credentials = RemoteCredentials(username: "ci", password: "s3cret", sshUser: "me")
    func request(_ kind: CredentialRequest.Kind, user: String? = nil) -> CredentialRequest {
      CredentialRequest(kind: kind, url: "https://example.com/r.git", usernameFromURL: user)
    }
    #expect(credentials.credential(for: request(.sshKey)) == .sshAgent(user: "me"))
    #expect(credentials.credential(for: request(.sshKey, user: "git")) == .sshAgent(user: "git"))
    #expect(
      credentials.credential(for: request(.userPassword)) == .userPassword(user: "ci", password: "s3cret"))
    #expect(RemoteCredentials().credential(for: request(.userPassword)) == nil, "no password, none offered")
  }
}

/// `git daemon` serving one bare repository over git://, receive-pack enabled, on a free port:
/// a random one, and another when that one is taken (the daemon then exits at once).
final class GitDaemon {
  private var process = Process()
  let url: String

  init(serving bare: String) throws {
    let folder = URL(fileURLWithPath: bare).deletingLastPathComponent().path
    let name = URL(fileURLWithPath: bare).lastPathComponent
    for _ in 0..<8 {
      let port = Int.random(in: 20_000...60_000)
      process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/lib/git-core/git-daemon")
      process.arguments = [
        "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--export-all", "--enable=receive-pack",
        "--base-path=\(folder)", folder,
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let url = "git://127.0.0.1:\(port)/\(name)"
      // Wait until it answers, or until it gives up on the port.
      for _ in 0..<100 where process.isRunning {
        if (try? run("/usr/bin/git", ["ls-remote", url]))?.status == 0 {
          self.url = url
          return
        }
        usleep(50_000)
      }
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
    }
    throw CocoaError(.fileReadUnknown)
  }

  func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }
}
