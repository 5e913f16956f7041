import Foundation
import TestSupport
import Testing

/// The whole story of issue 5 on one repository, as an operations team lives it: releases to
/// staging and production with approvals, a bad release, a rollback that skips a marked-bad
/// release and says so, a blocked release, an override, `--revert-branch`, and an export of each
/// state checked file by file against its `release.json`.
@Suite struct WholeStoryTests {
  let fixture: ApprovalFixture
  var scratch: ScratchRepository { fixture.repository.scratch }

  init() throws { fixture = try ApprovalFixture() }

  @discardableResult
  private func promptgate(_ arguments: [String], exit expected: Int32 = 0, _ comment: String = "")
    throws -> ProcessResult
  {
    let result = try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
    #expect(
      result.status == expected,
      "promptgate \(arguments.joined(separator: " ")) \(comment)\n\(result.stdout)\(result.stderr)")
    return result
  }

  /// Every reviewer signs every checkpoint of `release` in `env`.
  private func approveAll(_ release: String, _ env: String) throws {
    for (name, checkpoint) in [
      ("alice", "prompt-review"), ("carol", "compliance-review"), ("sam", "service-signoff"),
    ] {
      #expect(try fixture.approve(name, checkpoint, env: env, release: release).status == 0)
    }
  }

  private func environmentRef(_ name: String) -> String? {
    try? scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/environments/\(name)")
  }

  /// A new release: the prompt's version and text change; committed by the developer.
  private func nextRelease(_ version: String, _ message: String) throws -> String {
    try fixture.repository.edit("prompts/billing.prompty") { text in
      let current = text.split(separator: "\n").first { $0.hasPrefix("version: ") } ?? "version: 1.0.0"
      return text.replacingOccurrences(of: String(current), with: "version: \(version)") + "\(message)\n"
    }
    return try fixture.repository.commit(message)
  }

  /// Exports `env` and checks the files written against `release.json` and against git.
  private func exportMatches(_ env: String, _ commit: String, fallback: String) throws {
    let out = try makeTemporaryFolder(prefix: "promptgate-story") + "/\(env)"
    let result = try promptgate(["export", "--env", env, "--out", out])
    #expect(result.stdout.contains("exported \(commit.prefix(7)) (\(env))"))
    let lock = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/release.json")))
        as? [String: Any])
    #expect(lock["environment"] as? String == env)
    #expect((lock["release"] as? [String: String])?["commit"] == commit)
    #expect(
      (lock["release"] as? [String: String])?["tree"] == (try scratch.git("rev-parse", "\(commit)^{tree}")))
    let files = try #require(lock["files"] as? [[String: Any]])
    let tracked = try scratch.git("ls-tree", "-r", "--name-only", commit).split(separator: "\n").map(
      String.init)
    #expect(files.compactMap { $0["path"] as? String } == tracked)
    for file in files {
      let path = try #require(file["path"] as? String)
      let digest = try run("/usr/bin/sha256sum", [out + "/" + path]).stdout.prefix(64)
      #expect(file["sha256"] as? String == String(digest), "\(env): \(path)")
      // And what was written is what git holds.
      let stored = try run(
        "/bin/sh",
        ["-c", "git -C \"$0\" cat-file blob \"$1\" | sha256sum", fixture.path, "\(commit):\(path)"])
      #expect(stored.stdout.prefix(64) == digest, "\(env): \(path)")
    }
    #expect(FileManager.default.fileExists(atPath: out + "/" + fallback), "\(env): fallback \(fallback)")
  }

  @Test func releasesRollbackOverrideAndExportOnOneRepository() throws {
    let v1 = fixture.base
    let v2 = fixture.head

    // 1. v1 and v2 go to staging, then production, each with its approvals.
    for release in [v1, v2] {
      for env in ["staging", "production"] {
        try approveAll(release, env)
        let result = try promptgate(["release", release, "--env", env])
        #expect(result.stdout.contains("released: "))
        #expect(environmentRef(env) == release)
        try exportMatches(env, release, fallback: "fallback/static-response")
      }
    }

    // status shows the branch head deployed, then a new head's open checkpoints.
    #expect(try promptgate(["status", "--env", "production"]).stdout.contains("is what is deployed"))
    let v3 = try nextRelease("1.2.0", "Answer in one sentence.")
    let open = try promptgate(["status", "--env", "production"])
    #expect(open.stdout.contains("HEAD       \(v3.prefix(7)): 2 open checkpoints"), "\(open.stdout)")
    #expect(open.stdout.contains("prompt-review needs 1 approval by prompt-owner and has 0"))
    #expect(open.stdout.contains("service-signoff needs 1 approval by service-manager and has 0"))
    #expect(open.stdout.contains("verified"))

    // 2. v3 goes everywhere, and turns out bad in production; v2 is found bad too.
    for env in ["staging", "production"] {
      try approveAll(v3, env)
      try promptgate(["release", v3, "--env", env])
    }
    try exportMatches("production", v3, fallback: "fallback/static-response")
    let marked = try promptgate(["mark-bad", v2, "--env", "production", "--reason", "quotes stale prices"])
    #expect(marked.stdout.contains("mark-bad"))

    // 3. The rollback skips v3 (being rolled back) and v2 (marked bad), lands on v1, and adds a
    //    forward commit on main whose tree is v1's.
    let mainBefore = try scratch.git("rev-parse", "main")
    let rollback = try promptgate([
      "rollback", "--env", "production", "--reason", "refund answers wrong", "--incident", "INC-9",
      "--revert-branch", "main",
    ])
    #expect(rollback.stdout.contains("skipped \(v3.prefix(7)): it is the release being rolled back"))
    #expect(rollback.stdout.contains("skipped \(v2.prefix(7)): marked bad by #"), "\(rollback.stdout)")
    #expect(rollback.stdout.contains("rolled back: production now runs \(v1.prefix(7))"))
    #expect(environmentRef("production") == v1)
    #expect(environmentRef("staging") == v3)
    #expect(try scratch.git("rev-parse", "main^") == mainBefore)
    #expect(try scratch.git("rev-parse", "main^{tree}") == (try scratch.git("rev-parse", "\(v1)^{tree}")))
    try exportMatches("production", v1, fallback: "fallback/static-response")
    let again = try promptgate(["release", v3, "--env", "production"], exit: 1)
    #expect(again.stderr.contains("was rolled back by #"))

    // 4. A fix that does not name the incident and lacks approvals is blocked, and recorded.
    // main is checked out here: its work tree followed the branch, with nothing left over.
    #expect(try scratch.git("status", "--porcelain").isEmpty)
    #expect(try scratch.git("diff", "--quiet", v1, "--", ".").isEmpty)
    let v4 = try nextRelease("1.3.0", "Check the refund table first.")
    try approveAll(v4, "staging")
    try promptgate(["release", v4, "--env", "staging"])
    let blocked = try promptgate(["release", v4, "--env", "production"], exit: 1)
    #expect(blocked.stdout.contains("blocked: production did not move; the attempt is recorded as #"))
    #expect(blocked.stdout.contains("incident-follow-up"))
    #expect(environmentRef("production") == v1)

    // 5. The service manager overrides: production runs v4, counted as an exception.
    let override = try promptgate([
      "release", v4, "--env", "production", "--override", "--reason", "refunds down; INC-9 fix",
      "--key", fixture.key("sam"),
    ])
    #expect(override.stdout.contains("overridden: "))
    #expect(environmentRef("production") == v4)
    try exportMatches("production", v4, fallback: "fallback/static-response")

    // The history tells it all, newest first; the ledger verifies; git agrees.
    let history = try promptgate(["history", "--env", "production"]).stdout.split(separator: "\n")
    let kinds = history.compactMap {
      $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first
    }
    #expect(
      kinds.prefix(4).map(String.init) == ["override", "blocked", "rollback", "mark-bad"], "\(history)")
    let audit = try promptgate(["audit", "verify"])
    #expect(audit.stdout.contains("verified: "))
    try scratch.git("fsck", "--strict", "--no-dangling")
    #expect(try scratch.git("log", "--format=%s", "refs/promptgate/ledger").split(separator: "\n").count > 20)
  }
}
