import Foundation
import Git
import PromptgateCore
import TestSupport
import Testing

/// `export` checked the way deploy tooling would: the files on disk against git and against
/// `sha256sum`, and hostile trees against a listing of the folders around the export.
@Suite struct ReleaseExportTests {
  // MARK: - A real release

  @Test func writesEveryRegularFileWithItsBytesAndMode() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let result = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: out)

    let regular = try fixture.regularFiles()
    #expect(regular.keys.contains("scripts/render.sh"))
    #expect(regular.keys.contains("empty.txt"))
    #expect(regular.keys.contains("data/latin1.txt"))
    #expect(regular.keys.contains(".gitmodules"))
    for (path, mode) in regular {
      let written = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(path)"))
      let expected = try Data(contentsOf: URL(fileURLWithPath: "\(fixture.scratch.path)/\(path)"))
      #expect(written == expected, "\(path)")
      #expect(permissions(of: "\(out)/\(path)") == (mode == "100755" ? 0o755 : 0o644), "\(path)")
    }
    // Nothing but the release's regular files and the lock: no temporary file, no marker, no link.
    #expect(
      try listing(out).filter { !$0.hasPrefix("d ") }
        == Set(regular.keys.map { "f \($0)" } + ["f release.json"]))
    #expect(Set(result.written) == Set(regular.keys).union(["release.json"]))
    #expect(result.written.last == "release.json")
  }

  @Test func lockListsExactlyTheWrittenFilesWithTheirSHA256() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let result = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: out)
    let lock = try readLock(out)
    #expect(lock == result.lock)
    #expect(lock["kind"]?.string == "promptgate.export/v1")
    #expect(lock["environment"]?.string == "production")
    #expect(lock["release"]?["commit"]?.string == fixture.release.id.hex)
    #expect(lock["release"]?["tree"]?.string == fixture.release.tree.hex)
    #expect(lock["fallback"] == .null)

    let regular = try fixture.regularFiles()
    let files = try #require(lock["files"]?.array)
    let paths = files.compactMap { $0["path"]?.string }
    #expect(paths == regular.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    for file in files {
      let path = try #require(file["path"]?.string)
      #expect(file["sha256"]?.string == (try sha256sum("\(out)/\(path)")), "\(path)")
      #expect(file["mode"]?.string == regular[path], "\(path)")
      let size = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(path)")).count
      #expect(file["size"]?.integer == Int64(size), "\(path)")
    }
  }

  @Test func symlinksAndSubmodulesAreWarnedAboutAndNotWritten() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let result = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: out)

    let skipped = ["prompts/current.md", "escape", "vendor/library"]
    #expect(result.warnings.map(\.path).sorted() == skipped.sorted())
    #expect(result.warnings.contains(.init(path: "prompts/current.md", message: "symlink not exported")))
    #expect(result.warnings.contains(.init(path: "escape", message: "symlink not exported")))
    #expect(result.warnings.first { $0.path == "vendor/library" }?.message.contains("submodule") == true)
    for path in skipped { #expect(!exists("\(out)/\(path)"), "\(path)") }
    let recorded = try readLock(out)["skipped"]?.array?.compactMap { $0["path"]?.string }
    #expect(recorded == result.warnings.map(\.path))
  }

  @Test func lockIsByteIdenticalAcrossExports() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    for folder in ["first", "second"] {
      _ = try ReleaseExport.export(
        fixture.release, environment: "staging", in: fixture.repository, to: "\(base)/\(folder)")
    }
    let first = try Data(contentsOf: URL(fileURLWithPath: "\(base)/first/release.json"))
    let second = try Data(contentsOf: URL(fileURLWithPath: "\(base)/second/release.json"))
    #expect(first == second)
    #expect(String(decoding: first, as: UTF8.self).hasSuffix("}\n"))
  }

  // MARK: - Hostile trees

  @Test func hostileTreeWritesNothingOutsideTheFolderAndReportsEachPath() throws {
    let scratch = try ScratchRepository()
    let tag = "escaped-\(UUID().uuidString)"
    let plumbing = Plumbing(scratch)
    let payloadText = "[core]\n\tfsmonitor = touch /tmp/\(tag)-pwned\n"
    let payload = try plumbing.blob(payloadText)
    let escapee = try plumbing.tree([("100644", payload, tag)])
    let twoUp = try plumbing.tree([("040000", try plumbing.tree([("040000", escapee, "..")]), "..")])
    let hostile: [(mode: String, id: String, name: String)] = [
      ("040000", escapee, ".."),  // ../escaped-...
      ("040000", twoUp, "a"),  // a/../../escaped-...
      ("040000", try plumbing.tree([("100644", payload, "config")]), ".GIT"),
      ("040000", try plumbing.tree([("100644", payload, "config")]), ".Git"),
      ("040000", try plumbing.tree([("100644", payload, "config")]), ".git"),
      ("040000", try plumbing.tree([("100644", payload, "config")]), ".g\u{200C}it"),  // HFS+ sees .git
      ("040000", try plumbing.tree([("100644", payload, "config")]), ".git."),  // NTFS sees .git
      ("040000", try plumbing.tree([("100644", payload, "dot.md")]), "."),
      // A combining mark after the `/` would hide the separator from `Character` comparison.
      ("040000", try plumbing.tree([("100644", payload, "\u{301}\(tag)")]), ".."),
      ("100644", payload, "line\nbreak.md"),
      ("100644", payload, "ctrl\u{1}.md"),
      ("100644", payload, "del\u{7F}.md"),
      ("100644", payload, "back\\slash.md"),
      ("040000", try plumbing.tree([("100644", payload, "ok.md")]), "prompts"),
      // Two entries of one name, and a file where a later path needs a folder: on disk only the
      // first of each can exist.
      ("100644", payload, "twice.md"),
      ("100644", try plumbing.blob("second\n"), "twice.md"),
      ("100644", payload, "shadow"),
      ("040000", try plumbing.tree([("100644", payload, "inner.md")]), "shadow"),
    ]
    let commit = try plumbing.commit(try plumbing.tree(hostile))
    let repository = try Repository.open(at: scratch.path)

    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    try FileManager.default.createDirectory(atPath: "\(base)/nest", withIntermediateDirectories: true)
    let before = try listing(base)
    let out = "\(base)/nest/out"
    let result = try ReleaseExport.export(
      repository.commit(commit), environment: "production", in: repository, to: out)

    #expect(try listing(base).filter { !$0.hasPrefix("d nest/out") && !$0.contains(" nest/out/") } == before)
    #expect(try listing(out) == ["d prompts", "f prompts/ok.md", "f twice.md", "f shadow", "f release.json"])
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/twice.md")) == Data(payloadText.utf8))
    let temporary = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
    #expect(!temporary.contains { $0.contains(tag) })

    let expected = [
      "../\(tag)", "a/../../\(tag)", ".GIT/config", ".Git/config", ".git/config", ".g\u{200C}it/config",
      ".git./config", "./dot.md", "../\u{301}\(tag)", "line\nbreak.md", "ctrl\u{1}.md", "del\u{7F}.md",
      "back\\slash.md", "twice.md", "shadow/inner.md",
    ]
    #expect(Set(result.warnings.map(\.path)) == Set(expected))
    #expect(result.warnings.count == expected.count)
    #expect(result.warnings.allSatisfy { $0.message.hasSuffix("not exported") })
    let lock = try readLock(out)
    #expect(
      lock["files"]?.array?.compactMap { $0["path"]?.string } == ["prompts/ok.md", "shadow", "twice.md"])
    #expect(lock["skipped"]?.array?.count == expected.count)
  }

  @Test func anEmptyNameIsNeverWrittenAsAnAbsolutePath() throws {
    // `git mktree` accepts an empty name, which would make the path `/escaped-...`. Both
    // `git ls-tree` and libgit2 refuse to parse such a tree, so the export stops with an error
    // before creating the folder; the absolute-path rule stays as a second line of defence.
    let scratch = try ScratchRepository()
    let plumbing = Plumbing(scratch)
    let tag = "escaped-\(UUID().uuidString)"
    let inner = try plumbing.tree([("100644", try plumbing.blob("x\n"), tag)])
    let commit = try plumbing.commit(try plumbing.tree([("040000", inner, "")]))
    let repository = try Repository.open(at: scratch.path)
    let release = try repository.commit(commit)
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let error = #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(release, environment: "production", in: repository, to: out)
    }
    #expect(error?.message.contains("cannot read the tree of \(release.id.short())") == true)
    #expect(!exists(out))
    #expect(!exists("/\(tag)"))
  }

  // MARK: - The target folder

  @Test func nonEmptyFolderIsRefusedWithoutReplace() throws {
    let fixture = try ReleaseFixture()
    let out = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: out) }
    try Data("mine\n".utf8).write(to: URL(fileURLWithPath: "\(out)/notes.txt"))
    let error = #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(fixture.release, environment: "production", in: fixture.repository, to: out)
    }
    #expect(error?.message.contains(out) == true)
    #expect(error?.message.contains("--replace") == true)
    #expect(error?.exitCode == 2)
    #expect(try listing(out) == ["f notes.txt"])

    // --replace only replaces an earlier export, never a folder of other files.
    let replacing = #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(
        fixture.release, environment: "production", in: fixture.repository, to: out, replace: true)
    }
    #expect(replacing?.message.contains("no release.json") == true)
    #expect(try listing(out) == ["f notes.txt"])
  }

  @Test func replaceSwapsAnEarlierExportForTheNewRelease() throws {
    let fixture = try ReleaseFixture()
    try fixture.scratch.remove("policies/safety.yaml")
    try fixture.scratch.write("prompts/new.md", "new\n")
    let next = try fixture.repository.commit(try #require(ObjectID(hex: try fixture.scratch.commit("two"))))
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }

    _ = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: "\(base)/out")
    _ = try ReleaseExport.export(
      next, environment: "production", in: fixture.repository, to: "\(base)/out", replace: true)
    _ = try ReleaseExport.export(next, environment: "production", in: fixture.repository, to: "\(base)/fresh")

    #expect(!exists("\(base)/out/policies/safety.yaml"))
    #expect(try listing("\(base)/out") == (try listing("\(base)/fresh")))
    let replaced = try Data(contentsOf: URL(fileURLWithPath: "\(base)/out/release.json"))
    #expect(replaced == (try Data(contentsOf: URL(fileURLWithPath: "\(base)/fresh/release.json"))))
  }

  @Test func anInterruptedExportCanBeReplaced() throws {
    let fixture = try ReleaseFixture()
    let out = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: out) }
    // What a process killed midway leaves: the marker, some files, a temporary file, no lock.
    try Data().write(to: URL(fileURLWithPath: "\(out)/.promptgate-export-incomplete"))
    try Data("half".utf8).write(to: URL(fileURLWithPath: "\(out)/.promptgate-tmp-1234"))
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: "\(out)/runbook.yaml"))

    #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(fixture.release, environment: "production", in: fixture.repository, to: out)
    }
    _ = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: out, replace: true)
    let entries = try listing(out)
    #expect(entries.contains("f release.json"))
    #expect(!entries.contains { $0.contains(".promptgate-") })
  }

  @Test func symlinkInsideAnEarlierExportIsRefused() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let victim = "\(base)/victim"
    let out = "\(base)/out"
    try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
    _ = try ReleaseExport.export(fixture.release, environment: "production", in: fixture.repository, to: out)
    // An attacker swaps a folder of the export for a link, hoping the next export follows it.
    try FileManager.default.removeItem(atPath: "\(out)/prompts")
    try FileManager.default.createSymbolicLink(atPath: "\(out)/prompts", withDestinationPath: victim)

    let error = #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(
        fixture.release, environment: "production", in: fixture.repository, to: out, replace: true)
    }
    #expect(error?.message.contains("\(out)/prompts is a symbolic link") == true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: victim).isEmpty)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(out)/prompts") == victim)
  }

  @Test func folderThatIsASymlinkIsRefused() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    try FileManager.default.createDirectory(atPath: "\(base)/real", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: "\(base)/link", withDestinationPath: "\(base)/real")
    for folder in ["\(base)/link", "\(base)/link/"] {
      let error = #expect(throws: PromptgateError.self) {
        try ReleaseExport.export(
          fixture.release, environment: "production", in: fixture.repository, to: folder)
      }
      #expect(error?.message.contains("\(base)/link is a symbolic link") == true)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: "\(base)/real").isEmpty)

    // A link above the folder is the user's own layout (as /tmp is on macOS), not the release's.
    _ = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: "\(base)/link/out")
    #expect(exists("\(base)/real/out/release.json"))
  }

  @Test func releaseFileWhereTheExportWritesItsOwnIsRefused() throws {
    let scratch = try ScratchRepository()
    try scratch.write("Release.json", "{}\n")
    let repository = try Repository.open(at: scratch.path)
    let commit = try repository.commit(try #require(ObjectID(hex: try scratch.commit("one"))))
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let error = #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(commit, environment: "production", in: repository, to: out)
    }
    #expect(error?.message.contains("Release.json") == true)
    #expect(!exists(out))
  }

  // MARK: - Fallback bundles

  @Test func previousReleaseFallbackHoldsItsFilesUnderFallback() throws {
    let fixture = try ReleaseFixture()
    try fixture.scratch.write("prompts/support/billing.prompt.md", "---\nversion: 2\n---\nHi {{name}}\n")
    let next = try fixture.repository.commit(try #require(ObjectID(hex: try fixture.scratch.commit("two"))))
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let result = try ReleaseExport.export(
      next, environment: "production", in: fixture.repository, to: out,
      fallback: .previousRelease(fixture.release))

    let previous = try fixture.regularFiles()
    let fallback = try #require(result.lock["fallback"])
    #expect(fallback["strategy"]?.string == "previous-release")
    #expect(fallback["release"]?["commit"]?.string == fixture.release.id.hex)
    let files = try #require(fallback["files"]?.array)
    #expect(Set(files.compactMap { $0["path"]?.string }) == Set(previous.keys.map { "fallback/\($0)" }))
    for file in files {
      let path = try #require(file["path"]?.string)
      #expect(file["sha256"]?.string == (try sha256sum("\(out)/\(path)")), "\(path)")
    }
    let old = try Data(contentsOf: URL(fileURLWithPath: "\(out)/fallback/prompts/support/billing.prompt.md"))
    #expect(String(decoding: old, as: UTF8.self).contains("version: 1"))
    #expect(permissions(of: "\(out)/fallback/scripts/render.sh") == 0o755)
    #expect(
      result.warnings.contains(.init(path: "fallback/prompts/current.md", message: "symlink not exported")))
    #expect(!exists("\(out)/fallback/escape"))
  }

  @Test func staticResponseFallbackCopiesTheFile() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let result = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: out,
      fallback: .staticResponse(path: "fallbacks/static.md"))

    let copied = try Data(contentsOf: URL(fileURLWithPath: "\(out)/fallback/static-response"))
    #expect(copied == Data("We are busy; a person will answer soon.\n".utf8))
    let fallback = try #require(result.lock["fallback"])
    #expect(fallback["strategy"]?.string == "static-response")
    #expect(fallback["source"]?.string == "fallbacks/static.md")
    #expect(fallback["files"]?.array?.first?["path"]?.string == "fallback/static-response")
    #expect(
      fallback["files"]?.array?.first?["sha256"]?.string == (try sha256sum("\(out)/fallback/static-response"))
    )
  }

  @Test func staticResponseThatIsNotAFileStopsBeforeWriting() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    for (path, fragment) in [
      ("fallbacks/missing.md", "is not a file of the release"), ("escape", "mode 120000"),
    ] {
      let error = #expect(throws: PromptgateError.self) {
        try ReleaseExport.export(
          fixture.release, environment: "production", in: fixture.repository, to: "\(base)/out",
          fallback: .staticResponse(path: path))
      }
      #expect(error?.message.contains(path) == true)
      #expect(error?.message.contains(fragment) == true)
      #expect(!exists("\(base)/out"))
    }
  }

  @Test func humanHandoffFallbackNamesTheQueue() throws {
    let fixture = try ReleaseFixture()
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let out = base + "/out"
    let result = try ReleaseExport.export(
      fixture.release, environment: "production", in: fixture.repository, to: out,
      fallback: .humanHandoff(queue: "tier-2-queue"))

    let handoff = try JSONValue(
      parsing: Array(Data(contentsOf: URL(fileURLWithPath: "\(out)/fallback/handoff.json"))))
    #expect(handoff == .object(["queue": .string("tier-2-queue")]))
    #expect(result.lock["fallback"]?["strategy"]?.string == "human-handoff")
    #expect(result.lock["fallback"]?["queue"]?.string == "tier-2-queue")
    #expect(
      result.lock["fallback"]?["files"]?.array?.first?["sha256"]?.string
        == (try sha256sum("\(out)/fallback/handoff.json")))

    #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(
        fixture.release, environment: "production", in: fixture.repository, to: "\(out)-empty",
        fallback: .humanHandoff(queue: ""))
    }
  }

  @Test func releaseWithAFallbackFolderIsRefusedOnlyWhenABundleIsWritten() throws {
    let scratch = try ScratchRepository()
    try scratch.write("fallback/notes.md", "mine\n")
    let repository = try Repository.open(at: scratch.path)
    let commit = try repository.commit(try #require(ObjectID(hex: try scratch.commit("one"))))
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }
    _ = try ReleaseExport.export(commit, environment: "production", in: repository, to: "\(base)/plain")
    #expect(exists("\(base)/plain/fallback/notes.md"))
    #expect(throws: PromptgateError.self) {
      try ReleaseExport.export(
        commit, environment: "production", in: repository, to: "\(base)/bundle",
        fallback: .humanHandoff(queue: "q"))
    }
  }

  // MARK: - A name git allows and promptgate cannot spell

  @Test func aFileWhoseNameIsNotUTF8IsSkippedNeverWrittenUnderAnotherName() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/ok.md", "fine\n")
    // Latin-1 bytes in a file's name and in a folder's: git stores them as they are.
    try writeRawPath(Array("prompts/caf".utf8) + [0xE9] + Array(".md".utf8), in: scratch.path)
    try writeRawPath(Array("latin".utf8) + [0xE9] + Array("/inner.md".utf8), in: scratch.path)
    let id = try scratch.commit("names")
    let repository = try Repository.open(at: scratch.path)
    let release = try repository.commit(try #require(ObjectID(hex: id)))
    let base = try makeTemporaryFolder(prefix: "promptgate-export")
    defer { try? FileManager.default.removeItem(atPath: base) }

    let result = try ReleaseExport.export(
      release, environment: "production", in: repository, to: base + "/out")
    let message = "its name is not UTF-8 (shown with U+FFFD); not exported: rename it in the repository"
    #expect(
      Set(result.warnings)
        == [
          .init(path: "prompts/caf\u{FFFD}.md", message: message),
          .init(path: "latin\u{FFFD}/inner.md", message: message),
        ])
    #expect(try listing(base + "/out") == ["d prompts", "f prompts/ok.md", "f release.json"])
    let skipped = try #require(readLock(base + "/out")["skipped"]?.array).compactMap { $0["path"]?.string }
    #expect(Set(skipped) == ["prompts/caf\u{FFFD}.md", "latin\u{FFFD}/inner.md"])
  }
}

// MARK: - Helpers

/// A release with everything an export has to handle: nested folders, an executable, two
/// symlinks (one pointing out of the repository), a submodule, a non-UTF-8 and an empty file.
private struct ReleaseFixture {
  let scratch: ScratchRepository
  let submodule: ScratchRepository
  let repository: Repository
  let release: Commit

  init() throws {
    scratch = try ScratchRepository()
    submodule = try ScratchRepository()
    try submodule.write("README.md", "a library\n")
    try submodule.commit("library")

    try scratch.write("runbook.yaml", "version: 1\nservice: { name: support-assistant }\n")
    try scratch.write("prompts/support/billing.prompt.md", "---\nversion: 1\n---\nHello {{name}}\n")
    try scratch.write("policies/safety.yaml", "deny: [legal-advice]\n")
    try scratch.write("fallbacks/static.md", "We are busy; a person will answer soon.\n")
    try scratch.write("scripts/render.sh", "#!/bin/sh\necho rendered\n")
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: "\(scratch.path)/scripts/render.sh")
    try scratch.write("data/latin1.txt", Data([0x63, 0x61, 0x66, 0xE9, 0x00, 0xFF, 0xFE, 0x0A]))
    try scratch.write("empty.txt", "")
    try FileManager.default.createSymbolicLink(
      atPath: "\(scratch.path)/prompts/current.md", withDestinationPath: "support/billing.prompt.md")
    try FileManager.default.createSymbolicLink(atPath: "\(scratch.path)/escape", withDestinationPath: "/etc")
    try scratch.git(
      "-c", "protocol.file.allow=always", "submodule", "add", "-q", submodule.path, "vendor/library")
    let id = try scratch.commit("release one")

    repository = try Repository.open(at: scratch.path)
    release = try repository.commit(try #require(ObjectID(hex: id)))
  }

  /// Regular files of the release by path, with their mode, as `git ls-tree` (the oracle) lists
  /// them.
  func regularFiles() throws -> [String: String] {
    let listing = try scratch.git("ls-tree", "-r", "-z", release.id.hex)
    var files: [String: String] = [:]
    for line in listing.split(separator: "\0") {
      let parts = line.split(separator: "\t", maxSplits: 1)
      let mode = String(parts[0].prefix { $0 != " " })
      if mode == "100644" || mode == "100755" { files[String(parts[1])] = mode }
    }
    return files
  }
}

/// Builds trees git's index would refuse, with `git mktree` and `git commit-tree`.
private struct Plumbing {
  let scratch: ScratchRepository

  init(_ scratch: ScratchRepository) {
    self.scratch = scratch
  }

  func blob(_ content: String) throws -> String {
    try git(["hash-object", "-w", "--stdin"], input: content)
  }

  /// A tree of `entries`, NUL-terminated so that names may hold newlines.
  func tree(_ entries: [(mode: String, id: String, name: String)]) throws -> String {
    let lines = entries.map { "\($0.mode) \($0.mode == "040000" ? "tree" : "blob") \($0.id)\t\($0.name)\0" }
    return try git(["mktree", "-z"], input: lines.joined())
  }

  func commit(_ tree: String) throws -> ObjectID {
    let id = try scratch.git("commit-tree", tree, "-m", "hostile")
    return try #require(ObjectID(hex: id))
  }

  private func git(_ arguments: [String], input: String) throws -> String {
    let result = try run("/usr/bin/git", ["-C", scratch.path] + arguments, input: input)
    try #require(result.status == 0, "git \(arguments): \(result.stderr)")
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// Every entry below `folder` as "<type> <path>" (`find`'s `%y %P`), links not followed.
private func listing(_ folder: String) throws -> Set<String> {
  let result = try run("/usr/bin/find", [folder, "-mindepth", "1", "-printf", "%y %P\\0"])
  return Set(result.stdout.split(separator: "\0").map(String.init))
}

private func sha256sum(_ path: String) throws -> String {
  let result = try run("/usr/bin/sha256sum", ["--", path])
  return String(result.stdout.prefix { $0 != " " })
}

private func readLock(_ folder: String) throws -> JSONValue {
  try JSONValue(parsing: Array(Data(contentsOf: URL(fileURLWithPath: "\(folder)/release.json"))))
}

private func permissions(of path: String) -> Int? {
  (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
}

/// Whether anything, a dangling link included, is at `path`.
private func exists(_ path: String) -> Bool {
  (try? FileManager.default.attributesOfItem(atPath: path)) != nil
}

/// Writes a one-line file at `raw`, a relative path of bytes that need not be UTF-8, with its
/// folders: Swift's String paths cannot carry such names.
private func writeRawPath(_ raw: [UInt8], in folder: String) throws {
  var path = Array(folder.utf8)
  let components = raw.split(separator: UInt8(ascii: "/"))
  for (index, component) in components.enumerated() {
    path += [UInt8(ascii: "/")] + component
    let cPath = path.map { CChar(bitPattern: $0) } + [0]
    if index < components.count - 1 {
      guard mkdir(cPath, 0o755) == 0 || errno == EEXIST else { throw CocoaError(.fileWriteUnknown) }
    } else {
      let descriptor = open(cPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
      defer { close(descriptor) }
      guard write(descriptor, "raw\n", 4) == 4 else { throw CocoaError(.fileWriteUnknown) }
    }
  }
}
