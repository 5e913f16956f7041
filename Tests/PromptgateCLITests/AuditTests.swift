import Foundation
import PromptgateCore
import TestSupport
import Testing

/// `audit verify` finds every way the ledger can be rewritten, and names the event.
@Suite struct AuditTests {
  /// A ledger of five approvals, seen (and so remembered) by promptgate.
  private func ledger() throws -> ApprovalFixture {
    let fixture = try ApprovalFixture()
    for (name, checkpoint) in [
      ("alice", "prompt-review"), ("carol", "compliance-review"), ("sam", "service-signoff"),
      ("dave", "prompt-review"),
      ("alice", "prompt-review"),
    ] {
      let result = try fixture.approve(name, checkpoint)
      guard result.status == 0 else { throw CLIFailure(result: result) }
    }
    return fixture
  }

  private struct StoredEvent {
    var event: JSONValue
    var signature: String?
  }

  /// The events as stored, oldest first.
  private func events(_ fixture: ApprovalFixture) throws -> [StoredEvent] {
    let scratch = fixture.repository.scratch
    let commits = try scratch.git("rev-list", "--reverse", "refs/promptgate/ledger").split(separator: "\n")
    return try commits.map { commit in
      StoredEvent(
        event: try JSONValue(parsing: Array(try scratch.git("show", "\(commit):event.json").utf8)),
        signature: try scratch.git("show", "\(commit):event.sig") + "\n")
    }
  }

  /// Writes `events` as a chain with git's plumbing, keeping the commits of the unchanged
  /// first events, and force-moves the ledger to it, as someone with push rights could.
  @discardableResult
  private func rewrite(_ fixture: ApprovalFixture, _ events: [StoredEvent]) throws -> String {
    let original = try self.events(fixture)
    let commits = try fixture.repository.scratch.git("rev-list", "--reverse", "refs/promptgate/ledger")
      .split(separator: "\n").map(String.init)
    var kept = 0
    while kept < min(events.count, original.count), events[kept].event == original[kept].event,
      events[kept].signature == original[kept].signature
    {
      kept += 1
    }
    var parent: String? = kept > 0 ? commits[kept - 1] : nil
    for stored in events.dropFirst(kept) {
      let event = try LedgerEvent(json: stored.event)
      let path = fixture.path
      func blob(_ text: String) throws -> String {
        try run("/usr/bin/git", ["-C", path, "hash-object", "-w", "--stdin"], input: text).stdout
          .trimmingCharacters(in: .whitespacesAndNewlines)
      }
      var listing = "100644 blob \(try blob(stored.event.canonicalString))\tevent.json\n"
      if let signature = stored.signature { listing += "100644 blob \(try blob(signature))\tevent.sig\n" }
      let tree = try run("/usr/bin/git", ["-C", path, "mktree"], input: listing).stdout
        .trimmingCharacters(in: .whitespacesAndNewlines)
      parent = try fixture.repository.scratch.git(
        ["commit-tree", tree, "-m", event.summary] + (parent.map { ["-p", $0] } ?? []))
    }
    try fixture.repository.scratch.git("update-ref", "refs/promptgate/ledger", parent!)
    return parent!
  }

  private func renumbered(_ events: [StoredEvent]) -> [StoredEvent] {
    events.enumerated().map { index, stored in
      guard case .object(var members) = stored.event else { return stored }
      members["sequence"] = .integer(Int64(index + 1))
      return StoredEvent(event: .object(members), signature: stored.signature)
    }
  }

  private func verify(_ fixture: ApprovalFixture, _ extra: [String] = []) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "audit", "verify", "--no-color"] + extra)
  }

  /// Forgets what this clone saw, as a fresh clone would.
  private func forget(_ fixture: ApprovalFixture) throws {
    try? FileManager.default.removeItem(atPath: fixture.path + "/.git/promptgate")
  }

  @Test func anIntactLedgerVerifiesAndLogs() throws {
    let fixture = try ledger()
    let result = try verify(fixture)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.hasPrefix("verified: 5 events, 5 signed, head "))
    let log = try CLI.run(["-C", fixture.path, "audit", "log", "--no-color"])
    #expect(log.stdout.split(separator: "\n").count == 5)
    #expect(
      log.stdout.split(separator: "\n").first?.contains(
        "#5 approval: alice@example.com approves prompt-review") == true)
  }

  @Test func anEditedEventIsNamed() throws {
    let fixture = try ledger()
    var events = try events(fixture)
    guard case .object(var members) = events[1].event, case .object(var details)? = members["details"],
      case .object(var statement)? = details["statement"]
    else { Issue.record("unexpected event shape"); return }
    statement["comment"] = .string("approved, honest")
    details["statement"] = .object(statement)
    members["details"] = .object(details)
    events[1].event = .object(members)
    try rewrite(fixture, events)
    let remembered = try verify(fixture)
    #expect(remembered.status == 1)
    #expect(
      remembered.stdout.contains("events from #2 on were edited, removed, reordered or replaced"),
      "\(remembered.stdout)")
    try forget(fixture)
    let fresh = try verify(fixture)
    #expect(fresh.status == 1)
    #expect(fresh.stdout.contains("event #2 ("))
    #expect(fresh.stdout.contains("its signature does not verify"))
  }

  @Test func anEventEditedInPlaceInTheObjectStoreIsCaught() throws {
    // Someone with the repository's files (a server's bare repository) edits event #2's object
    // where it lies, keeping its name: no ref moves, and the chain of ids is intact. libgit2's
    // hashing of what it reads is what finds it; the ledger's commands keep it on.
    let fixture = try ledger()
    let scratch = fixture.repository.scratch
    let commit = try scratch.git("rev-list", "--reverse", "refs/promptgate/ledger").split(separator: "\n")[1]
    let blob = try scratch.git("rev-parse", "\(commit):event.json").trimmingCharacters(
      in: .whitespacesAndNewlines)
    let original = try scratch.git("show", "\(commit):event.json")
    let edited = original.replacingOccurrences(of: "\"comment\":\"\"", with: "\"comment\":\"waived\"")
    #expect(edited != original)
    let elsewhere = try ScratchRepository()
    let forged = try run(
      "/usr/bin/git", ["-C", elsewhere.path, "hash-object", "-w", "--stdin"], input: edited
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    func objectPath(_ root: String, _ id: String) -> String {
      root + "/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
    }
    let target = objectPath(fixture.path + "/.git", blob)
    #expect(FileManager.default.fileExists(atPath: target), "the event is a loose object")
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
    try FileManager.default.removeItem(atPath: target)
    try FileManager.default.copyItem(atPath: objectPath(elsewhere.path + "/.git", forged), toPath: target)
    try forget(fixture)
    let result = try verify(fixture)
    #expect(result.status != 0, "\(result.stdout)")
    #expect(result.stdout.contains("event #2 ("), "\(result.stdout)")
    #expect(result.stdout.contains("object hash mismatch"), "\(result.stdout)")
  }

  @Test func aRemovedEventIsNamed() throws {
    let fixture = try ledger()
    var events = try events(fixture)
    events.remove(at: 2)
    try rewrite(fixture, events)
    try forget(fixture)
    let result = try verify(fixture)
    #expect(result.status == 1)
    #expect(result.stdout.contains("event #3 ("), "\(result.stdout)")
    #expect(result.stdout.contains("it says #4 but is number 3 in the chain"))
  }

  @Test func aReorderedEventIsNamed() throws {
    let fixture = try ledger()
    var events = try events(fixture)
    events.swapAt(1, 2)
    try rewrite(fixture, events)
    try forget(fixture)
    let result = try verify(fixture)
    #expect(result.status == 1)
    #expect(
      result.stdout.contains("event #2 (")
        && result.stdout.contains("it says #3 but is number 2 in the chain"))
  }

  @Test func aRenumberedLedgerIsCaughtByWhatThisCloneSawOrByExpect() throws {
    let fixture = try ledger()
    let seenHead = try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
    var events = try events(fixture)
    events.remove(at: 1)
    try rewrite(fixture, renumbered(events))
    let remembered = try verify(fixture)
    #expect(remembered.status == 1)
    #expect(remembered.stdout.contains("no longer descends from \(seenHead.prefix(7))"))
    #expect(remembered.stdout.contains("events from #2 on"))
    // Other commands refuse the rewritten ledger too, naming both ids.
    let approvals = try fixture.approvals()
    // Verification failed: exit 1 (SPEC §6), nothing judged on the rewritten ledger.
    #expect(approvals.status == 1)
    #expect(approvals.stderr.contains("does not descend from \(seenHead.prefix(7))"), "\(approvals.stderr)")
    try forget(fixture)
    let expect = try verify(fixture, ["--expect", seenHead])
    #expect(expect.status == 1)
    #expect(expect.stdout.contains("the ledger no longer contains \(seenHead.prefix(7)) (--expect)"))
  }

  @Test func anInsertedUnsignedEventIsNamed() throws {
    let fixture = try ledger()
    var events = try events(fixture)
    var forged = events[0]
    forged.signature = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"
    events.insert(forged, at: 3)
    try rewrite(fixture, renumbered(events))
    try forget(fixture)
    let result = try verify(fixture)
    #expect(result.status == 1)
    #expect(result.stdout.contains("event #4 ("), "\(result.stdout)")
    #expect(result.stdout.contains("event.sig is not an SSH signature"))
  }

  @Test func statusVerifiesTheEventsAddedSinceItLastDidAndSaysWhenTheyFail() throws {
    let fixture = try ledger()
    let status = try CLI.run(["-C", fixture.path, "status", "--no-color"])
    #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
    #expect(status.stdout.contains("5 events, head "))
    #expect(status.stdout.contains(", verified"))
    // Someone appends a forged approval on top: only that event is new, and it is caught.
    var events = try events(fixture)
    var forged = events[0]
    forged.signature = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"
    events.append(forged)
    try rewrite(fixture, renumbered(events))
    let caught = try CLI.run(["-C", fixture.path, "status", "--no-color"])
    #expect(caught.status == 1)
    #expect(caught.stdout.contains("6 events, head "))
    #expect(caught.stdout.contains("NOT verified (run promptgate audit verify)"))
    #expect(caught.stdout.contains("event #6 ("), "\(caught.stdout)")
    #expect(caught.stdout.contains("event.sig is not an SSH signature"))
  }

  @Test func aDeletedAndRecreatedLedgerIsRefused() throws {
    let fixture = try ledger()
    let seen = try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
    try fixture.repository.scratch.git("update-ref", "-d", "refs/promptgate/ledger")
    let gone = try verify(fixture)
    #expect(gone.status == 1)
    #expect(
      gone.stdout.contains("refs/promptgate/ledger is gone; this clone last saw it at \(seen.prefix(7))"))
    // Writing a new ledger from scratch is refused too.
    let recreated = try fixture.approve("alice", "prompt-review")
    #expect(recreated.status == 1)
    #expect(recreated.stderr.contains("is gone, but this clone saw it at \(seen.prefix(7))"))
  }

  /// A ledger of hundreds of signed events stays clean for git and verifies whole. The first
  /// 198 are signed and appended in this process as `approve` does (200 `approve` processes in a
  /// row proved nothing more than two do, at a hundred times the cost); the last two go through
  /// the command line, on top of them.
  @Test func hundredsOfEventsStayCleanForGit() throws {
    let fixture = try ApprovalFixture()
    let repository = try RepositoryLookup.open(at: fixture.path)
    let release = try RepositoryLookup.commit(fixture.head, in: repository)
    let ledger = Ledger(repository)
    let anchor = try RepositoryAnchor.id(ledger: ledger, release: release)
    let reviewers = [
      ("alice", "prompt-review", "prompt-owner"), ("carol", "compliance-review", "compliance-reviewer"),
      ("sam", "service-signoff", "service-manager"),
    ]
    let keys = try reviewers.map { try SSHPrivateKey.load(path: fixture.key($0.0)) }
    for index in 0..<198 {
      let (name, checkpoint, role) = reviewers[index % 3]
      let now = Date()
      let statement = ApprovalStatement(
        checkpoint: checkpoint, comment: "", decision: .approve, environment: "production",
        expiresAt: Ledger.timestamp(now.addingTimeInterval(14 * 86_400)), principal: "\(name)@example.com",
        release: LedgerEvent.Release(commit: release.id.hex, tree: release.tree.hex), repository: anchor,
        role: role, signedAt: Ledger.timestamp(now))
      let signature = try SSHSignature.sign(
        statement.signedBytes, namespace: Statement.namespace, with: keys[index % 3])
      try ledger.append(independent: true, now: now) { slot in
        (
          LedgerEvent(
            kind: .approval, sequence: slot.sequence, time: slot.time, actor: "\(name)@example.com",
            environment: "production", release: statement.release, repository: anchor,
            details: LedgerEvent.Record(statement: statement).details),
          signature.armored
        )
      }
    }
    for index in 198..<200 {
      let result = try fixture.approve(reviewers[index % 3].0, reviewers[index % 3].1)
      guard result.status == 0 else { throw CLIFailure(result: result) }
    }
    let scratch = fixture.repository.scratch
    try scratch.git("fsck", "--strict", "--no-dangling")
    #expect(try scratch.git("rev-list", "--count", "refs/promptgate/ledger") == "200")
    let subjects = try scratch.git("log", "--format=%s", "refs/promptgate/ledger").split(separator: "\n")
    #expect(subjects.first?.hasPrefix("#200 approval: ") == true)
    #expect(subjects.last?.hasPrefix("#1 approval: alice@example.com approves prompt-review for ") == true)
    let result = try verify(fixture)
    #expect(result.stdout.contains("verified: 200 events, 200 signed"), "\(result.stdout)")
  }
}
