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
    #expect(blocked.stdout.contains("blocked: recorded #1 blocked: "))
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
    let first = try promptgate(fixture, ["release", fixture.base, "--env", "staging"])
    #expect(first.status == 0, "\(first.stdout)")
    #expect(first.stdout.contains("released: #4 release: "))
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

  @Test func aMirrorLeftBehindIsRepaired() throws {
    let fixture = try ApprovalFixture()
    #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: fixture.base).status == 0)
    #expect(
      try fixture.approve("carol", "compliance-review", env: "staging", release: fixture.base).status == 0)
    #expect(try promptgate(fixture, ["release", fixture.base, "--env", "staging"]).status == 0)
    // As if the process died between the ledger's commit point and the mirror update.
    try fixture.repository.scratch.git("update-ref", "-d", "refs/promptgate/environments/staging")
    let status = try promptgate(fixture, ["status", "--env", "staging"])
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
    let statuses = StatusBox()
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

private final class StatusBox: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Int32] = []
  var values: [Int32] { lock.withLock { stored } }
  func append(_ value: Int32) { lock.withLock { stored.append(value) } }
}
