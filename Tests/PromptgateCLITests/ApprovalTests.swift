import Foundation
import PromptgateCore
import TestSupport
import Testing

/// Signed approvals end to end: `approve` records them, `approvals` and `check` count them by
/// the base's rules, and ssh-keygen agrees on every signature, both ways.
@Suite struct ApprovalTests {
  @Test func approvalsOpenTheGatesOfACompleteRelease() throws {
    let fixture = try ApprovalFixture()
    let check = {
      try CLI.run([
        "-C", fixture.path, "check", fixture.head, "--base", fixture.base, "--env", "production",
        "--no-color",
      ])
    }
    let blocked = try check()
    #expect(blocked.status == 1)
    #expect(blocked.stdout.contains("prompt-review needs 1 approval by prompt-owner and has 0"))
    #expect(blocked.stdout.contains("service-signoff needs 1 approval by service-manager and has 0"))

    let alice = try fixture.approve("alice", "prompt-review", ["--comment", "reads well"])
    #expect(alice.status == 0, "\(alice.stderr)")
    #expect(
      alice.stdout.hasPrefix(
        "recorded #1 approval: alice@example.com approves prompt-review for \(fixture.head.prefix(7)) in production"
      ))
    #expect(try fixture.approve("sam", "service-signoff").status == 0)

    let approvals = try fixture.approvals()
    #expect(approvals.status == 0, "\(approvals.stdout)")
    #expect(approvals.stdout.contains("✓ prompt-review (prompt-owner, needs 1): 1 valid, approved"))
    #expect(approvals.stdout.contains("#1 alice@example.com approves at "))
    #expect(
      approvals.stdout.contains(
        "– compliance-review (compliance-reviewer, needs 1): not needed, the change touches none of its paths"
      ))
    let passed = try check()
    #expect(passed.status == 0, "\(passed.stdout)")
    #expect(passed.stdout.contains("✓  checkpoints-approved"))

    // The ledger reads as an audit trail with plain git, and git finds nothing wrong.
    let log = try fixture.repository.scratch.git("log", "--format=%an|%s", "refs/promptgate/ledger")
    #expect(
      log == """
        sam@example.com|#2 approval: sam@example.com approves service-signoff for \(fixture.head.prefix(7)) in production
        alice@example.com|#1 approval: alice@example.com approves prompt-review for \(fixture.head.prefix(7)) in production
        """)
    try fixture.repository.scratch.git("fsck", "--strict", "--no-dangling")
  }

  @Test func sshKeygenAgreesBothWays() throws {
    let fixture = try ApprovalFixture()
    // promptgate signs; ssh-keygen verifies the statement against the same allowed_signers.
    #expect(try fixture.approve("alice", "prompt-review").status == 0)
    let byKeygen = try fixture.approve("carol", "compliance-review", ["--signer", "ssh-keygen"])
    #expect(byKeygen.status == 0)
    // ssh-keygen's "Signing data on standard input" is its business, not the user's.
    #expect(byKeygen.stderr == "", "\(byKeygen.stderr)")
    #expect(!byKeygen.stdout.contains("Signing data"))
    let scratch = fixture.repository.scratch
    let signers = try makeTemporaryFolder(prefix: "promptgate-signers") + "/allowed_signers"
    try scratch.git("show", "\(fixture.base):.promptgate/allowed_signers").write(
      toFile: signers, atomically: true, encoding: .utf8)
    for (commit, principal) in [
      ("refs/promptgate/ledger~1", "alice@example.com"), ("refs/promptgate/ledger", "carol@example.com"),
    ] {
      let event = try JSONValue(parsing: Array(try scratch.git("show", "\(commit):event.json").utf8))
      let statement = try #require(event["details"]?["statement"])
      let signature = try makeTemporaryFolder(prefix: "promptgate-sig") + "/event.sig"
      try (try scratch.git("show", "\(commit):event.sig") + "\n").write(
        toFile: signature, atomically: true, encoding: .utf8)
      let verified = try run(
        "/usr/bin/ssh-keygen",
        ["-Y", "verify", "-f", signers, "-I", principal, "-n", "promptgate", "-s", signature],
        input: statement.canonicalString)
      #expect(verified.status == 0, "ssh-keygen -Y verify: \(verified.stdout) \(verified.stderr)")
    }
    // ssh-keygen signs a statement by hand; promptgate counts it.
    let statement = try fixture.statement(by: "sam", checkpoint: "service-signoff", role: "service-manager")
    try fixture.forge(statement: statement, signature: try fixture.sshKeygenSign(statement, as: "sam"))
    let verdicts = try fixture.verdicts("service-signoff")
    #expect(verdicts.count == 1)
    #expect(verdicts.first?["counts"] as? Bool == true, "\(verdicts)")
  }

  /// Every attack is refused with the rule it broke.
  @Test func attacksAreRefusedWithTheirRule() throws {
    let fixture = try ApprovalFixture()
    let scratch = fixture.repository.scratch
    func reasons(_ checkpoint: String, env: String = "production") throws -> [String] {
      try fixture.verdicts(checkpoint, env: env).compactMap { $0["reason"] as? String }
    }

    // Replayed onto a release with different content: the event moved, the statement did not.
    let other = try fixture.statement(by: "alice", checkpoint: "prompt-review", role: "prompt-owner")
    let otherTree = try scratch.git("rev-parse", "\(fixture.base)^{tree}")
    let replayedStatement = ApprovalStatement(
      checkpoint: other.checkpoint, comment: other.comment, decision: .approve,
      environment: other.environment,
      expiresAt: other.expiresAt, principal: other.principal,
      release: LedgerEvent.Release(commit: fixture.base, tree: otherTree), repository: other.repository,
      role: other.role,
      signedAt: other.signedAt)
    try fixture.forge(
      statement: replayedStatement, signature: try fixture.sshKeygenSign(replayedStatement, as: "alice"),
      eventRelease: other.release)
    #expect(try reasons("prompt-review").contains("the ledger event does not match the statement it carries"))

    // A statement edited after signing.
    let signedComment = try fixture.sshKeygenSign(other, as: "alice")
    let edited = ApprovalStatement(
      checkpoint: other.checkpoint, comment: "edited", decision: .approve, environment: other.environment,
      expiresAt: other.expiresAt, principal: other.principal, release: other.release,
      repository: other.repository,
      role: other.role, signedAt: other.signedAt)
    try fixture.forge(statement: edited, signature: signedComment)
    #expect(
      try reasons("prompt-review").contains(
        "its signature does not verify: the statement was changed after it was signed, or forged"))

    // A wrong namespace.
    try fixture.forge(
      statement: other, signature: try fixture.sshKeygenSign(other, as: "alice", namespace: "git"))
    #expect(
      try reasons("prompt-review").contains("it is signed in the namespace git, not promptgate"))

    // An expired approval.
    let expired = try fixture.statement(
      by: "alice", checkpoint: "prompt-review", role: "prompt-owner", expires: "2020-01-01T00:00:00Z")
    try fixture.forge(statement: expired, signature: try fixture.sshKeygenSign(expired, as: "alice"))
    #expect(try reasons("prompt-review").contains("it expired at 2020-01-01T00:00:00Z"))

    // Another environment.
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    #expect(try reasons("prompt-review").contains("it is for the environment staging, not production"))

    // Mallory: a key the base does not list. Dave: listed, but holds no role in the base.
    let mallory = try fixture.statement(by: "mallory", checkpoint: "prompt-review", role: "prompt-owner")
    try fixture.forge(statement: mallory, signature: try fixture.sshKeygenSign(mallory, as: "mallory"))
    #expect(
      try reasons("prompt-review").contains {
        $0.contains("mallory@example.com") && $0.contains("base's .promptgate/allowed_signers")
      })
    #expect(try fixture.approve("dave", "prompt-review").status == 0)
    #expect(
      try reasons("prompt-review").contains(
        "dave@example.com does not hold the role prompt-owner in the base's runbook"))

    #expect(try fixture.verdicts("prompt-review").allSatisfy { $0["counts"] as? Bool == false })
  }

  @Test func aReleaseCannotListItsOwnKeysOrGrantItsOwnRoles() throws {
    let fixture = try ApprovalFixture()
    let scratch = fixture.repository.scratch
    // The head lists mallory's key and makes mallory and dave prompt owners.
    let malloryLine = try fixture.signerLine("mallory")
    try fixture.repository.edit(".promptgate/allowed_signers") { $0 + malloryLine }
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "prompt-owner: [alice@example.com]",
        with: "prompt-owner: [alice@example.com, mallory@example.com, dave@example.com]")
    }
    fixture.head = try scratch.commit("let me approve myself", author: "Mallory <mallory@example.com>")
    #expect(
      try fixture.approve("mallory", "prompt-review").status == 0,
      "approve reads the release's keys to name you")
    #expect(try fixture.approve("dave", "prompt-review").status == 0)
    let reasons = try fixture.verdicts("prompt-review").compactMap { $0["reason"] as? String }
    #expect(reasons.contains { $0.contains("is not listed for mallory@example.com") }, "\(reasons)")
    #expect(reasons.contains("dave@example.com does not hold the role prompt-owner in the base's runbook"))
    let check = try CLI.run([
      "-C", fixture.path, "check", fixture.head, "--base", fixture.base, "--env", "staging", "--no-color",
    ])
    #expect(check.status == 1)
    #expect(check.stdout.contains("✗  governance-changes"))
  }

  @Test func separationOfDutiesRevokedKeysAndOneVoiceEach() throws {
    let fixture = try ApprovalFixture()
    let scratch = fixture.repository.scratch
    // Alice edits the prompt herself: she cannot approve her own change.
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.1.0", with: "version: 1.2.0") + "Be exact.\n"
    }
    fixture.head = try scratch.commit("my own change", author: "Alice Prompt <alice@example.com>")
    #expect(try fixture.approve("alice", "prompt-review").status == 0)
    let own = try fixture.verdicts("prompt-review").compactMap { $0["reason"] as? String }
    #expect(
      own.contains {
        $0.hasPrefix("alice@example.com authored or committed") && $0.hasSuffix("(separation of duties)")
      },
      "\(own)")

    // Carol approves compliance twice and then rejects: the rejection stands, nothing counts.
    try fixture.repository.edit("policies/safety.yaml") { $0 + "retention: 30\n" }
    fixture.head = try scratch.commit("policy", author: "Dev Eloper <dev@example.com>")
    #expect(try fixture.approve("carol", "compliance-review").status == 0)
    #expect(try fixture.approve("carol", "compliance-review").status == 0)
    var carol = try fixture.verdicts("compliance-review")
    #expect(carol.map { $0["counts"] as? Bool } == [false, true], "the same principal counts once")
    #expect((carol[0]["reason"] as? String)?.hasPrefix("superseded by the later decision #") == true)
    #expect(
      try fixture.approve("carol", "compliance-review", ["--reject", "--comment", "retention too long"])
        .status == 0)
    carol = try fixture.verdicts("compliance-review")
    #expect(carol.allSatisfy { $0["counts"] as? Bool == false })
    #expect((carol[1]["reason"] as? String)?.hasPrefix("cancelled by the later rejection #") == true)

    // One key listed under two principals (two encodings of the same key) counts once.
    let twice =
      try fixture.signerLine("sam")
      + (try fixture.signerLine("sam", principals: "samuel@example.com"))
      .replacingOccurrences(of: " ssh-ed25519 ", with: "  ssh-ed25519   ")
    try fixture.repository.edit(".promptgate/allowed_signers") { $0 + twice }
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "service-manager: [sam@example.com]",
        with: "service-manager: [sam@example.com, samuel@example.com]")
    }
    let newBase = try scratch.commit("samuel", author: "Dev Eloper <dev@example.com>")
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.2.0", with: "version: 1.3.0") + "Be kind.\n"
    }
    fixture.head = try scratch.commit("again", author: "Dev Eloper <dev@example.com>")
    #expect(try fixture.approve("sam", "service-signoff", ["--principal", "sam@example.com"]).status == 0)
    #expect(try fixture.approve("sam", "service-signoff", ["--principal", "samuel@example.com"]).status == 0)
    let result = try CLI.run(
      [
        "-C", fixture.path, "approvals", fixture.head, "--env", "production", "--base", newBase, "--format",
        "json",
      ])
    #expect(
      result.stdout.contains("already counted for sam@example.com; one key counts once"), "\(result.stdout)")

    // A revoked key no longer counts.
    let key = try String(contentsOfFile: fixture.key("sam") + ".pub", encoding: .utf8)
    try fixture.repository.scratch.write(".promptgate/revoked_keys", key)
    let revokedBase = try scratch.commit("revoke sam", author: "Dev Eloper <dev@example.com>")
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.3.0", with: "version: 1.4.0") + "Be quick.\n"
    }
    fixture.head = try scratch.commit("after revocation", author: "Dev Eloper <dev@example.com>")
    #expect(try fixture.approve("sam", "service-signoff", ["--principal", "sam@example.com"]).status == 0)
    let revoked = try CLI.run(
      [
        "-C", fixture.path, "approvals", fixture.head, "--env", "production", "--base", revokedBase,
        "--format", "json",
      ])
    #expect(revoked.stdout.contains("is revoked in .promptgate/revoked_keys"), "\(revoked.stdout)")
  }

  @Test func onePrincipalWithTwoKeysCountsOnce() throws {
    let fixture = try ApprovalFixture()
    let scratch = fixture.repository.scratch
    let laptopLine = try fixture.signerLine("alice-laptop", principals: "alice@example.com")
    try fixture.repository.edit(".promptgate/allowed_signers") { $0 + laptopLine }
    let base = try scratch.commit("alice's second key", author: "Dev Eloper <dev@example.com>")
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.1.0", with: "version: 1.2.0") + "Be exact.\n"
    }
    fixture.head = try scratch.commit("change", author: "Dev Eloper <dev@example.com>")
    #expect(try fixture.approve("alice", "prompt-review").status == 0)
    #expect(try fixture.approve("alice-laptop", "prompt-review").status == 0)
    let result = try CLI.run(
      [
        "-C", fixture.path, "approvals", fixture.head, "--env", "production", "--base", base, "--format",
        "json",
      ])
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let review = try #require(
      (report["checkpoints"] as? [[String: Any]])?.first { $0["name"] as? String == "prompt-review" })
    #expect(review["valid"] as? Int == 1, "\(result.stdout)")
    let verdicts = try #require(review["verdicts"] as? [[String: Any]])
    #expect(verdicts.map { $0["counts"] as? Bool } == [false, true])
    #expect((verdicts[0]["reason"] as? String)?.hasPrefix("superseded by the later decision #2") == true)
  }

  @Test func anotherRepositorysApprovalDoesNotCount() throws {
    let fixture = try ApprovalFixture()
    // The same files committed afresh: same content, another root commit.
    let twin = try ScratchRepository()
    try run("/bin/cp", ["-R", fixture.path + "/.", twin.path])
    try twin.git("checkout", "-q", "--orphan", "twin")
    let twinHead = try twin.commit("same content, other history")
    #expect(
      try twin.git("rev-parse", "HEAD^{tree}")
        == (try fixture.repository.scratch.git("rev-parse", "\(fixture.head)^{tree}")))
    let approved = try CLI.run(
      [
        "-C", twin.path, "approve", twinHead, "--env", "production", "--checkpoint", "prompt-review", "--key",
        fixture.key("alice"),
      ])
    #expect(approved.status == 0, "\(approved.stderr)")
    // Bring the twin's approval event into this repository's ledger, byte for byte.
    let event = try JSONValue(parsing: Array(try twin.git("show", "refs/promptgate/ledger:event.json").utf8))
    let statement = try ApprovalStatement(json: try #require(event["details"]?["statement"]))
    try fixture.forge(
      statement: statement, signature: try twin.git("show", "refs/promptgate/ledger:event.sig") + "\n")
    let reasons = try fixture.verdicts("prompt-review").compactMap { $0["reason"] as? String }
    #expect(reasons.contains { $0.hasPrefix("it is for another repository (root commit ") }, "\(reasons)")
  }

  @Test func approveExplainsBadInput() throws {
    let fixture = try ApprovalFixture()
    let unknown = try fixture.approve("alice", "promt-review")
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no checkpoint `promt-review`"))
    #expect(unknown.stderr.contains("did you mean `prompt-review`?"))
    let unlisted = try fixture.approve("mallory", "prompt-review")
    #expect(unlisted.status == 2)
    #expect(unlisted.stderr.contains("is not listed in .promptgate/allowed_signers"))
    let encrypted = fixture.keys + "/locked"
    try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret", "-f", encrypted])
    let locked = try CLI.run(
      [
        "-C", fixture.path, "approve", fixture.head, "--env", "production", "--checkpoint", "prompt-review",
        "--key", encrypted,
      ])
    #expect(locked.status == 2)
    #expect(locked.stderr.contains("--signer ssh-keygen"), "\(locked.stderr)")
    let badExpiry = try fixture.approve("alice", "prompt-review", ["--expires", "someday"])
    #expect(badExpiry.status == 2)
    #expect(badExpiry.stderr.contains("--expires someday is neither a date"))
  }

  @Test func eightApprovalsAtOnceAllLand() throws {
    let fixture = try ApprovalFixture()
    let group = DispatchGroup()
    let results = LockedList<Int32>()
    for index in 0..<8 {
      group.enter()
      DispatchQueue.global().async {
        let name = ["alice", "carol", "sam", "dave"][index % 4]
        let checkpoint = ["prompt-review", "compliance-review", "service-signoff", "prompt-review"][index % 4]
        let result = try? fixture.approve(name, checkpoint, ["--comment", "run \(index)"])
        results.append(result?.status ?? -1)
        group.leave()
      }
    }
    group.wait()
    #expect(results.values == Array(repeating: 0, count: 8))
    let scratch = fixture.repository.scratch
    #expect(try scratch.git("rev-list", "--count", "refs/promptgate/ledger") == "8")
    let audit = try CLI.run(["-C", fixture.path, "audit", "verify", "--no-color"])
    #expect(audit.status == 0, "\(audit.stdout)")
    #expect(audit.stdout.contains("verified: 8 events, 8 signed"))
  }
}
