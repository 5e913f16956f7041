import Foundation
import PromptgateCore
import TestSupport
import Testing

/// Issue 11: the attacks a determined insider tried (push access to the repository and to
/// refs/promptgate/*, a key of their own, the CI key's absence), each refused with its rule
/// named, through the CLI as a user would hit it. Forged events are written with git plumbing.
@Suite struct InsiderAttackTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  private func reference(_ fixture: ApprovalFixture, _ name: String) -> String? {
    try? fixture.repository.scratch.git("rev-parse", "--verify", "-q", name)
  }

  // MARK: 1. A new environment is judged by the rules of what runs elsewhere

  @Test func aNewEnvironmentIsNeverJudgedByTheChangesOwnRules() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    // Mallory's change adds her key and gives her both review roles, then she approves it.
    try fixture.repository.edit(".promptgate/allowed_signers") { $0 + (try! fixture.signerLine("mallory")) }
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "prompt-owner: [alice@example.com]", with: "prompt-owner: [mallory@example.com]"
      )
      .replacingOccurrences(
        of: "compliance-reviewer: [carol@example.com]", with: "compliance-reviewer: [mallory@example.com]")
    }
    try fixture.repository.bumpPrompt()
    fixture.head = try fixture.repository.commit("mallory reviews now")
    for checkpoint in ["prompt-review", "compliance-review"] {
      #expect(try fixture.approve("mallory", checkpoint, env: "eu-prod").status == 0)
    }
    let release = try promptgate(fixture, ["release", fixture.head, "--env", "eu-prod"])
    #expect(release.status == 1, "\(release.stdout)\(release.stderr)")
    #expect(
      release.stdout.contains(
        "judged by the rules of the base \(fixture.base.prefix(7)), the newest release of any environment (staging, #"
      ), "\(release.stdout)")
    #expect(release.stdout.contains("is not listed for mallory@example.com"), "\(release.stdout)")
    #expect(!release.stdout.contains("judged by its own rules"))
    #expect(reference(fixture, "refs/promptgate/environments/eu-prod") == nil)
  }

  @Test func aBaseWhoseRunbookCannotBeReadFailsClosed() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    try fixture.repository.scratch.write("runbook.yaml", "version: [1\n")
    let broken = try fixture.repository.commit("a broken runbook")
    try fixture.repository.scratch.write("runbook.yaml", ApprovalFixture.runbook)
    let head = try fixture.repository.commit("the runbook again")
    let check = try promptgate(fixture, ["check", head, "--base", broken, "--env", "staging"])
    #expect(check.status == 1)
    #expect(check.stderr.contains("the runbook of the base \(broken.prefix(7))"), "\(check.stderr)")
    #expect(check.stderr.contains("a release is never judged by its own rules instead, so this fails closed"))
  }

  // MARK: 2. A forged release event

  @Test func aForgedUnsignedReleaseFailsTheAuditAndMovesNothing() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let event = LedgerEvent(
      kind: .release, sequence: 0, time: Ledger.timestamp(), actor: "mallory@example.com",
      environment: "staging",
      release: LedgerEvent.Release(commit: fixture.head, tree: try fixture.tree(fixture.head)),
      repository: try fixture.rootCommit, details: ["base": .null, "gates": .array([])])
    try fixture.forge(event)
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 1)
    #expect(audit.stdout.contains("event #4"), "\(audit.stdout)")
    #expect(audit.stdout.contains("an unsigned release: every move is signed since #3"), "\(audit.stdout)")
    let status = try promptgate(fixture, ["status", "--repair"])
    #expect(status.status == 1)
    #expect(reference(fixture, "refs/promptgate/environments/staging") == fixture.base)
    let rollback = try promptgate(fixture, ["rollback", "--env", "staging", "--reason", "x"])
    #expect(rollback.status == 1)
    #expect(
      rollback.stderr.contains(
        "the ledger does not verify, so promptgate acts on none of it and nothing was written"))
  }

  @Test func aSignedReleaseStillHasToPassItsGatesAndHoldTheRole() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let release = LedgerEvent.Release(commit: fixture.head, tree: try fixture.tree(fixture.head))
    let base = LedgerEvent.Release(commit: fixture.base, tree: try fixture.tree(fixture.base))
    // dave is listed, holds no role, and the head has no approval.
    let statement = MoveStatement(
      move: .release, environment: "staging", release: release, repository: try fixture.rootCommit,
      principal: "dave@example.com", role: "release-bot", signedAt: Ledger.timestamp(), replaces: base,
      base: base, outcome: .release,
      judgedBy: .init(version: PromptgateVersion.current, gatePack: GatePack.standardDigest))
    try fixture.forge(
      LedgerEvent(
        kind: .release, sequence: 0, time: statement.signedAt, actor: "dave@example.com",
        environment: "staging",
        release: release, repository: statement.repository, details: ["statement": statement.json]),
      signature: try fixture.sshKeygenSign(statement.json.canonicalString, as: "dave"))
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 1)
    #expect(
      audit.stdout.contains(
        "its signer may not make it: dave@example.com does not hold the role release-bot"),
      "\(audit.stdout)")
    #expect(
      audit.stdout.contains("its gates fail when judged again as it was recorded: checkpoints-approved"))
  }

  // MARK: 3. An override signed by a key only the release lists

  @Test func anOverrideIsJudgedByTheBasesKeysNeverTheReleases() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    try fixture.repository.edit(".promptgate/allowed_signers") { $0 + (try! fixture.signerLine("mallory")) }
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "service-manager: [sam@example.com]", with: "service-manager: [mallory@example.com]")
    }
    fixture.head = try fixture.repository.commit("mallory may override")
    let release = LedgerEvent.Release(commit: fixture.head, tree: try fixture.tree(fixture.head))
    let statement = OverrideStatement(
      environment: "staging", overrides: ["checkpoints-approved"], principal: "mallory@example.com",
      reason: "trust me", release: release, repository: try fixture.rootCommit, role: "service-manager",
      signedAt: Ledger.timestamp())
    try fixture.forge(
      LedgerEvent(
        kind: .override, sequence: 0, time: statement.signedAt, actor: "mallory@example.com",
        environment: "staging", release: release, repository: statement.repository,
        details: [
          "statement": statement.json, "failed": .array([.string("checkpoints-approved")]),
          "base": .object(["commit": .string(fixture.base), "tree": .string(try fixture.tree(fixture.base))]),
          "replaces": .object([
            "commit": .string(fixture.base), "tree": .string(try fixture.tree(fixture.base)),
          ]),
        ]),
      signature: try fixture.sshKeygenSign(statement.json.canonicalString, as: "mallory"))
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 1)
    #expect(
      audit.stdout.contains(
        "its signer may not make it: mallory@example.com does not hold the role service-manager"),
      "\(audit.stdout)")
  }

  // MARK: 4. Time is the ledger's, not the signer's

  @Test(.withFaketime) func aClockSetAheadNeverBuysAnApprovalAndStopsNothingButItself() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let ahead = try run(
      "/usr/bin/faketime",
      [
        "-f", "2100-01-02 00:00:00", CLI.executable, "-C", fixture.path, "approve", fixture.head, "--env",
        "staging", "--checkpoint", "prompt-review", "--key", fixture.key("alice"),
      ])
    #expect(ahead.status == 0, "\(ahead.stderr)")
    let approvals = try promptgate(fixture, ["approvals", fixture.head, "--env", "staging"])
    #expect(approvals.status == 1)
    #expect(
      approvals.stdout.contains("it is recorded at 2100-01-02T00:00:00Z, later than now"),
      "\(approvals.stdout)")
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 1)
    #expect(audit.stdout.contains("it is dated 2100-01-02T00:00:00Z, in the future"), "\(audit.stdout)")
  }

  @Test func aBackdatedEventIsOutOfOrder() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    var statement = try fixture.statement(
      by: "alice", checkpoint: "prompt-review", role: "prompt-owner", env: "staging")
    statement = ApprovalStatement(
      checkpoint: statement.checkpoint, comment: "", decision: .approve, environment: "staging",
      expiresAt: statement.expiresAt, principal: statement.principal, release: statement.release,
      repository: statement.repository, role: statement.role, signedAt: "2026-01-01T00:00:00Z")
    try fixture.forge(statement: statement, signature: try fixture.sshKeygenSign(statement, as: "alice"))
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 1)
    #expect(
      audit.stdout.contains("it is dated 2026-01-01T00:00:00Z, before the event recorded ahead of it"),
      "\(audit.stdout)")
  }

  // MARK: 5. Another repository's commit and approvals

  @Test func aReleaseOfAnotherRepositoryIsRefused() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let twin = try ScratchRepository()
    try run("/bin/cp", ["-R", fixture.path + "/.", twin.path])
    try twin.git("checkout", "-q", "--orphan", "twin")
    let twinHead = try twin.commit("same content, other history")
    try fixture.repository.scratch.git("fetch", "-q", twin.path, "twin:refs/heads/twin")
    let release = try promptgate(fixture, ["release", twinHead, "--env", "staging"])
    #expect(release.status == 1)
    #expect(
      release.stderr.contains(
        "\(twinHead.prefix(7))'s history does not contain \(try fixture.rootCommit.prefix(7)), the root commit"
      ),
      "\(release.stderr)")
  }

  // MARK: 6. Separation of duties and git authorship

  @Test func withSignedCommitsTheSignerIsAnAuthorAndUnsignedCommitsBlock() throws {
    let fixture = try ApprovalFixture()
    let scratch = fixture.repository.scratch
    // Without signed commits, check says plainly what separation of duties rests on.
    let plain = try promptgate(fixture, ["check", fixture.head, "--base", fixture.base, "--env", "staging"])
    #expect(plain.stdout.contains("separation of duties rests on git authorship"))

    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(of: "  override_roles:", with: "  signed_commits: true\n  override_roles:")
    }
    try fixture.repository.edit(".promptgate/allowed_signers") {
      $0.replacingOccurrences(
        of: "alice@example.com namespaces=\"promptgate\"",
        with: "alice@example.com namespaces=\"promptgate,git\"")
    }
    let signedBase = try fixture.repository.commit("signed commits from now on")
    // A commit authored as dev but signed with alice's key: alice wrote it.
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.1.0", with: "version: 1.2.0")
    }
    try scratch.git("add", "-A")
    try scratch.git(
      "-c", "gpg.format=ssh", "-c", "gpg.ssh.program=/usr/bin/ssh-keygen", "-c",
      "user.signingkey=\(fixture.key("alice"))", "-c", "user.name=Dev Eloper",
      "-c", "user.email=dev@example.com", "commit", "-q", "-S", "-m", "signed by alice")
    fixture.head = try scratch.git("rev-parse", "HEAD")
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let signed = try promptgate(
      fixture, ["approvals", fixture.head, "--env", "staging", "--base", signedBase])
    #expect(signed.stdout.contains("alice@example.com authored or committed"), "\(signed.stdout)")
    #expect(signed.stdout.contains("(separation of duties)"))

    // An unsigned commit touching gated paths blocks the checkpoint, whatever approvals it has.
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.2.0", with: "version: 1.3.0")
    }
    fixture.head = try fixture.repository.commit("unsigned")
    let check = try promptgate(fixture, ["check", fixture.head, "--base", signedBase, "--env", "staging"])
    #expect(check.status == 1)
    #expect(
      check.stdout.contains(
        "\(fixture.head.prefix(7)) is not signed by a key of the base's allowed_signers (it is not signed)"),
      "\(check.stdout)")
  }

  // MARK: 7. approvals and check tell the same truth

  @Test func approvalsJudgesAgainstTheSameBaseAsCheck() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let approvals = try promptgate(
      fixture, ["approvals", fixture.head, "--env", "staging", "--format", "json"])
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(approvals.stdout.utf8)) as? [String: Any])
    #expect((report["base"] as? [String: Any])?["commit"] as? String == fixture.base)
    #expect(report["rules_from"] as? String == "base")
    let applying = (report["checkpoints"] as? [[String: Any]] ?? []).filter { $0["applies"] as? Bool == true }
      .compactMap { $0["name"] as? String }
    let check = try promptgate(fixture, ["check", fixture.head, "--env", "staging", "--format", "json"])
    let checked = try #require(
      try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
    #expect((checked["base"] as? [String: Any])?["commit"] as? String == fixture.base)
    #expect(applying == ["prompt-review"], "\(approvals.stdout)")
    #expect(check.stdout.contains("prompt-review needs 1 approval"))
    #expect(!check.stdout.contains("compliance-review needs"))
  }

  // MARK: 8. Only a role moves an environment

  @Test func onlyAPrincipalHoldingTheRoleMayReleaseRollBackOrMarkBad() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let before = reference(fixture, "refs/promptgate/ledger")
    let dave = ["--key", fixture.key("dave")]
    let release = try promptgate(fixture, ["release", fixture.head, "--env", "staging"] + dave)
    #expect(release.status == 1)
    #expect(
      release.stderr.contains(
        "dave@example.com holds none of the roles that may sign a release in staging (release-bot, "
          + "ai-operations-engineer)"), "\(release.stderr)")
    let rollback = try promptgate(fixture, ["rollback", "--env", "staging", "--reason", "x"] + dave)
    #expect(rollback.status == 1)
    #expect(rollback.stderr.contains("holds none of the roles that may sign a rollback in staging"))
    let markBad = try promptgate(
      fixture, ["mark-bad", fixture.base, "--env", "staging", "--reason", "x"] + dave)
    #expect(markBad.status == 1)
    let mallory = try promptgate(
      fixture, ["rollback", "--env", "staging", "--reason", "x", "--key", fixture.key("mallory")])
    #expect(mallory.status == 1)
    #expect(mallory.stderr.contains("is not listed in .promptgate/allowed_signers"), "\(mallory.stderr)")
    let unsigned = try CLI.run(
      ["-C", fixture.path, "rollback", "--env", "staging", "--reason", "x"],
      environment: ["PROMPTGATE_KEY": ""])
    #expect(unsigned.status == 2)
    #expect(unsigned.stderr.contains("a rollback is signed: give --key <file>"))
    #expect(reference(fixture, "refs/promptgate/ledger") == before)

    // The release-bot releases; omar, the rollback owner, rolls back.
    #expect(try promptgate(fixture, ["release", fixture.head, "--env", "staging"]).status == 0)
    let owner = try promptgate(
      fixture, ["rollback", "--env", "staging", "--reason", "errors", "--key", fixture.key("omar")])
    #expect(owner.status == 0, "\(owner.stderr)")
    #expect(owner.stdout.contains("rollback: omar@example.com rolls back in staging"))
    #expect(try promptgate(fixture, ["audit", "verify"]).status == 0)
  }

  // MARK: Interop: ssh-keygen verifies every move, and signs them

  @Test func sshKeygenVerifiesMovesAndSignsThem() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let scratch = fixture.repository.scratch
    // Signed through ssh-keygen -Y sign (the agent and hardware-key path).
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let released = try promptgate(
      fixture,
      [
        "release", fixture.head, "--env", "staging", "--signer", "ssh-keygen", "--key",
        fixture.key("ci") + ".pub",
      ])
    #expect(released.status == 0, "\(released.stderr)")
    let folder = try makeTemporaryFolder(prefix: "promptgate-interop")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let event = try JSONValue(
      parsing: Array(try scratch.git("show", "refs/promptgate/ledger:event.json").utf8))
    try Data(try #require(event["details"]?["statement"]).canonical).write(
      to: URL(fileURLWithPath: folder + "/statement"))
    try (try scratch.git("show", "refs/promptgate/ledger:event.sig") + "\n").write(
      toFile: folder + "/event.sig", atomically: true, encoding: .utf8)
    try (try scratch.git("show", "\(fixture.head):.promptgate/allowed_signers") + "\n").write(
      toFile: folder + "/allowed_signers", atomically: true, encoding: .utf8)
    let verified = try run(
      "/bin/sh",
      [
        "-c",
        "ssh-keygen -Y verify -f allowed_signers -I ci@example.com -n promptgate -s event.sig < statement",
      ], in: folder)
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    #expect(event["details"]?["statement"]?["kind"]?.string == "promptgate.release/v1")
  }
}

/// An upgrade of promptgate never reads as a forgery (SPEC §7).
@Suite struct UpgradeTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  @Test func approvalsSignedInTheOlderNamespaceKeepCountingForTheirKindOnly() throws {
    let fixture = try ApprovalFixture()
    try fixture.repository.edit(".promptgate/allowed_signers") {
      $0.replacingOccurrences(
        of: "alice@example.com namespaces=\"promptgate\"",
        with: "alice@example.com namespaces=\"promptgate,promptgate-approval,promptgate-override\"")
    }
    let base = try fixture.repository.commit("alice's key for the older namespaces too")
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.1.0", with: "version: 1.2.0")
    }
    fixture.head = try fixture.repository.commit("a prompt change to approve")
    let statement = try fixture.statement(
      by: "alice", checkpoint: "prompt-review", role: "prompt-owner", env: "staging")
    try fixture.forge(
      statement: statement,
      signature: try fixture.sshKeygenSign(statement, as: "alice", namespace: "promptgate-approval"))
    let counted = try promptgate(fixture, ["approvals", fixture.head, "--env", "staging", "--base", base])
    #expect(counted.stdout.contains("#1 alice@example.com approves at "), "\(counted.stdout)")
    #expect(counted.stdout.contains(": counts"), "\(counted.stdout)")
    #expect(try promptgate(fixture, ["audit", "verify"]).status == 0)
    // An override's old namespace never passes for an approval.
    try fixture.forge(
      statement: statement,
      signature: try fixture.sshKeygenSign(statement, as: "alice", namespace: "promptgate-override"))
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 1)
    #expect(
      audit.stdout.contains("it is signed in the namespace promptgate-override, not promptgate"),
      "\(audit.stdout)")
  }

  /// A release whose content gate fails only under this promptgate: a notice naming both
  /// versions when another version judged it; a forgery when this very version did.
  @Test func aContentVerdictThatChangedWithPromptgateIsANotice() throws {
    for (version, pack) in [("0.1.9", "sha256:older"), (PromptgateVersion.current, GatePack.standardDigest)] {
      let fixture = try ApprovalFixture()
      // The head changes the prompt without bumping its version: prompt-version-bump fails.
      try fixture.repository.edit("prompts/billing.prompty") {
        $0.replacingOccurrences(of: "version: 1.1.0", with: "version: 1.0.0")
      }
      fixture.head = try fixture.repository.commit("no version bump")
      #expect(
        try fixture.approve("alice", "prompt-review", env: "staging", release: fixture.base).status == 0)
      #expect(
        try fixture.approve("carol", "compliance-review", env: "staging", release: fixture.base).status == 0)
      #expect(try promptgate(fixture, ["release", fixture.base, "--env", "staging"]).status == 0)
      #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
      let release = LedgerEvent.Release(commit: fixture.head, tree: try fixture.tree(fixture.head))
      let base = LedgerEvent.Release(commit: fixture.base, tree: try fixture.tree(fixture.base))
      let statement = MoveStatement(
        move: .release, environment: "staging", release: release, repository: try fixture.rootCommit,
        principal: "ci@example.com", role: "release-bot", signedAt: Ledger.timestamp(), replaces: base,
        base: base,
        outcome: .release, judgedBy: .init(version: version, gatePack: pack))
      try fixture.forge(
        LedgerEvent(
          kind: .release, sequence: 0, time: statement.signedAt, actor: "ci@example.com",
          environment: "staging",
          release: release, repository: statement.repository, details: ["statement": statement.json]),
        signature: try fixture.sshKeygenSign(statement.json.canonicalString, as: "ci"))
      let audit = try promptgate(fixture, ["audit", "verify"])
      if version == PromptgateVersion.current {
        #expect(audit.status == 1)
        #expect(
          audit.stdout.contains("its gates fail when judged again as it was recorded: prompt-version-bump"),
          "\(audit.stdout)")
      } else {
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(
          audit.stdout.contains(
            "notice event #5 (")
            && audit.stdout.contains(
              "prompt-version-bump now fails: it was judged by promptgate 0.1.9 and this is \(PromptgateVersion.current)"
            ),
          "\(audit.stdout)")
      }
    }
  }
}
