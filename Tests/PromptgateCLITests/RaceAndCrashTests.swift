import Foundation
import TestSupport
import Testing

/// SPEC §7 under stress: a release and a rollback racing for one environment, processes killed
/// with SIGKILL anywhere in `release` and `rollback`, and the stale lock a crash leaves.
@Suite struct RaceAndCrashTests {
  /// staging runs v2 (v1 before it); v3, approved for staging, waits to be released.
  final class Stage: @unchecked Sendable {
    let fixture: ApprovalFixture
    let v3: String

    init() throws {
      fixture = try ApprovalFixture()
      for (name, checkpoint) in [("alice", "prompt-review"), ("carol", "compliance-review")] {
        #expect(try fixture.approve(name, checkpoint, env: "staging", release: fixture.base).status == 0)
      }
      #expect(try CLI.run(["-C", fixture.path, "release", fixture.base, "--env", "staging"]).status == 0)
      #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
      #expect(try CLI.run(["-C", fixture.path, "release", fixture.head, "--env", "staging"]).status == 0)
      try fixture.repository.bumpPrompt(to: "1.2.0", line: "Be brief, kind and exact.")
      v3 = try fixture.repository.commit("v3")
      #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: v3).status == 0)
    }

    /// A copy of the repository to spoil: every round starts from the same state.
    func copy(_ name: String) throws -> String {
      let folder = try makeTemporaryFolder(prefix: "promptgate-race") + "/" + name
      #expect(try run("/bin/cp", ["-a", fixture.path, folder]).status == 0)
      ReleaseBotKeys.shared.register(fixture.key("ci"), for: folder)
      return folder
    }

    func release(in folder: String) -> [String] { ["-C", folder, "release", v3, "--env", "staging"] }
    func rollback(in folder: String) -> [String] {
      ["-C", folder, "rollback", "--env", "staging", "--reason", "errors up"]
    }
  }

  private static func git(_ folder: String, _ arguments: String...) -> String? {
    guard let result = try? run("/usr/bin/git", ["-C", folder] + arguments), result.status == 0 else {
      return nil
    }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// What the ledger says staging runs, by `status --format json` (which also repairs the mirror).
  private static func deployed(_ folder: String) throws -> String? {
    let result = try CLI.run(["-C", folder, "status", "--env", "staging", "--repair", "--format", "json"])
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let environments = json?["environments"] as? [[String: Any]]
    return (environments?.first?["deployed"] as? [String: Any])?["commit"] as? String
  }

  @Test func aReleaseAndARollbackRacingForOneEnvironment() throws {
    let stage = try Stage()
    for round in 0..<8 {
      let folder = try stage.copy("round-\(round)")
      let ledgerBefore = try #require(Self.git(folder, "rev-parse", "refs/promptgate/ledger"))
      let reflogBefore = Self.git(folder, "reflog", "refs/promptgate/environments/staging")
      let hold = try makeTemporaryFolder(prefix: "promptgate-hold")
      // Both decide on the same ledger and meet at the commit point: the race is real every round.
      let results = LockedList<(String, ProcessResult)>()
      let group = DispatchGroup()
      for (name, arguments) in [
        ("release", stage.release(in: folder)), ("rollback", stage.rollback(in: folder)),
      ] {
        group.enter()
        DispatchQueue.global().async {
          if let result = try? CLI.run(arguments, environment: ["PROMPTGATE_TEST_HOLD": "\(hold):2"]) {
            results.append((name, result))
          }
          group.leave()
        }
      }
      group.wait()
      let outcomes = results.values
      #expect(outcomes.map(\.1.status).sorted() == [0, 3], "round \(round): \(outcomes.map(\.1))")
      guard let winner = outcomes.first(where: { $0.1.status == 0 })?.0,
        let loser = outcomes.first(where: { $0.1.status == 3 })
      else { continue }
      #expect(loser.1.stderr.contains("another writer moved refs/promptgate/ledger"), "\(loser.1.stderr)")
      // Exactly one event landed, the winner's, on the ledger both decided on.
      let ledgerAfter = try #require(Self.git(folder, "rev-parse", "refs/promptgate/ledger"))
      #expect(Self.git(folder, "rev-parse", "refs/promptgate/ledger^") == ledgerBefore)
      let kind = Self.git(folder, "show", "refs/promptgate/ledger:event.json") ?? ""
      #expect(kind.contains("\"kind\":\"\(winner)\""), "round \(round)")
      #expect(ledgerAfter != ledgerBefore)
      // The environment ref is what the ledger says, moved once; the ledger verifies.
      let expected = winner == "release" ? stage.v3 : stage.fixture.base
      #expect(Self.git(folder, "rev-parse", "refs/promptgate/environments/staging") == expected)
      let reflogAfter = Self.git(folder, "reflog", "refs/promptgate/environments/staging") ?? ""
      #expect(
        reflogAfter.split(separator: "\n").count == (reflogBefore?.split(separator: "\n").count ?? 0) + 1)
      #expect(try Self.deployed(folder) == expected)
      #expect(try CLI.run(["-C", folder, "audit", "verify"]).status == 0)
    }
  }

  /// Where a round kills the process: after a delay, or at a point it announces.
  enum KillPoint {
    case after(Double)
    /// Just before the ledger's compare-and-swap: the event object is written, no ref moved.
    case beforeCommitPoint
    /// Just after it: the ledger moved, the environment ref and the clone's memory did not.
    case afterCommitPoint
  }

  /// Starts promptgate and kills it with SIGKILL at `point`.
  private static func killed(_ arguments: [String], at point: KillPoint) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    var environment = ProcessInfo.processInfo.environment
    if arguments.count > 1, let key = ReleaseBotKeys.shared.key(for: arguments[1]) {
      environment["PROMPTGATE_KEY"] = key
    }
    let hold = try makeTemporaryFolder(prefix: "promptgate-hold")
    switch point {
    case .after: break
    case .beforeCommitPoint: environment["PROMPTGATE_TEST_HOLD"] = "\(hold):2"
    case .afterCommitPoint: environment["PROMPTGATE_TEST_HOLD_AFTER"] = "\(hold):2"
    }
    process.environment = environment
    try process.run()
    if case .after(let delay) = point {
      usleep(UInt32(delay * 1_000_000))
    } else {
      let deadline = Date().addingTimeInterval(20)
      while (try? FileManager.default.contentsOfDirectory(atPath: hold).isEmpty) != false, Date() < deadline {
        usleep(1_000)
      }
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  @Test func releaseAndRollbackKilledAnywhereLeaveTheOldStateOrTheNew() throws {
    let stage = try Stage()
    // How long a whole release takes here: the kills are spread over it, and a little past.
    let timing = try stage.copy("timing")
    let started = Date()
    #expect(try CLI.run(stage.release(in: timing)).status == 0)
    let duration = Date().timeIntervalSince(started)
    var random = SystemRandomNumberGenerator()
    var outcomes: Set<Bool> = []
    for round in 0..<16 {
      let folder = try stage.copy("crash-\(round)")
      let ledgerBefore = try #require(Self.git(folder, "rev-parse", "refs/promptgate/ledger"))
      let arguments = round % 2 == 0 ? stage.release(in: folder) : stage.rollback(in: folder)
      // Most kills land in the second half, where the writing happens; one round in four at an
      // exact point around the commit.
      let delay = Double.random(in: (duration * 0.3)...(duration * 1.2), using: &random)
      let point: KillPoint =
        switch round % 8 {
        case 3: .beforeCommitPoint
        case 7: .afterCommitPoint
        default: .after(delay)
        }
      try Self.killed(arguments, at: point)
      let context = "round \(round), \(arguments[3]), killed at \(point)"

      // A crash while holding a ref lock leaves it: the next command names the file; a person
      // (here, the test) removes it after checking no promptgate runs.
      for lock in ["refs/promptgate/ledger.lock", "refs/promptgate/environments/staging.lock"]
      where FileManager.default.fileExists(atPath: "\(folder)/.git/\(lock)") {
        try FileManager.default.removeItem(atPath: "\(folder)/.git/\(lock)")
      }
      // The ledger holds the old state or exactly one new event on top of it; never half an event.
      let ledgerAfter = try #require(Self.git(folder, "rev-parse", "refs/promptgate/ledger"), "\(context)")
      outcomes.insert(ledgerAfter != ledgerBefore)
      if case .beforeCommitPoint = point { #expect(ledgerAfter == ledgerBefore, "\(context)") }
      if case .afterCommitPoint = point { #expect(ledgerAfter != ledgerBefore, "\(context)") }
      if ledgerAfter != ledgerBefore {
        #expect(Self.git(folder, "rev-parse", "refs/promptgate/ledger^") == ledgerBefore, "\(context)")
      }
      let audit = try CLI.run(["-C", folder, "audit", "verify"])
      #expect(audit.status == 0, "\(context): \(audit.stdout)\(audit.stderr)")
      // The next command brings the environment ref in line with the ledger.
      let deployed = try Self.deployed(folder)
      let expected =
        ledgerAfter == ledgerBefore ? stage.fixture.head : (round % 2 == 0 ? stage.v3 : stage.fixture.base)
      #expect(deployed == expected, "\(context)")
      #expect(Self.git(folder, "rev-parse", "refs/promptgate/environments/staging") == expected, "\(context)")
      #expect(Self.git(folder, "fsck", "--no-dangling") != nil, "\(context)")
      // And work goes on: the command can be run again to the end.
      let again = try CLI.run(arguments)
      #expect(
        again.status == 0 || (ledgerAfter != ledgerBefore && again.status == 1), "\(context): \(again.stderr)"
      )
    }
  }

  @Test func leftoversOfAKilledWriterAreRemovedByTheNext() throws {
    let stage = try Stage()
    let folder = try stage.copy("leftovers")
    // What a writer killed mid-way leaves: libgit2's object not yet in place (old), a cache file
    // of ours whose writer is gone; and what a live writer holds right now (kept).
    let stale = "\(folder)/.git/objects/tmp_object_git2_0123456789abcdef"
    let fresh = "\(folder)/.git/objects/tmp_object_git2_fedcba9876543210"
    let ours = "\(folder)/.git/promptgate/ledger-state.json.tmp-2147483000-42"
    for path in [stale, fresh, ours] {
      _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    }
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: stale)
    #expect(try CLI.run(stage.release(in: folder)).status == 0)
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(!FileManager.default.fileExists(atPath: ours))
    #expect(FileManager.default.fileExists(atPath: fresh))
  }

  @Test func aStaleLockLeftByACrashIsNamedWithWhatToDo() throws {
    let stage = try Stage()
    let folder = try stage.copy("stale")
    let ledgerBefore = Self.git(folder, "rev-parse", "refs/promptgate/ledger")
    _ = FileManager.default.createFile(atPath: "\(folder)/.git/refs/promptgate/ledger.lock", contents: Data())
    let blocked = try CLI.run(stage.release(in: folder))
    // Not "safe to retry" (3): a retry loop would never get past it; a person must look (2).
    #expect(blocked.status == 2)
    #expect(
      blocked.stderr.contains(
        "refs/promptgate/ledger is locked: \(folder)/.git/refs/promptgate/ledger.lock exists; if no other "
          + "promptgate or git command is running, a crash left it behind: delete it and run again; nothing "
          + "was written"),
      "\(blocked.stderr)")
    #expect(Self.git(folder, "rev-parse", "refs/promptgate/ledger") == ledgerBefore)
    try FileManager.default.removeItem(atPath: "\(folder)/.git/refs/promptgate/ledger.lock")

    // A stale lock on the environment ref: the release is recorded, the mirror waits, and
    // status names the file; once it is removed, the next command repairs the mirror.
    _ = FileManager.default.createFile(
      atPath: "\(folder)/.git/refs/promptgate/environments/staging.lock", contents: Data())
    let released = try CLI.run(stage.release(in: folder))
    #expect(released.status == 0, "\(released.stderr)")
    let advice =
      "\(folder)/.git/refs/promptgate/environments/staging.lock exists; if no other promptgate or git command "
      + "is running, a crash left it behind: delete it"
    #expect(released.stderr.contains(advice), "\(released.stderr)")
    let status = try CLI.run(["-C", folder, "status", "--env", "staging", "--no-color"])
    #expect(status.stdout.contains(advice), "\(status.stdout)")
    try FileManager.default.removeItem(atPath: "\(folder)/.git/refs/promptgate/environments/staging.lock")
    #expect(try Self.deployed(folder) == stage.v3)
    #expect(Self.git(folder, "rev-parse", "refs/promptgate/environments/staging") == stage.v3)
  }

  /// A writer paused between its read of the ledger and its write of the environment ref (a
  /// `status --repair` with an older view of the ledger) never moves the ref backwards over a
  /// newer move: the ref's lock comes first, the ledger is read under it, and the other writer
  /// waits for the lock and reads the newer ledger.
  @Test func aPausedMirrorWriterNeverMovesTheRefBackwards() throws {
    let stage = try Stage()
    let folder = try stage.copy("paused")
    // The mirror lags (v2 deployed, the ref still at v1), so the repair has something to write.
    #expect(Self.git(folder, "update-ref", "refs/promptgate/environments/staging", stage.fixture.base) != nil)
    let ledgerBefore = try #require(Self.git(folder, "rev-parse", "refs/promptgate/ledger"))
    let hold = try makeTemporaryFolder(prefix: "promptgate-hold")
    defer { try? FileManager.default.removeItem(atPath: hold) }
    let repair = Process()
    repair.executableURL = URL(fileURLWithPath: CLI.executable)
    repair.arguments = ["-C", folder, "status", "--env", "staging", "--repair"]
    repair.environment = ProcessInfo.processInfo.environment.merging([
      "PROMPTGATE_TEST_HOLD_MIRROR": "\(hold):2"
    ]) { _, new in new }
    repair.standardOutput = FileHandle.nullDevice
    try repair.run()
    // The repair holds the ref's lock, has read the ledger (v2) and waits before its write.
    let deadline = Date().addingTimeInterval(20)
    while (try? FileManager.default.contentsOfDirectory(atPath: hold).isEmpty) != false, Date() < deadline {
      usleep(1_000)
    }
    // Meanwhile a rollback records its event, waits for the ref's lock, and leaves the ref to
    // the repair; then the repair goes on with what it read before the rollback.
    let rollback = try CLI.run(stage.rollback(in: folder))
    #expect(rollback.stderr.contains("staging.lock exists"), "\(rollback.stderr)")
    _ = FileManager.default.createFile(atPath: "\(hold)/go", contents: nil)
    repair.waitUntilExit()
    #expect(rollback.status == 0, "\(rollback.stderr)")
    #expect(Self.git(folder, "rev-parse", "refs/promptgate/ledger^") == ledgerBefore)
    // The repair saw the ledger move while it wrote, and wrote again: the ref is where the
    // ledger says, v1, not the v2 it read first.
    #expect(Self.git(folder, "rev-parse", "refs/promptgate/environments/staging") == stage.fixture.base)
    #expect(try Self.deployed(folder) == stage.fixture.base)
    #expect(try CLI.run(["-C", folder, "audit", "verify"]).status == 0)
  }
}

/// Issue 5's bad input: each a one-line error with the fix, exit 2 (usage) or 1 (refused).
@Suite struct EnvironmentBadInputTests {
  @Test func eachBadInputGetsOneLine() throws {
    let stage = try RaceAndCrashTests.Stage()
    let path = stage.fixture.path
    let ledgerBefore = try stage.fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
    func promptgate(_ arguments: [String]) throws -> ProcessResult {
      try CLI.run(["-C", path, "--no-color"] + arguments)
    }
    let cases: [([String], Int32, String)] = [
      (["rollback", "--env", "prod", "--reason", "x"], 1, "nothing is deployed in prod"),
      (["history", "--env", "prod"], 0, "nothing recorded for prod yet"),
      (["export", "--env", "prod", "--out", path + "/../out"], 1, "nothing is deployed in prod yet"),
      (["rollback", "--env", "staging"], 2, "--reason"),
      (["rollback", "--env", "staging", "--reason", ""], 2, "--reason"),
      (
        ["rollback", "--env", "staging", "--reason", "x", "--to", stage.v3], 1,
        "was never released to staging"
      ),
      (["rollback", "--env", "staging", "--reason", "x", "--to", "nope"], 2, "nope"),
      (["mark-bad", stage.fixture.head, "--env", "staging"], 2, "--reason"),
    ]
    for (arguments, status, message) in cases {
      let result = try promptgate(arguments)
      #expect(result.status == status, "\(arguments): \(result.stdout)\(result.stderr)")
      let said = status == 0 ? result.stdout : result.stderr
      #expect(said.contains(message), "\(arguments): \(said)")
      if status != 0 {
        #expect(result.stderr.split(separator: "\n").count <= 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(arguments)")
      }
    }
    // --to a release that is bad there.
    #expect(
      try promptgate(["mark-bad", stage.fixture.base, "--env", "staging", "--reason", "leaks"]).status == 0)
    let bad = try promptgate(["rollback", "--env", "staging", "--reason", "x", "--to", stage.fixture.base])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("marked bad by #"), "\(bad.stderr)")
    // An export folder that is not empty.
    let out = try makeTemporaryFolder(prefix: "promptgate-out")
    try "mine\n".write(toFile: out + "/notes.txt", atomically: true, encoding: .utf8)
    let full = try promptgate(["export", "--env", "staging", "--out", out])
    #expect(full.status == 2)
    #expect(full.stderr.contains(out), "\(full.stderr)")
    #expect(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8) == "mine\n")
    #expect(
      try stage.fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger^") == ledgerBefore)
  }
}
