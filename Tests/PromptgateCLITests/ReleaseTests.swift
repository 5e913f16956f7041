import Foundation
import TestSupport
import Testing

/// `release`, `status` and `history`: the environment moves only through gates and the ledger.
@Suite struct ReleaseTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  private func environmentRef(_ fixture: ApprovalFixture, _ name: String) -> String? {
    try? fixture.repository.scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/environments/\(name)")
  }

  @Test func releasesMoveTheEnvironmentOnlyThroughTheirGates() throws {
    let fixture = try ApprovalFixture()
    let scratch = fixture.repository.scratch

    // The first release needs its checkpoints: blocked, recorded, nothing moves.
    let blocked = try promptgate(fixture, ["release", fixture.base, "--env", "staging"])
    #expect(blocked.status == 1, "\(blocked.stdout)")
    #expect(
      blocked.stdout.contains(
        "blocked: staging did not move; the attempt is recorded as #1 in refs/promptgate/ledger"))
    #expect(environmentRef(fixture, "staging") == nil)

    // Approved, it goes in, and the mirror ref follows with a reflog entry.
    #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: fixture.base).status == 0)
    #expect(
      try fixture.approve("carol", "compliance-review", env: "staging", release: fixture.base).status == 0)
    let dryRun = try promptgate(fixture, ["release", fixture.base, "--env", "staging", "--dry-run"])
    #expect(dryRun.status == 0)
    #expect(
      dryRun.stdout.contains(
        "dry run: \(fixture.base.prefix(7)) would be released to staging; nothing was written"))
    #expect(environmentRef(fixture, "staging") == nil)
    // Who releases is the principal who signed: CI's release-bot (git's committer name counts for nothing).
    let first = try CLI.run(
      ["-C", fixture.path, "--no-color", "release", fixture.base, "--env", "staging"],
      environment: ["GIT_COMMITTER_NAME": "Mallory", "GIT_COMMITTER_EMAIL": "mallory@example.com"])
    #expect(first.status == 0, "\(first.stdout)")
    #expect(first.stdout.contains("released: #4 release: ci@example.com releases "))
    #expect(environmentRef(fixture, "staging") == fixture.base)
    #expect(
      try scratch.git("reflog", "show", "--format=%gs", "refs/promptgate/environments/staging")
        == "promptgate: release \(fixture.base.prefix(7)) (ledger #4)")

    // The next release is judged against the deployed one.
    let unapproved = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(unapproved.status == 1)
    #expect(
      unapproved.stdout.contains("against the deployed")
        || unapproved.stdout.contains("prompt-review needs 1 approval"))
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let second = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(second.status == 0, "\(second.stdout)")
    #expect(environmentRef(fixture, "staging") == fixture.head)

    // Older releases go back only through rollback; the same release again is a no-op.
    let older = try promptgate(fixture, ["release", fixture.base, "--env", "staging"])
    #expect(older.status == 1)
    #expect(
      older.stderr.contains(
        "is older than \(fixture.head.prefix(7)), deployed in staging; going back is a rollback"))
    let again = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(again.status == 0)
    #expect(again.stdout.contains("is already deployed in staging; nothing to do"))

    // status and history tell the story; the ledger verifies.
    let status = try promptgate(fixture, ["status"])
    #expect(status.stdout.contains("  deployed   \(fixture.head.prefix(7)) (#"))
    #expect(status.stdout.contains("  last good  \(fixture.head.prefix(7))"))
    let history = try promptgate(fixture, ["history", "--env", "staging"])
    let lines = history.stdout.split(separator: "\n")
    #expect(lines.count == 4, "\(history.stdout)")
    #expect(lines.first?.contains("release    \(fixture.head.prefix(7))") == true)
    #expect(lines.last?.contains("blocked    \(fixture.base.prefix(7))") == true)
    #expect(lines.last?.contains("failed: checkpoints-approved") == true)
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 0, "\(audit.stdout)")
    try scratch.git("fsck", "--strict", "--no-dangling")
  }

  /// base, then head, in staging: the usual state before a rollback.
  private func twoReleases() throws -> ApprovalFixture {
    let fixture = try ApprovalFixture()
    #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: fixture.base).status == 0)
    #expect(
      try fixture.approve("carol", "compliance-review", env: "staging", release: fixture.base).status == 0)
    #expect(try promptgate(fixture, ["release", fixture.base, "--env", "staging"]).status == 0)
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    #expect(try promptgate(fixture, ["release", fixture.head, "--env", "staging"]).status == 0)
    return fixture
  }

  @Test func rollbackDryRunSaysEverythingAndWritesNothing() throws {
    let fixture = try twoReleases()
    let ledger = try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
    let dryRun = try promptgate(
      fixture, ["rollback", "--env", "staging", "--reason", "errors", "--dry-run", "--revert-branch", "main"])
    #expect(dryRun.status == 0, "\(dryRun.stderr)")
    #expect(
      dryRun.stdout
        == """
        would skip \(fixture.head.prefix(7)): it is the release being rolled back
        dry run: staging would go back to \(fixture.base.prefix(7)) (released as #3); nothing was written
          would record a rollback event in refs/promptgate/ledger, marking \(fixture.head.prefix(7)) bad
          would move refs/promptgate/environments/staging from \(fixture.head.prefix(7)) to \(fixture.base.prefix(7))
          would add a commit on main with the content of \(fixture.base.prefix(7))
          signed by ci@example.com as release-bot

        """)
    #expect(try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger") == ledger)
    #expect(environmentRef(fixture, "staging") == fixture.head)
    // The exit codes are the rollback's: nothing to roll back to is 1, whether it is a dry run or not.
    let nothing = try promptgate(fixture, ["rollback", "--env", "production", "--reason", "x", "--dry-run"])
    #expect(nothing.status == 1)
    #expect(nothing.stderr.contains("nothing is deployed in production, so there is nothing to roll back"))
  }

  @Test func rollbackGoesBackToTheLastGoodReleaseAndTheNextReleaseAnswersIt() throws {
    let fixture = try twoReleases()
    let scratch = fixture.repository.scratch
    let mainBefore = try scratch.git("rev-parse", "main")
    let rollback = try promptgate(
      fixture,
      [
        "rollback", "--env", "staging", "--reason", "error rate 9%", "--incident", "INC-7", "--revert-branch",
        "main",
      ])
    #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
    #expect(
      rollback.stdout.contains("skipped \(fixture.head.prefix(7)): it is the release being rolled back"))
    #expect(rollback.stdout.contains("rolled back: staging now runs \(fixture.base.prefix(7))"))
    #expect(environmentRef(fixture, "staging") == fixture.base)
    // --revert-branch added a commit with the good content; history is not rewritten.
    #expect(try scratch.git("rev-parse", "main^") == mainBefore)
    #expect(
      try scratch.git("rev-parse", "main^{tree}") == (try scratch.git("rev-parse", "\(fixture.base)^{tree}")))

    // The rolled-back release cannot come back; status and history say why.
    let again = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("was rolled back by #"))
    let status = try promptgate(fixture, ["status", "--env", "staging"])
    #expect(
      status.stdout.contains("deployed   \(fixture.base.prefix(7)) (by a rollback)")
        || status.stdout.contains("deployed   \(fixture.base.prefix(7))"))
    #expect(status.stdout.contains("bad        \(fixture.head.prefix(7)): rolled back by #"))
    let history = try promptgate(fixture, ["history", "--env", "staging"])
    #expect(
      history.stdout.split(separator: "\n").first?.contains("rollback   \(fixture.base.prefix(7))") == true)
    #expect(history.stdout.contains("reason: error rate 9%"))

    // The next release must name the incident.
    // --revert-branch moved the checked-out main, and its work tree with it: the base's prompt.
    #expect(try scratch.git("status", "--porcelain").isEmpty)
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.0.0", with: "version: 1.2.0") + "Be careful.\n"
    }
    fixture.head = try scratch.commit("fix", author: GatedRepository.developer)
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let unanswered = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(unanswered.status == 1)
    #expect(unanswered.stdout.contains("staging was rolled back by #"))
    #expect(unanswered.stdout.contains("for INC-7; this release must name it: a trailer `Incident: <id>`"))
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(of: "incidents: []", with: "incidents: [INC-7]")
    }
    fixture.head = try scratch.commit("answer INC-7", author: GatedRepository.developer)
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    #expect(try fixture.approve("carol", "compliance-review", env: "staging").status == 0)
    let answered = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(answered.status == 0, "\(answered.stdout)")
    #expect(try promptgate(fixture, ["audit", "verify"]).status == 0)
  }

  @Test func revertBranchIsCheckedBeforeAnythingIsWritten() throws {
    let fixture = try twoReleases()
    let scratch = fixture.repository.scratch
    let before = try scratch.git("rev-parse", "refs/promptgate/ledger")
    let missing = try promptgate(
      fixture, ["rollback", "--env", "staging", "--reason", "x", "--revert-branch", "hotfix"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("there is no branch hotfix"), "\(missing.stderr)")
    // main is checked out with an uncommitted edit: moving it would strand the edit.
    try fixture.repository.edit("policies/safety.yaml") { $0 + "# local note\n" }
    let dirty = try promptgate(
      fixture, ["rollback", "--env", "staging", "--reason", "x", "--revert-branch", "main"])
    #expect(dirty.status == 2)
    #expect(dirty.stderr.contains("main is checked out in "), "\(dirty.stderr)")
    #expect(dirty.stderr.contains("with uncommitted changes; commit or stash them"))
    #expect(try scratch.git("rev-parse", "refs/promptgate/ledger") == before)
    #expect(environmentRef(fixture, "staging") == fixture.head)
    #expect(try scratch.git("diff", "--stat").contains("policies/safety.yaml"))
  }

  @Test func statusInAShallowCloneFailsClosedAndSaysWhatToFetch() throws {
    let fixture = try twoReleases()
    #expect(try promptgate(fixture, ["rollback", "--env", "staging", "--reason", "x"]).status == 0)
    // A CI checkout: one commit deep, and the ledger fetched beside it; the base is not there.
    let folder = try makeTemporaryFolder(prefix: "promptgate-shallow") + "/clone"
    let cloned = try run(
      "/usr/bin/git", ["clone", "-q", "--depth", "1", "file://\(fixture.path)", folder],
      environment: ["GIT_CONFIG_GLOBAL": "/dev/null"])
    #expect(cloned.status == 0, "\(cloned.stderr)")
    let shallow = ScratchRepository(existing: folder)
    try shallow.git("fetch", "-q", "origin", "+refs/promptgate/ledger:refs/promptgate/ledger")
    // Every release is judged again before anything acts on the ledger, and that needs its
    // commits: a clone without them fails closed and says what to fetch.
    let status = try CLI.run(["-C", folder, "--no-color", "status", "--env", "staging"])
    #expect(status.status == 1, "\(status.stdout)\(status.stderr)")
    #expect(status.stdout.contains("NOT verified"), "\(status.stdout)")
    #expect(status.stdout.contains("which is not in this clone, so it cannot be judged again; fetch it"))
    #expect((try? shallow.git("rev-parse", "--verify", "-q", "refs/promptgate/environments/staging")) == nil)
    try shallow.git("fetch", "-q", "--unshallow", "origin")
    let fetched = try CLI.run(["-C", folder, "--no-color", "status", "--env", "staging"])
    #expect(fetched.status == 0, "\(fetched.stdout)\(fetched.stderr)")
    #expect(fetched.stdout.contains("deployed   \(fixture.base.prefix(7))"), "\(fetched.stdout)")
  }

  @Test func exportWritesTheDeployedReleaseWithALockAndTheFallback() throws {
    let fixture = try twoReleases()
    let out = try makeTemporaryFolder(prefix: "promptgate-export") + "/out"
    let result = try promptgate(fixture, ["export", "--env", "staging", "--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("exported \(fixture.head.prefix(7)) (staging): "))
    let lock = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/release.json")))
        as? [String: Any])
    #expect((lock["release"] as? [String: String])?["commit"] == fixture.head)
    let files = try #require(lock["files"] as? [[String: Any]])
    let tracked = try fixture.repository.scratch.git("ls-tree", "-r", "--name-only", fixture.head).split(
      separator: "\n")
    #expect(files.map { $0["path"] as? String ?? "" } == tracked.map(String.init))
    for file in files {
      let path = try #require(file["path"] as? String)
      let digest = try run("/usr/bin/sha256sum", [out + "/" + path]).stdout.prefix(64)
      #expect(file["sha256"] as? String == String(digest), "\(path)")
    }
    // The runbook's fallback is a static response: it is bundled.
    #expect(FileManager.default.fileExists(atPath: out + "/fallback/static-response"))
    let again = try promptgate(fixture, ["export", "--env", "staging", "--out", out])
    #expect(again.status == 2)
    #expect(again.stderr.contains("--replace"))
    let nothing = try promptgate(fixture, ["export", "--env", "production", "--out", out + "-2"])
    #expect(nothing.status == 1)
    #expect(nothing.stderr.contains("nothing is deployed in production yet"))
  }

  @Test func nothingToRollBackToWritesNothing() throws {
    let fixture = try twoReleases()
    let marked = try promptgate(
      fixture, ["mark-bad", fixture.base, "--env", "staging", "--reason", "leaks PII"])
    #expect(marked.status == 0)
    #expect(marked.stdout.contains("mark-bad: "))
    let before = try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
    let rollback = try promptgate(fixture, ["rollback", "--env", "staging", "--reason", "down"])
    #expect(rollback.status == 1)
    #expect(
      rollback.stderr.contains("staging has no good release before \(fixture.head.prefix(7)) to roll back to")
    )
    #expect(try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger") == before)
    #expect(environmentRef(fixture, "staging") == fixture.head)
    let empty = try promptgate(fixture, ["rollback", "--env", "production", "--reason", "x"])
    #expect(empty.status == 1)
    #expect(empty.stderr.contains("nothing is deployed in production"))
  }

  @Test func aMirrorLeftBehindIsRepaired() throws {
    let fixture = try ApprovalFixture()
    #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: fixture.base).status == 0)
    #expect(
      try fixture.approve("carol", "compliance-review", env: "staging", release: fixture.base).status == 0)
    #expect(try promptgate(fixture, ["release", fixture.base, "--env", "staging"]).status == 0)
    // As if the process died between the ledger's commit point and the mirror update.
    try fixture.repository.scratch.git("update-ref", "-d", "refs/promptgate/environments/staging")
    let status = try promptgate(fixture, ["status", "--env", "staging", "--repair"])
    #expect(status.stdout.contains("was behind the ledger; brought in line"))
    #expect(environmentRef(fixture, "staging") == fixture.base)
  }

  @Test func badEnvironmentNamesAreInputErrors() throws {
    let fixture = try ApprovalFixture()
    for name in ["Production", "../x", "a b", "x.lock", "a..b"] {
      let result = try promptgate(fixture, ["release", fixture.head, "--env", name])
      #expect(result.status == 2, "\(name)")
      #expect(result.stderr.contains("is not an environment name"), "\(name)")
    }
  }

  @Test func concurrentReleasesOfOneEnvironment() throws {
    let fixture = try ApprovalFixture()
    for (name, checkpoint) in [("alice", "prompt-review"), ("carol", "compliance-review")] {
      #expect(try fixture.approve(name, checkpoint, env: "staging", release: fixture.base).status == 0)
    }
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    #expect(try fixture.approve("carol", "compliance-review", env: "staging").status == 0)
    let statuses = LockedList<Int32>()
    let group = DispatchGroup()
    for release in [fixture.base, fixture.head] {
      group.enter()
      DispatchQueue.global().async {
        let result = try? CLI.run(["-C", fixture.path, "release", release, "--env", "staging"])
        statuses.append(result?.status ?? -1)
        group.leave()
      }
    }
    group.wait()
    let results = statuses.values.sorted()
    // Either both land one after the other (head after base), or one wins and the other exits 3
    // (conflict) or 1 (it found the other's release deployed and newer): never both lost.
    #expect(results.contains(0), "\(results)")
    #expect(results.allSatisfy { [0, 1, 3].contains($0) }, "\(results)")
    let ledgerSays = try CLI.run(["-C", fixture.path, "status", "--env", "staging", "--no-color"])
    let deployed = try #require(environmentRef(fixture, "staging"))
    #expect(ledgerSays.stdout.contains("deployed   \(deployed.prefix(7))"))
    #expect(try CLI.run(["-C", fixture.path, "audit", "verify"]).status == 0)
  }
}
