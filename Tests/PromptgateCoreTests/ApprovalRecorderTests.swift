import Foundation
import Git
import TestSupport
import Testing

@testable import PromptgateCore

/// `approve`'s domain work, in process: the decision is checked against the release's runbook,
/// signed, and appended to the ledger; a typo records nothing.
@Suite struct ApprovalRecorderTests {
  static let runbook = """
    version: 1
    environments:
      - { name: staging }
      - { name: production, after: staging }
    governance:
      checkpoints:
        - { name: prompt-review, role: prompt-owner, approvals: 1, paths: ["prompts/**"] }
      approval_ttl_days: 7
    roles:
      prompt-owner: [alice@example.com]

    """

  struct Fixture {
    let scratch: ScratchRepository
    let keys: SSHKeyFolder
    let signer: StatementSigner
    let release: String

    init(principal: String? = nil) throws {
      scratch = try ScratchRepository()
      keys = try SSHKeyFolder()
      let key = try SSHPrivateKey.load(path: try keys.makeKey("alice", type: "ed25519"))
      try scratch.write("runbook.yaml", ApprovalRecorderTests.runbook)
      try scratch.write("prompts/billing.md", "Be brief.\n")
      let publicKey = try String(contentsOfFile: "\(keys.path)/alice.pub", encoding: .utf8)
        .split(separator: " ").prefix(2).joined(separator: " ")
      try scratch.write(
        ".promptgate/allowed_signers", "alice@example.com namespaces=\"promptgate\" \(publicKey)\n")
      release = try scratch.commit("first release", author: "Dev Eloper <dev@example.com>")
      signer = StatementSigner(publicKey: key.publicKey, principal: principal) {
        bytes throws(PromptgateError) in
        do {
          return try SSHSignature.sign(bytes, namespace: Statement.namespace, with: key)
        } catch {
          throw PromptgateError.input("\(error)")
        }
      }
    }

    func record(_ decision: ApprovalRecorder.Decision, now: Date = Date(timeIntervalSince1970: 1_700_100_000))
      throws(PromptgateError) -> Ledger.Record
    {
      let repository = try RepositoryLookup.open(at: scratch.path)
      let commit = try RepositoryLookup.commit(release, in: repository)
      return try ApprovalRecorder.record(decision, on: commit, signer: signer, in: repository, now: now)
    }

    var ledgerEvents: Int {
      (try? RepositoryLookup.open(at: scratch.path)).flatMap { try? Ledger($0).records().count } ?? -1
    }
  }

  static func decision(
    env: String = "staging", checkpoint: String = "prompt-review", reject: Bool = false,
    expires: String? = nil
  ) -> ApprovalRecorder.Decision {
    ApprovalRecorder.Decision(
      environment: env, checkpoint: checkpoint, reject: reject, comment: "looks right", expires: expires)
  }

  @Test func anApprovalIsSignedAndRecordedWithTheRunbooksRoleAndTTL() throws {
    let fixture = try Fixture()
    let record = try fixture.record(Self.decision())
    #expect(record.event.kind == .approval)
    #expect(record.event.sequence == 1)
    #expect(record.signature != nil)
    let statement = try #require(record.event.approvalStatement)
    #expect(statement.principal == "alice@example.com")
    #expect(statement.role == "prompt-owner")
    #expect(statement.checkpoint == "prompt-review")
    #expect(statement.environment == "staging")
    #expect(statement.release.commit == fixture.release)
    #expect(statement.signedAt == "2023-11-16T02:00:00Z")
    // approval_ttl_days: 7 from the release's runbook.
    #expect(statement.expiresAt == "2023-11-23T02:00:00Z")
    #expect(fixture.ledgerEvents == 1)
  }

  @Test func aRejectionAndAnExpiryAreRecordedAsGiven() throws {
    let fixture = try Fixture()
    let record = try fixture.record(Self.decision(reject: true, expires: "12h"))
    #expect(record.event.kind == .rejection)
    #expect(record.event.approvalStatement?.expiresAt == "2023-11-16T14:00:00Z")
  }

  @Test func aTypoRecordsNothing() throws {
    let fixture = try Fixture()
    #expect {
      try fixture.record(Self.decision(env: "prodution"))
    } throws: { error in
      (error as? PromptgateError)?.message
        == "`prodution` is not an environment runbook.yaml of \(fixture.release.prefix(7)) declares: did you mean "
        + "`production`? it declares staging, production; nothing was recorded"
    }
    #expect {
      try fixture.record(Self.decision(checkpoint: "prompt-reveiw"))
    } throws: { error in
      (error as? PromptgateError)?.message
        == "no checkpoint `prompt-reveiw` in runbook.yaml of \(fixture.release.prefix(7)): did you mean "
        + "`prompt-review`? it declares prompt-review"
    }
    #expect {
      try fixture.record(Self.decision(expires: "someday"))
    } throws: { error in
      (error as? PromptgateError)?.message.hasPrefix("--expires someday is neither a date") == true
    }
    #expect(fixture.ledgerEvents == 0)
  }

  @Test func anUnlistedKeyNeedsAPrincipal() throws {
    let fixture = try Fixture()
    try fixture.scratch.write(".promptgate/allowed_signers", "# nobody yet\n")
    let repository = try RepositoryLookup.open(at: fixture.scratch.path)
    let unlisted = try RepositoryLookup.commit(
      try fixture.scratch.commit("no signers", author: "Dev Eloper <dev@example.com>"), in: repository)
    #expect {
      try ApprovalRecorder.record(Self.decision(), on: unlisted, signer: fixture.signer, in: repository)
    } throws: { error in
      (error as? PromptgateError)?.message
        == "the key \(fixture.signer.publicKey.fingerprint) is not listed in .promptgate/allowed_signers; add it "
        + "there, or name yourself with --principal"
    }
    #expect(fixture.ledgerEvents == 0)
  }
}
