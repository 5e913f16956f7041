import Foundation
import TestSupport
import Testing

/// `promptgate sync`: two clones of one bare remote, approving and releasing, syncing in turns
/// and at once. git, run on the bare repository, is the oracle that the remote's ledger only
/// ever grows.
@Suite struct SyncTests {
  /// The approval fixture pushed to a bare remote, and two clones of it.
  final class Team: @unchecked Sendable {
    let fixture: ApprovalFixture
    let bare: ScratchRepository
    let one: ScratchRepository
    let two: ScratchRepository
    /// Every id the remote's ledger has held, oldest first, as the tests saw them.
    private(set) var remoteHistory: [String] = []

    init() throws {
      fixture = try ApprovalFixture()
      bare = try ScratchRepository(bare: true)
      // Every update of the remote's refs goes in its reflog, however it was pushed: the oracle.
      try bare.git("config", "core.logAllRefUpdates", "always")
      try fixture.repository.scratch.git("push", "-q", bare.path, "main")
      one = try Self.clone(bare)
      two = try Self.clone(bare)
      for clone in [one, two] { ReleaseBotKeys.shared.register(fixture.key("ci"), for: clone.path) }
    }

    static func clone(_ bare: ScratchRepository, _ options: [String] = [], url: String? = nil) throws
      -> ScratchRepository
    {
      let folder = try makeTemporaryFolder(prefix: "promptgate-clone") + "/clone"
      let result = try run(
        "/usr/bin/git", ["clone", "-q"] + options + [url ?? bare.path, folder],
        environment: ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_ALLOW_PROTOCOL": "file"])
      guard result.status == 0 else { throw CLIFailure(result: result) }
      return ScratchRepository(existing: folder)
    }

    func promptgate(_ clone: ScratchRepository, _ arguments: [String]) throws -> ProcessResult {
      try CLI.run(["-C", clone.path, "--no-color"] + arguments)
    }

    @discardableResult
    func approve(
      _ clone: ScratchRepository, _ name: String, _ checkpoint: String, env: String = "staging",
      release: String? = nil, comment: String = ""
    ) throws -> ProcessResult {
      let result = try promptgate(
        clone,
        [
          "approve", release ?? fixture.head, "--env", env, "--checkpoint", checkpoint, "--key",
          fixture.key(name),
        ] + (comment.isEmpty ? [] : ["--comment", comment]))
      #expect(result.status == 0, "\(result.stderr)")
      return result
    }

    /// Syncs `clone` with origin and records the remote's ledger afterwards.
    @discardableResult
    func sync(_ clone: ScratchRepository, _ extra: [String] = []) throws -> ProcessResult {
      let result = try promptgate(clone, ["sync"] + extra)
      try record()
      return result
    }

    /// Notes the remote's ledger id when it changed.
    func record() throws {
      guard let id = ledger(bare), id != remoteHistory.last else { return }
      remoteHistory.append(id)
    }

    func ledger(_ repository: ScratchRepository) -> String? {
      try? repository.git("rev-parse", "--verify", "-q", "refs/promptgate/ledger")
    }

    func reference(_ repository: ScratchRepository, _ name: String) -> String? {
      try? repository.git("rev-parse", "--verify", "-q", name)
    }

    /// The events of a clone's ledger, oldest first, without their numbers.
    func events(_ repository: ScratchRepository) throws -> [String] {
      try repository.git("log", "--reverse", "--format=%s", "refs/promptgate/ledger").split(separator: "\n")
        .map {
          String($0.drop { $0 != " " }.dropFirst())
        }
    }

    /// The remote's ledger was never rewritten: each id it held (as the tests saw them, and as
    /// its reflog lists them) descends from the one before, and the repository is sound.
    func checkRemoteNeverRewritten() throws {
      let reflog = try bare.git("reflog", "show", "--format=%H", "refs/promptgate/ledger").split(
        separator: "\n"
      )
      .map(String.init).reversed()
      #expect(reflog.count >= remoteHistory.count)
      for history in [remoteHistory, Array(reflog)] {
        for (older, newer) in zip(history, history.dropFirst()) {
          let ancestor = try run(
            "/usr/bin/git", ["-C", bare.path, "merge-base", "--is-ancestor", older, newer])
          #expect(ancestor.status == 0, "\(newer) does not descend from \(older)")
        }
      }
      if let last = remoteHistory.last {
        #expect(
          try bare.git("rev-list", "--count", "refs/promptgate/ledger")
            == "\(try bare.git("rev-list", "--count", last))")
      }
      try bare.git("fsck", "--strict", "--no-dangling")
    }

    func verify(_ clone: ScratchRepository) throws {
      let audit = try promptgate(clone, ["audit", "verify"])
      #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
    }
  }

  @Test func approvalsInBothClonesReachBoth() throws {
    let team = try Team()
    try team.approve(team.one, "alice", "prompt-review")
    try team.approve(team.two, "carol", "compliance-review")

    let first = try team.sync(team.one)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("origin has no ledger yet"))
    #expect(first.stdout.contains("pushed origin refs/promptgate/ledger: (new).."))
    #expect(team.ledger(team.bare) == team.ledger(team.one))

    let second = try team.sync(team.two)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout.contains("1 new event"))
    #expect(second.stdout.contains("replayed 1 event onto it:"))
    #expect(second.stdout.contains("#2 approval: carol@example.com approves compliance-review for"))
    #expect(second.stdout.contains("(was #1)"))

    let third = try team.sync(team.one, ["--format", "json"])
    #expect(third.status == 0, "\(third.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(third.stdout.utf8)) as? [String: Any])
    #expect(report["outcome"] as? String == "fetched")
    #expect(report["tracking"] as? String == "refs/promptgate/remotes/origin/ledger")
    #expect((report["fetched"] as? [String: Any])?["new_events"] as? Int == 1)

    // Both clones and the remote hold one ledger with both approvals, once each, in order.
    #expect(team.ledger(team.one) == team.ledger(team.bare))
    #expect(team.ledger(team.two) == team.ledger(team.bare))
    #expect(team.reference(team.one, "refs/promptgate/remotes/origin/ledger") == team.ledger(team.bare))
    let events = try team.events(team.bare)
    #expect(events.count == 2)
    #expect(events[0].hasPrefix("approval: alice@example.com approves prompt-review"))
    #expect(events[1].hasPrefix("approval: carol@example.com approves compliance-review"))
    // The replayed approval still counts: its signature covers the statement, not the number.
    for clone in [team.one, team.two] {
      try team.verify(clone)
      let approvals = try team.promptgate(
        clone, ["approvals", team.fixture.head, "--env", "staging", "--base", team.fixture.base])
      #expect(approvals.stdout.contains("alice@example.com"), "\(approvals.stdout)")
      #expect(approvals.stdout.contains("carol@example.com"), "\(approvals.stdout)")
    }
    // Nothing to do is said so.
    let again = try team.sync(team.two)
    #expect(again.status == 0)
    #expect(again.stdout.contains("up to date: refs/promptgate/ledger is "))
    try team.checkRemoteNeverRewritten()
  }

  @Test func concurrentSyncsLandEveryEventExactlyOnce() throws {
    let team = try Team()
    let rounds = 4
    var expected: [String] = []
    for round in 0..<rounds {
      // Each clone records events of its own, then both sync at the same moment.
      try team.approve(team.one, "alice", "prompt-review", comment: "one \(round)")
      try team.approve(team.two, "carol", "compliance-review", comment: "two \(round)")
      try team.approve(team.two, "sam", "service-signoff", env: "production", comment: "two \(round)")
      expected += ["one \(round)", "two \(round)", "two \(round)"]
      var pending = [team.one, team.two]
      var attempts = 0
      while !pending.isEmpty {
        attempts += 1
        #expect(attempts <= 10, "sync kept failing")
        if attempts > 10 { break }
        let statuses = LockedList<(Int, ProcessResult)>()
        let current = pending
        DispatchQueue.concurrentPerform(iterations: current.count) { index in
          if let result = try? team.promptgate(current[index], ["sync"]) { statuses.append((index, result)) }
        }
        try team.record()
        var failed: [ScratchRepository] = []
        for (index, result) in statuses.values.sorted(by: { $0.0 < $1.0 }) {
          #expect([0, 3].contains(result.status), "\(result.stderr)")
          if result.status == 3 {
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(
              result.stderr.contains("safe to run sync again") || result.stderr.contains("run sync again"))
          }
          if result.status != 0 { failed.append(pending[index]) }
        }
        pending = failed
      }
    }
    // A last round in turns brings both to the remote's head.
    try team.sync(team.one)
    try team.sync(team.two)
    #expect(team.ledger(team.one) == team.ledger(team.bare))
    #expect(team.ledger(team.two) == team.ledger(team.bare))
    let events = try team.events(team.bare)
    #expect(events.count == expected.count)
    let ids = try team.bare.git("log", "--format=%H", "refs/promptgate/ledger").split(separator: "\n")
    let contents = try ids.map { try team.bare.git("show", "\($0):event.json") }
    for comment in Set(expected) {
      let count = contents.filter { $0.contains("\"comment\":\"\(comment)\"") }.count
      #expect(count == expected.filter { $0 == comment }.count, "\(comment) landed \(count) times")
    }
    try team.verify(team.one)
    try team.verify(team.two)
    try team.checkRemoteNeverRewritten()
  }

  /// Both clones have base released to staging (synced), then each gets its approvals in.
  private func releasedTeam() throws -> Team {
    let team = try Team()
    try team.approve(team.one, "alice", "prompt-review", release: team.fixture.base)
    try team.approve(team.one, "carol", "compliance-review", release: team.fixture.base)
    let release = try team.promptgate(team.one, ["release", team.fixture.base, "--env", "staging"])
    #expect(release.status == 0, "\(release.stdout)\(release.stderr)")
    #expect(try team.sync(team.one).status == 0)
    let adopt = try team.sync(team.two)
    #expect(adopt.status == 0, "\(adopt.stderr)")
    #expect(team.reference(team.two, "refs/promptgate/environments/staging") == team.fixture.base)
    #expect(team.reference(team.bare, "refs/promptgate/environments/staging") == team.fixture.base)
    return team
  }

  /// The 3 a.m. rollback from a fresh clone: the clone has no ledger and says what to run; with
  /// `--sync origin` one command fetches, rolls back and pushes; the other clones see it.
  @Test func aFreshCloneRollsBackInOneCommandWithSync() throws {
    let team = try releasedTeam()
    try team.approve(team.one, "alice", "prompt-review")
    #expect(
      try team.promptgate(team.one, ["release", team.fixture.head, "--env", "staging", "--sync", "origin"])
        .status == 0)
    #expect(team.reference(team.bare, "refs/promptgate/environments/staging") == team.fixture.head)

    let fresh = try Team.clone(team.bare)
    let omar = ["--key", team.fixture.key("omar")]
    let lost = try team.promptgate(fresh, ["rollback", "--env", "staging", "--reason", "errors"] + omar)
    #expect(lost.status == 1)
    #expect(
      lost.stderr.contains(
        "this clone has no refs/promptgate/ledger, so there is nothing to roll back: a clone fetches branches and "
          + "tags, not refs/promptgate/*; run promptgate sync --remote origin first (or add --sync origin)"),
      "\(lost.stderr)")
    let rolled = try team.promptgate(
      fresh, ["rollback", "--env", "staging", "--reason", "errors", "--sync", "origin"] + omar)
    #expect(rolled.status == 0, "\(rolled.stderr)")
    #expect(rolled.stdout.contains("rolled back: staging now runs \(team.fixture.base.prefix(7))"))
    #expect(team.reference(team.bare, "refs/promptgate/environments/staging") == team.fixture.base)
    #expect(team.ledger(team.bare) == team.ledger(fresh))

    #expect(try team.sync(team.two).status == 0)
    #expect(team.reference(team.two, "refs/promptgate/environments/staging") == team.fixture.base)
    let history = try team.promptgate(team.two, ["history", "--env", "staging"])
    #expect(
      history.stdout.contains("rollback   \(team.fixture.base.prefix(7))  omar@example.com"),
      "\(history.stdout)")
    try team.verify(team.two)
    try team.checkRemoteNeverRewritten()
  }

  @Test func twoMovesOfOneEnvironmentConflictAndNothingIsWritten() throws {
    let team = try releasedTeam()
    // Clone one releases head to staging; clone two marks base bad there. Both move staging.
    try team.approve(team.one, "alice", "prompt-review")
    let release = try team.promptgate(team.one, ["release", team.fixture.head, "--env", "staging"])
    #expect(release.status == 0, "\(release.stdout)\(release.stderr)")
    try team.approve(team.two, "carol", "compliance-review", env: "production")
    let marked = try team.promptgate(
      team.two, ["mark-bad", team.fixture.base, "--env", "staging", "--reason", "leaks PII"])
    #expect(marked.status == 0, "\(marked.stderr)")

    #expect(try team.sync(team.one).status == 0)
    let remoteBefore = team.ledger(team.bare)
    let remoteStagingBefore = team.reference(team.bare, "refs/promptgate/environments/staging")
    #expect(remoteStagingBefore == team.fixture.head)
    let ledgerBefore = team.ledger(team.two)
    let stagingBefore = team.reference(team.two, "refs/promptgate/environments/staging")
    let stateFile = team.two.path + "/.git/promptgate/ledger-state.json"
    let stateBefore = try String(contentsOfFile: stateFile, encoding: .utf8)

    let conflict = try team.sync(team.two)
    #expect(conflict.status == 3)
    #expect(conflict.stderr.split(separator: "\n").count == 1, "\(conflict.stderr)")
    #expect(conflict.stderr.contains("staging moved both here and on origin since their last shared event #"))
    #expect(conflict.stderr.contains("mark-bad: "))
    #expect(conflict.stderr.contains("release: "))
    #expect(conflict.stderr.contains("\(team.fixture.head.prefix(7)) in staging"))
    #expect(conflict.stderr.contains("nothing was pushed and nothing changed here"))
    // Nothing pushed, nothing changed here.
    #expect(team.ledger(team.bare) == remoteBefore)
    #expect(team.reference(team.bare, "refs/promptgate/environments/staging") == remoteStagingBefore)
    #expect(team.ledger(team.two) == ledgerBefore)
    #expect(team.reference(team.two, "refs/promptgate/environments/staging") == stagingBefore)
    #expect(try String(contentsOfFile: stateFile, encoding: .utf8) == stateBefore)
    try team.verify(team.two)
    try team.checkRemoteNeverRewritten()
    // Until it is settled, every writing command here says it decides without origin's events.
    let warned = try team.promptgate(
      team.two,
      [
        "approve", team.fixture.head, "--env", "qa", "--checkpoint", "prompt-review", "--key",
        team.fixture.key("alice"),
      ])
    #expect(
      warned.stderr.contains(
        "origin's ledger, as last fetched, has events this clone's lacks: this is decided without them; run "
          + "promptgate sync --remote origin first, or add --sync origin"), "\(warned.stderr)")
  }

  @Test func aFirstReleaseOfAnEnvironmentConflictsWithAMoveOfAnother() throws {
    let team = try releasedTeam()
    // One moves staging on; two releases base to qa, which nobody else touched. But qa ran
    // nothing, so its release was judged against staging's: the move on the remote changes
    // that base, and promptgate cannot replay it.
    try team.approve(team.one, "alice", "prompt-review")
    #expect(try team.promptgate(team.one, ["release", team.fixture.head, "--env", "staging"]).status == 0)
    try team.approve(team.two, "alice", "prompt-review", env: "qa", release: team.fixture.base)
    try team.approve(team.two, "carol", "compliance-review", env: "qa", release: team.fixture.base)
    let qa = try team.promptgate(team.two, ["release", team.fixture.base, "--env", "qa"])
    #expect(qa.status == 0, "\(qa.stdout)\(qa.stderr)")
    #expect(try team.sync(team.one).status == 0)
    let remoteBefore = team.ledger(team.bare)

    let merged = try team.sync(team.two)
    #expect(merged.status == 3, "\(merged.stdout)\(merged.stderr)")
    #expect(merged.stderr.contains("qa moved both here and on origin"), "\(merged.stderr)")
    #expect(team.ledger(team.bare) == remoteBefore)
    try team.verify(team.one)
    try team.checkRemoteNeverRewritten()
  }

  @Test func aSingleBranchShallowCICheckoutSyncs() throws {
    let team = try releasedTeam()
    try team.approve(team.one, "alice", "prompt-review")
    #expect(try team.promptgate(team.one, ["release", team.fixture.head, "--env", "staging"]).status == 0)
    #expect(try team.sync(team.one).status == 0)
    try team.fixture.repository.scratch.git("branch", "-q", "other", team.fixture.base)
    try team.fixture.repository.scratch.git("push", "-q", team.bare.path, "other")

    let ci = try Team.clone(
      team.bare, ["--single-branch", "--branch", "main", "--depth", "1"], url: "file://" + team.bare.path)
    #expect(try ci.git("rev-parse", "--is-shallow-repository") == "true")
    #expect(team.reference(ci, "refs/remotes/origin/other") == nil)
    // One commit deep, the releases cannot be judged again: sync adopts the ledger but moves no
    // environment ref onto events it cannot verify, and says what to fetch.
    let adopt = try team.promptgate(ci, ["sync"])
    #expect(adopt.status == 1, "\(adopt.stderr)")
    #expect(adopt.stderr.contains("so no environment ref was moved"), "\(adopt.stderr)")
    #expect(adopt.stderr.contains("git fetch --unshallow"))
    #expect(team.ledger(ci) == team.ledger(team.bare))
    #expect(team.reference(ci, "refs/promptgate/environments/staging") == nil)
    try ci.git("fetch", "-q", "--unshallow", "origin")
    let fetched = try team.promptgate(ci, ["sync"])
    #expect(fetched.status == 0, "\(fetched.stderr)")
    #expect(team.reference(ci, "refs/promptgate/environments/staging") == team.fixture.head)
    try team.verify(ci)

    let again = try team.promptgate(ci, ["sync"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("up to date"))

    // A single-branch checkout with its history records an event of its own and pushes it.
    let branch = try Team.clone(team.bare, ["--single-branch", "--branch", "main"])
    #expect(try team.sync(branch).status == 0)
    try team.approve(branch, "carol", "compliance-review", env: "production")
    let push = try team.sync(branch)
    #expect(push.status == 0, "\(push.stderr)")
    #expect(push.stdout.contains("pushed origin refs/promptgate/ledger"))
    #expect(try team.sync(team.two).status == 0)
    #expect(team.ledger(team.two) == team.ledger(team.bare))
    #expect(try team.promptgate(ci, ["sync"]).status == 0)
    #expect(team.ledger(ci) == team.ledger(team.bare))
    try team.verify(ci)
    try team.checkRemoteNeverRewritten()
  }

  @Test func unknownAndUnreachableRemotesSayOneLine() throws {
    let team = try Team()
    try team.approve(team.one, "alice", "prompt-review")
    let unknown = try team.promptgate(team.one, ["sync", "--remote", "upstream"])
    #expect(unknown.status == 2)
    #expect(
      unknown.stderr
        == "promptgate: error: no remote named 'upstream' in this repository (remotes: origin); add it with "
        + "`git remote add upstream <url>`, or pass a URL or path to --remote\n")
    try team.one.git("remote", "add", "gone", "/nonexistent/promptgate/bare.git")
    try team.one.git("remote", "add", "ssh", "ssh://git@127.0.0.1:1/bare.git")
    try team.one.git("remote", "add", "https", "https://127.0.0.1:1/bare.git")
    for name in ["gone", "ssh", "https"] {
      let result = try team.promptgate(team.one, ["sync", "--remote", name])
      #expect(result.status == 2, "\(name): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
      #expect(result.stderr.hasPrefix("promptgate: error: cannot sync with \(name) ("), "\(result.stderr)")
    }
    #expect(team.ledger(team.bare) == nil)
    // A path works as well as a name.
    let byPath = try team.promptgate(team.one, ["sync", "--remote", team.bare.path])
    #expect(byPath.status == 0, "\(byPath.stderr)")
    #expect(team.ledger(team.bare) == team.ledger(team.one))
  }

  @Test func aLedgerOfAnotherGatedRepositoryIsRefused() throws {
    let team = try Team()
    try team.approve(team.one, "alice", "prompt-review")
    #expect(try team.sync(team.one).status == 0)
    let remoteBefore = team.ledger(team.bare)
    // Another gated repository (another root commit: the same files, committed anew) with
    // approvals of its own.
    let other = try ApprovalFixture()
    try other.repository.scratch.git("checkout", "-q", "--orphan", "elsewhere")
    let elsewhere = try other.repository.scratch.commit("another repository's first commit")
    #expect(try other.approve("alice", "prompt-review", release: elsewhere).status == 0)
    let ownBefore = try other.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
    let result = try CLI.run(["-C", other.path, "sync", "--remote", team.bare.path])
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("ledger belongs to another gated repository"), "\(result.stderr)")
    #expect(team.ledger(team.bare) == remoteBefore)
    #expect(try other.repository.scratch.git("rev-parse", "refs/promptgate/ledger") == ownBefore)
  }

  @Test func aRewrittenRemoteLedgerIsRefused() throws {
    let team = try Team()
    try team.approve(team.one, "alice", "prompt-review")
    try team.approve(team.one, "carol", "compliance-review")
    #expect(try team.sync(team.one).status == 0)
    // Someone force-pushes the remote's ledger back one event.
    try team.bare.git("update-ref", "refs/promptgate/ledger", "refs/promptgate/ledger^")
    let before = team.ledger(team.bare)
    let refused = try team.promptgate(team.one, ["sync"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("the remote's ledger was rewritten"), "\(refused.stderr)")
    #expect(team.ledger(team.bare) == before)
  }
}
