import Foundation
import PromptgateCore
import TestSupport
import Testing

/// A gated repository whose runbook requires evidence: an evaluation (at least 95%) where
/// prompts change, policy tests (all passing, at most 7 days old) where policies change, signed
/// by the release-bot (`governance.evidence_roles`). Keys: ci (release-bot), dave (listed, no
/// role), mallory (listed nowhere). Checkpoints apply in production only, so staging needs no
/// approvals: what blocks there is the evidence.
final class EvidenceFixture: @unchecked Sendable {
  let repository: GatedRepository
  let keys: String
  let base: String
  var head: String

  var path: String { repository.path }

  static let runbook = GatedRepository.runbook
    .replacingOccurrences(
      of: "    steps: [\"promptgate rollback --env production --reason ...\"]\n",
      with: "    steps: [\"promptgate rollback --env production --reason ...\"]\n"
        + "  evidence:\n"
        + "    - { kind: evaluation, min_pass_rate: 0.95, paths: [\"prompts/**\"] }\n"
        + "    - { kind: policy-tests, min_pass_rate: 1.0, paths: [\"policies/**\"], max_age_days: 7 }\n"
    )
    .replacingOccurrences(
      of: "  release_roles: [release-bot, ai-operations-engineer]\n",
      with: "  release_roles: [release-bot, ai-operations-engineer]\n  evidence_roles: [release-bot]\n")

  static let results = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/evidence").path

  init() throws {
    repository = try GatedRepository()
    let keys = try makeTemporaryFolder(prefix: "promptgate-evidence-keys")
    self.keys = keys
    // ci, dave and mallory's ed25519 keys, made once per test process (ApprovalFixture.madeKeys).
    let made = try ApprovalFixture.madeKeys.get()
    let files = ["ci", "dave", "mallory"].flatMap { ["\(made)/\($0)", "\(made)/\($0).pub"] }
    let copied = try run("/bin/cp", ["-a"] + files + [keys])
    guard copied.status == 0 else { throw CLIFailure(result: copied) }
    try repository.scratch.write("runbook.yaml", Self.runbook)
    try repository.scratch.write(
      ".promptgate/allowed_signers",
      try ["ci", "dave"].map { try ApprovalFixture.signerLine($0, keys: keys) }.joined())
    base = try repository.commit("first release with evidence rules")
    ReleaseBotKeys.shared.register("\(keys)/ci", for: repository.path)
    try repository.bumpPrompt()
    head = try repository.commit("billing: kinder")
  }

  /// A copy of `template` in folders of its own, its release-bot key registered for the copy.
  private init(copying template: EvidenceFixture) throws {
    repository = try GatedRepository(copying: template.repository)
    let keys = try makeTemporaryFolder(prefix: "promptgate-evidence-keys")
    self.keys = keys
    try copyFolder(template.keys, to: keys)
    base = template.base
    head = template.head
    ReleaseBotKeys.shared.register("\(keys)/ci", for: repository.path)
  }

  deinit { try? FileManager.default.removeItem(atPath: keys) }

  func key(_ name: String) -> String { "\(keys)/\(name)" }

  @discardableResult
  func promptgate(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    try CLI.run(["-C", path, "--no-color"] + arguments, environment: environment)
  }

  /// `evidence record` of a fixture result file, signed by `signer` (the release-bot by default).
  @discardableResult
  func record(_ kind: String, _ file: String, for release: String? = nil, signer: String = "ci") throws
    -> ProcessResult
  {
    try promptgate([
      "evidence", "record", release ?? head, "--kind", kind, "--file", "\(Self.results)/\(file)", "--key",
      key(signer),
    ])
  }

  /// The base released to staging, with the evidence its first release needs: made once per
  /// test process through the command line, and copied for each test.
  static func baseInStaging() throws -> EvidenceFixture {
    try EvidenceFixture(copying: stagedBase.get())
  }

  private static let stagedBase = Result { () throws -> EvidenceFixture in
    let fixture = try EvidenceFixture()
    for (kind, file) in [("evaluation", "promptfoo-pass.json"), ("policy-tests", "kyverno-junit.xml")] {
      let recorded = try fixture.record(kind, file, for: fixture.base)
      guard recorded.status == 0 else { throw CLIFailure(result: recorded) }
    }
    let released = try fixture.promptgate(["release", fixture.base, "--env", "staging"])
    guard released.status == 0 else { throw CLIFailure(result: released) }
    return fixture
  }

  var ledgerLength: Int {
    get throws { Int(try repository.scratch.git("rev-list", "--count", "refs/promptgate/ledger")) ?? 0 }
  }
}

@Suite struct EvidenceTests {
  @Test func theFixtureRunbookRequiresEvidence() {
    #expect(EvidenceFixture.runbook.contains("  evidence_roles: [release-bot]\n"))
    #expect(EvidenceFixture.runbook.contains("    - { kind: policy-tests, min_pass_rate: 1.0"))
  }

  @Test func aFailingEvaluationBlocksTheReleaseAndAFixedOnePasses() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    let missing = try fixture.promptgate(["check", fixture.head, "--env", "staging"])
    #expect(missing.status == 1)
    #expect(
      missing.stdout.contains(
        "record it with: promptgate evidence record \(fixture.head.prefix(7)) --kind evaluation --file <results>"
      ),
      "\(missing.stdout)")
    let failing = try fixture.record("evaluation", "promptfoo-fail.json")
    #expect(failing.status == 0, "\(failing.stderr)")
    #expect(
      failing.stdout.contains("records evaluation 80.0% (16 of 20 passed, 4 failed)"), "\(failing.stdout)")
    let blocked = try fixture.promptgate(["release", fixture.head, "--env", "staging"])
    #expect(blocked.status == 1)
    #expect(blocked.stdout.contains("evidence-recorded"), "\(blocked.stdout)")
    #expect(blocked.stdout.contains("below the required 95.0%"), "\(blocked.stdout)")
    let fixed = try fixture.record("evaluation", "promptfoo-pass.json")
    #expect(fixed.status == 0)
    let check = try fixture.promptgate(["check", fixture.head, "--env", "staging"])
    #expect(check.status == 0, "\(check.stdout)")
    #expect(check.stdout.contains("evaluation: #"), "\(check.stdout)")
    #expect(check.stdout.contains("95.0% (19 of 20 passed, 1 failed), at least 95.0%"), "\(check.stdout)")
    #expect(try fixture.promptgate(["release", fixture.head, "--env", "staging"]).status == 0)
    // The audit re-judges every event, evidence included, and the release with what was recorded before it.
    let audit = try fixture.promptgate(["audit", "verify"])
    #expect(audit.status == 0, "\(audit.stdout)")
    let history = try fixture.promptgate(["history", "--env", "staging"])
    #expect(history.stdout.contains("evidence: evaluation 95.0% (19/20)"), "\(history.stdout)")
    let diff = try fixture.promptgate(["diff", fixture.base, fixture.head])
    #expect(diff.stdout.contains("evidence: evaluation 95.0% (19/20) → 95.0% (19/20)"), "\(diff.stdout)")
    let status = try fixture.promptgate(["status", "--release", fixture.head])
    #expect(status.stdout.contains("evaluation 95.0% (19/20)"), "\(status.stdout)")
    let report = try fixture.promptgate(["report"])
    #expect(
      report.stdout.contains("shipped with full evidence: 2 of 2 (100%) of the releases that required it"),
      "\(report.stdout)")
    let markdown = try fixture.promptgate(["report", "--format", "markdown"])
    #expect(
      markdown.stdout.contains("Shipped with full evidence: 2 of 2 (100%) of the releases that required it."))
    let html = try fixture.promptgate(["report", "--format", "html"])
    #expect(html.stdout.contains("<dt>Shipped with full evidence</dt><dd>2 of 2 (100%)</dd>"))
  }

  @Test func aChangeCannotLowerTheEvidenceItIsJudgedBy() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    // The change lowers the bar to 50% in its own runbook: the base's 95% still judges it.
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "kind: evaluation, min_pass_rate: 0.95", with: "kind: evaluation, min_pass_rate: 0.5")
    }
    let lowered = try fixture.repository.commit("evaluation: 50% is enough")
    #expect(try fixture.record("evaluation", "promptfoo-fail.json", for: lowered).status == 0)
    let check = try fixture.promptgate(["check", lowered, "--env", "staging"])
    #expect(check.status == 1)
    #expect(
      check.stdout.contains("80.0% (16 of 20 passed, 4 failed), below the required 95.0%"), "\(check.stdout)")
  }

  @Test func evidenceForOneTreeNeverSatisfiesAnother() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    #expect(try fixture.record("evaluation", "promptfoo-pass.json").status == 0)
    #expect(try fixture.promptgate(["check", fixture.head, "--env", "staging"]).status == 0)
    // An edit after the evaluation: a new tree, and the evaluation is void.
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "kind.", with: "kind!")
    }
    let edited = try fixture.repository.commit("one more word")
    let check = try fixture.promptgate(["check", edited, "--env", "staging"])
    #expect(check.status == 1)
    #expect(
      check.stdout.contains("no evaluation evidence counts for this release's content"), "\(check.stdout)")
    // The same tree under another commit keeps its evidence: content is what counts.
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "kind!", with: "kind.")
    }
    let back = try fixture.repository.commit("undo")
    #expect(try fixture.promptgate(["check", back, "--env", "staging"]).status == 0)
  }

  @Test func onlyAListedKeyOfAnEvidenceRoleMayRecord() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    let before = try fixture.ledgerLength
    let mallory = try fixture.record("evaluation", "promptfoo-pass.json", signer: "mallory")
    #expect(mallory.status == 1)
    #expect(mallory.stderr.contains("is not listed in .promptgate/allowed_signers"), "\(mallory.stderr)")
    let dave = try fixture.record("evaluation", "promptfoo-pass.json", signer: "dave")
    #expect(dave.status == 1)
    #expect(
      dave.stderr.contains("dave@example.com holds none of the roles that may sign evidence (release-bot)"),
      "\(dave.stderr)")
    let typo = try fixture.record("evaluaton", "promptfoo-pass.json")
    #expect(typo.status == 2)
    #expect(typo.stderr.contains("did you mean `evaluation`?"), "\(typo.stderr)")
    let lying = try fixture.record("evaluation", "promptfoo-lying.json")
    #expect(lying.status == 2)
    #expect(
      lying.stderr.contains("promptfoo-lying.json: results.stats.successes: says 20"), "\(lying.stderr)")
    #expect(try fixture.ledgerLength == before, "nothing is recorded from a refused run")
  }

  /// Appends an evidence event for the fixture's head by `principal` in `role`, signed by
  /// `signer`'s key (or unsigned), as an insider who can push refs/promptgate/* could.
  private func forgeEvidence(
    _ fixture: EvidenceFixture, principal: String, role: String, signer: String?, repository: String? = nil
  ) throws {
    let root = try fixture.repository.scratch.git("rev-list", "--max-parents=0", fixture.base)
    let tree = try fixture.repository.scratch.git("rev-parse", "\(fixture.head)^{tree}")
    let file = try EvidenceFile.read(path: "\(EvidenceFixture.results)/promptfoo-pass.json", format: nil)
    let statement = EvidenceStatement(
      evidence: "evaluation", fileName: "results.json", fileSHA256: file.sha256, summary: file.summary,
      principal: principal, role: role, release: LedgerEvent.Release(commit: fixture.head, tree: tree),
      repository: repository ?? root, signedAt: Ledger.timestamp())
    var signature: String?
    if let signer {
      let signed = try run(
        "/usr/bin/ssh-keygen", ["-Y", "sign", "-q", "-n", "promptgate", "-f", fixture.key(signer)],
        input: statement.json.canonicalString)
      #expect(signed.status == 0, "\(signed.stderr)")
      signature = signed.stdout
    }
    try LedgerForgery(path: fixture.path, scratch: fixture.repository.scratch).forge(
      LedgerEvent(
        kind: .evidence, sequence: 0, time: statement.signedAt, actor: statement.principal, environment: nil,
        release: statement.release, repository: statement.repository, details: ["statement": statement.json]),
      signature: signature)
  }

  @Test func anUnsignedEvidenceEventIsCaughtByTheAuditAndNeverCounts() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    try forgeEvidence(fixture, principal: "ci@example.com", role: "release-bot", signer: nil)
    let audit = try fixture.promptgate(["audit", "verify"])
    #expect(audit.status == 1)
    #expect(audit.stdout.contains("it is not signed"), "\(audit.stdout)")
    let check = try fixture.promptgate(["check", fixture.head, "--env", "staging"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("does not count: it is not signed"), "\(check.stdout)")
  }

  @Test func evidenceSignedByAKeyWithoutTheRoleIsCaughtByTheAuditAndNeverCounts() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    // dave is listed but holds no evidence role; he claims release-bot.
    try forgeEvidence(fixture, principal: "dave@example.com", role: "release-bot", signer: "dave")
    let audit = try fixture.promptgate(["audit", "verify"])
    #expect(audit.status == 1)
    #expect(audit.stdout.contains("dave@example.com does not hold the role release-bot"), "\(audit.stdout)")
    let check = try fixture.promptgate(["check", fixture.head, "--env", "staging"])
    #expect(check.status == 1)
    #expect(
      check.stdout.contains("does not count: dave@example.com does not hold the role"), "\(check.stdout)")
    // The release-bot's name on mallory's signature: her key is listed for nobody.
    let other = try EvidenceFixture.baseInStaging()
    try forgeEvidence(other, principal: "ci@example.com", role: "release-bot", signer: "mallory")
    let forged = try other.promptgate(["audit", "verify"])
    #expect(forged.status == 1)
    #expect(try other.promptgate(["check", other.head, "--env", "staging"]).status == 1)
  }

  @Test func evidenceOfAnotherRepositoryNeverCounts() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    // The release-bot's genuine signature, but for another repository's id: copied in by an insider.
    try forgeEvidence(
      fixture, principal: "ci@example.com", role: "release-bot", signer: "ci",
      repository: String(repeating: "ab", count: 20))
    let check = try fixture.promptgate(["check", fixture.head, "--env", "staging"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("it is for another repository"), "\(check.stdout)")
    let audit = try fixture.promptgate(["audit", "verify"])
    #expect(audit.status == 1)
    #expect(audit.stdout.contains("events of another repository were copied in"), "\(audit.stdout)")
  }

  @Test func theAuditJudgesAReleaseWithTheEvidenceRecordedBeforeItOnly() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    let scratch = fixture.repository.scratch
    let root = try scratch.git("rev-list", "--max-parents=0", fixture.base)
    let base = LedgerEvent.Release(
      commit: fixture.base, tree: try scratch.git("rev-parse", "\(fixture.base)^{tree}"))
    let head = LedgerEvent.Release(
      commit: fixture.head, tree: try scratch.git("rev-parse", "\(fixture.head)^{tree}"))
    // An insider writes a release of the head signed with the release-bot's key, before any
    // evaluation was recorded, then has the evaluation recorded after it.
    let statement = MoveStatement(
      move: .release, environment: "staging", release: head, repository: root, principal: "ci@example.com",
      role: "release-bot", signedAt: Ledger.timestamp(), replaces: base, base: base, outcome: .release)
    let signed = try run(
      "/usr/bin/ssh-keygen", ["-Y", "sign", "-q", "-n", "promptgate", "-f", fixture.key("ci")],
      input: statement.json.canonicalString)
    try LedgerForgery(path: fixture.path, scratch: scratch).forge(
      LedgerEvent(
        kind: .release, sequence: 0, time: statement.signedAt, actor: statement.principal,
        environment: "staging",
        release: head, repository: root, details: LedgerEvent.Record(statement: statement).details),
      signature: signed.stdout)
    #expect(try fixture.record("evaluation", "promptfoo-pass.json").status == 0)
    let audit = try fixture.promptgate(["audit", "verify"])
    #expect(audit.status == 1)
    #expect(
      audit.stdout.contains("its gates fail when judged again as it was recorded: evidence-recorded"),
      "\(audit.stdout)")
  }

  @Test(.withFaketime) func evidenceOlderThanTheWindowNoLongerCounts() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    try fixture.repository.edit("policies/safety.yaml") { $0 + "owner: compliance\n" }
    try fixture.repository.edit("prompts/billing.prompty") { $0 }
    let policyChange = try fixture.repository.commit("policy: owner")
    // Recorded ten days ago (the ledger's clock then), the window is seven.
    let old = try run(
      "/usr/bin/faketime",
      [
        "-f", "-10d", CLI.executable, "-C", fixture.path, "evidence", "record", policyChange, "--kind",
        "policy-tests", "--file", "\(EvidenceFixture.results)/kyverno-junit.xml", "--key", fixture.key("ci"),
      ])
    // The ledger's times never go back: a record dated before its predecessor is refused.
    #expect(old.status == 1, "\(old.stderr)")
    #expect(old.stderr.contains("later than this machine's clock"), "\(old.stderr)")
    let fresh = try EvidenceFixture()
    try fresh.repository.edit("policies/safety.yaml") { $0 + "owner: compliance\n" }
    let change = try fresh.repository.commit("policy: owner")
    let backThen = try run(
      "/usr/bin/faketime",
      [
        "-f", "-10d", CLI.executable, "-C", fresh.path, "evidence", "record", change, "--kind",
        "policy-tests",
        "--file", "\(EvidenceFixture.results)/kyverno-junit.xml", "--key", fresh.key("ci"),
      ])
    #expect(backThen.status == 0, "\(backThen.stderr)")
    let check = try fresh.promptgate(["check", change, "--env", "staging", "--base", fresh.base])
    #expect(check.status == 1)
    #expect(check.stdout.contains("older than max_age_days (7)"), "\(check.stdout)")
    // The evaluation the prompt change also needs is in the window, and counts.
    #expect(try fresh.record("evaluation", "promptfoo-pass.json", for: change).status == 0)
    #expect(try fresh.record("policy-tests", "kyverno-junit.xml", for: change).status == 0)
    #expect(try fresh.promptgate(["check", change, "--env", "staging", "--base", fresh.base]).status == 0)
  }

  @Test func junitAndMinimalResultsAreRecordedAndAFailingPolicyTestBlocks() throws {
    let fixture = try EvidenceFixture.baseInStaging()
    try fixture.repository.edit("policies/safety.yaml") { $0 + "owner: compliance\n" }
    let change = try fixture.repository.commit("policy: owner")
    let conftest = try fixture.record("policy-tests", "conftest-junit.xml", for: change)
    #expect(conftest.status == 0, "\(conftest.stderr)")
    #expect(conftest.stdout.contains("junit, 1 suite, 3 tests"), "\(conftest.stdout)")
    let check = try fixture.promptgate(["check", change, "--env", "staging"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("policy-tests evidence #"), "\(check.stdout)")
    #expect(
      check.stdout.contains("66.6% (2 of 3 passed, 1 failed), below the required 100%"), "\(check.stdout)")
    #expect(try fixture.record("policy-tests", "kyverno-junit.xml", for: change).status == 0)
    // The change holds the prompt change too: its evaluation is required as well.
    let partial = try fixture.promptgate(["check", change, "--env", "staging"])
    #expect(partial.status == 1)
    #expect(partial.stdout.contains("no evaluation evidence counts"), "\(partial.stdout)")
    #expect(try fixture.record("evaluation", "promptfoo-pass.json", for: change).status == 0)
    let passing = try fixture.promptgate(["check", change, "--env", "staging"])
    #expect(passing.status == 0, "\(passing.stdout)")
    #expect(passing.stdout.contains("policy-tests: #"), "\(passing.stdout)")
    // $PROMPTGATE_KEY (the CI job's key) and ssh-keygen doing the signing, as with every signed command.
    let minimal = try fixture.promptgate([
      "evidence", "record", change, "--kind", "policy-tests", "--file",
      "\(EvidenceFixture.results)/minimal.json",
      "--format", "minimal", "--signer", "ssh-keygen",
    ])
    #expect(minimal.status == 0)
    #expect(minimal.stdout.contains("by house-evals 2.1.0 in 12.5s"), "\(minimal.stdout)")
    let list = try fixture.promptgate(["evidence", "list", change, "--format", "json"])
    let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
    // The newest of each kind: the evaluation, and the minimal file's policy tests.
    #expect(entries?.compactMap { $0["kind"] as? String } == ["evaluation", "policy-tests"])
    #expect(entries?.last?["passed"] as? Int == 2)
    #expect(entries?.last?["skipped"] as? Int == 1)
  }
}

/// Appends an event with git's plumbing, as an insider who can push refs/promptgate/* could.
struct LedgerForgery {
  let path: String
  let scratch: ScratchRepository

  func forge(_ event: LedgerEvent, signature: String?) throws {
    let parent = try? scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/ledger")
    let sequence = try parent.map { Int(try scratch.git("rev-list", "--count", $0))! } ?? 0
    let numbered = LedgerEvent(
      kind: event.kind, sequence: sequence + 1, time: event.time, actor: event.actor,
      environment: event.environment, release: event.release, repository: event.repository,
      details: event.details)
    func blob(_ text: String) throws -> String {
      try run("/usr/bin/git", ["-C", path, "hash-object", "-w", "--stdin"], input: text)
        .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    var entries = "100644 blob \(try blob(numbered.json.canonicalString))\tevent.json\n"
    if let signature { entries += "100644 blob \(try blob(signature))\tevent.sig\n" }
    let tree = try run("/usr/bin/git", ["-C", path, "mktree"], input: entries)
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let commit = try scratch.git(
      ["commit-tree", tree, "-m", numbered.summary] + (parent.map { ["-p", $0] } ?? []))
    try scratch.git(["update-ref", "refs/promptgate/ledger", commit] + (parent.map { [$0] } ?? []))
  }
}
