import Foundation
import TestSupport
import Testing

/// `release --override`: break-glass past failed gates, signed by an override role the base
/// names, recorded as a compliance exception, and refused to everyone else.
@Suite struct OverrideTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  private func ledgerHead(_ fixture: ApprovalFixture) throws -> String {
    try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
  }

  private func environmentRef(_ fixture: ApprovalFixture, _ name: String) -> String? {
    try? fixture.repository.scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/environments/\(name)")
  }

  /// base released to staging; head changes a prompt and has no approvals, so its gates fail.
  private func baseInStaging() throws -> ApprovalFixture {
    let fixture = try ApprovalFixture()
    #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: fixture.base).status == 0)
    #expect(
      try fixture.approve("carol", "compliance-review", env: "staging", release: fixture.base).status == 0)
    #expect(try promptgate(fixture, ["release", fixture.base, "--env", "staging"]).status == 0)
    return fixture
  }

  private func override(_ fixture: ApprovalFixture, as name: String, _ extra: [String] = []) throws
    -> ProcessResult
  {
    try promptgate(
      fixture,
      [
        "release", fixture.head, "--env", "staging", "--override", "--reason", "outage: hotfix now", "--key",
        fixture.key(name),
      ] + extra)
  }

  @Test func theServiceManagerOverridesFailedGatesAndTheSignatureVerifiesWithSSHKeygen() throws {
    let fixture = try baseInStaging()
    let scratch = fixture.repository.scratch

    let dryRun = try override(fixture, as: "sam", ["--dry-run"])
    #expect(dryRun.status == 0, "\(dryRun.stdout)\(dryRun.stderr)")
    #expect(dryRun.stdout.contains("would be released to staging by override; nothing was written"))
    #expect(environmentRef(fixture, "staging") == fixture.base)

    let result = try override(fixture, as: "sam")
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("overridden: #4 override: sam@example.com overrides the gates for"))
    #expect(result.stdout.contains("recorded as a compliance exception"))
    #expect(environmentRef(fixture, "staging") == fixture.head)

    // The event names what was overridden and why, and carries sam's signed statement.
    let event = try #require(
      try JSONSerialization.jsonObject(
        with: Data(scratch.git("show", "refs/promptgate/ledger:event.json").utf8))
        as? [String: Any])
    #expect(event["kind"] as? String == "override")
    let details = try #require(event["details"] as? [String: Any])
    #expect(details["failed"] as? [String] == ["checkpoints-approved"])
    let statement = try #require(details["statement"] as? [String: Any])
    #expect(statement["reason"] as? String == "outage: hotfix now")
    #expect(statement["role"] as? String == "service-manager")

    // ssh-keygen verifies sam's signature over the canonical statement in the override namespace.
    let folder = try makeTemporaryFolder(prefix: "promptgate-override")
    let statementJSON = try JSONSerialization.data(
      withJSONObject: statement, options: [.sortedKeys, .withoutEscapingSlashes])
    try statementJSON.write(to: URL(fileURLWithPath: folder + "/statement.json"))
    try scratch.git("show", "refs/promptgate/ledger:event.sig").appending("\n").write(
      toFile: folder + "/event.sig", atomically: true, encoding: .utf8)
    try scratch.git("show", "\(fixture.base):.promptgate/allowed_signers").appending("\n").write(
      toFile: folder + "/allowed_signers", atomically: true, encoding: .utf8)
    let verify = try run(
      "/bin/sh",
      [
        "-c",
        "ssh-keygen -Y verify -f allowed_signers -I sam@example.com -n promptgate -s event.sig "
          + "< statement.json",
      ], in: folder)
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

    // The override counts as a deployment: status and history show it; the ledger verifies.
    let history = try promptgate(fixture, ["history", "--env", "staging"])
    #expect(history.stdout.split(separator: "\n").first?.contains("override") == true, "\(history.stdout)")
    #expect(history.stdout.contains("reason: outage: hotfix now"))
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
    try scratch.git("fsck", "--strict", "--no-dangling")
  }

  @Test func nobodyElseMayOverride() throws {
    let fixture = try baseInStaging()
    let before = try ledgerHead(fixture)

    let alice = try override(fixture, as: "alice")
    #expect(alice.status == 1)
    #expect(
      alice.stderr.contains(
        "alice@example.com holds none of the roles that may sign an override in staging (service-manager)"))
    let mallory = try override(fixture, as: "mallory")
    #expect(mallory.status == 1)
    #expect(
      mallory.stderr.contains("is not listed in .promptgate/allowed_signers of \(fixture.base.prefix(7))"))
    // Naming yourself does not help: the key must be listed for that principal.
    let impostor = try override(fixture, as: "mallory", ["--principal", "sam@example.com"])
    #expect(impostor.status == 1)
    #expect(impostor.stderr.contains("is not listed for sam@example.com"))
    #expect(try ledgerHead(fixture) == before)
    #expect(environmentRef(fixture, "staging") == fixture.base)
  }

  @Test func aReleaseCannotGrantItselfTheOverride() throws {
    let fixture = try baseInStaging()
    let scratch = fixture.repository.scratch
    // dave adds himself to the override role and his key to the override namespace in the head.
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "service-manager: [sam@example.com]", with: "service-manager: [sam@example.com, dave@example.com]"
      )
    }
    try fixture.repository.edit(".promptgate/allowed_signers") {
      $0.replacingOccurrences(
        of: "dave@example.com namespaces=\"promptgate-approval\"",
        with: "dave@example.com namespaces=\"promptgate-approval,promptgate-override\"")
    }
    fixture.head = try scratch.commit("dave may override", author: GatedRepository.developer)
    let before = try ledgerHead(fixture)
    let dave = try override(fixture, as: "dave")
    #expect(dave.status == 1)
    #expect(
      dave.stderr.contains(
        "dave@example.com holds none of the roles that may sign an override in staging (service-manager) in "
          + "runbook.yaml of \(fixture.base.prefix(7))"
      ))
    #expect(try ledgerHead(fixture) == before)
  }

  @Test func overrideIsForFailedGatesOnlyAndNeedsAReasonAndAKey() throws {
    let fixture = try baseInStaging()
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let before = try ledgerHead(fixture)
    let passing = try override(fixture, as: "sam")
    #expect(passing.status == 2)
    #expect(passing.stderr.contains("passes its gates; release it without --override"))
    let noReason = try promptgate(
      fixture, ["release", fixture.head, "--env", "staging", "--override", "--key", fixture.key("sam")])
    #expect(noReason.status == 2)
    #expect(noReason.stderr.contains("--override needs --reason"))
    let noKey = try CLI.run(
      ["-C", fixture.path, "release", fixture.head, "--env", "staging", "--override", "--reason", "x"],
      environment: ["PROMPTGATE_KEY": ""])
    #expect(noKey.status == 2)
    #expect(noKey.stderr.contains("an override is signed: give --key <file>"))
    let stray = try promptgate(fixture, ["release", fixture.head, "--env", "staging", "--reason", "x"])
    #expect(stray.status == 2)
    #expect(stray.stderr.contains("--reason goes with --override"))
    #expect(try ledgerHead(fixture) == before)
  }

  @Test func aMarkedBadReleaseComesBackOnlyByOverride() throws {
    let fixture = try baseInStaging()
    #expect(
      try promptgate(fixture, ["mark-bad", fixture.head, "--env", "staging", "--reason", "leaks PII"]).status
        == 0)
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let plain = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(plain.status == 1)
    #expect(plain.stderr.contains("was marked bad by #"))
    let forced = try override(fixture, as: "sam")
    #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
    let event = try fixture.repository.scratch.git("show", "refs/promptgate/ledger:event.json")
    #expect(event.contains("\"overrides\":[\"quarantine\"]"))
    #expect(environmentRef(fixture, "staging") == fixture.head)
    #expect(try promptgate(fixture, ["audit", "verify"]).status == 0)
  }
}
