import Foundation
import Git
import Testing

@testable import PromptgateCore

/// The one check every signed ledger event passes, whatever its kind: what it accepts and each
/// refusal, in the order an attacker would try them.
struct StatementSignatureTests {
  private let recorded = Timestamp.date("2026-11-02T10:00:00Z")!

  private func statement(signedAt: String = "2026-11-02T09:59:00Z", comment: String = "looks right")
    -> ApprovalStatement
  {
    ApprovalStatement(
      checkpoint: "prompt-review", comment: comment, decision: .approve, environment: "production",
      expiresAt: "2026-12-02T00:00:00Z", principal: "alice@example.com",
      release: LedgerEvent.Release(
        commit: String(repeating: "a", count: 40), tree: String(repeating: "b", count: 40)),
      repository: String(repeating: "c", count: 40), role: "prompt-owner", signedAt: signedAt)
  }

  private func record(_ statement: ApprovalStatement, signature: String?) -> Ledger.Record {
    Ledger.Record(
      commit: ObjectID(hex: String(repeating: "d", count: 40))!, parent: nil,
      event: LedgerEvent(
        kind: .approval, sequence: 3, time: "2026-11-02T10:00:00Z", actor: statement.principal,
        environment: statement.environment, release: statement.release, repository: statement.repository,
        details: ["statement": statement.json]),
      signature: signature)
  }

  private func signed(_ statement: ApprovalStatement, namespace: String = Statement.namespace) throws
    -> String
  {
    let keys = try SSHKeyFolder()
    let key = try SSHPrivateKey.load(path: keys.makeKey("alice", type: "ed25519"))
    return try SSHSignature.sign(statement.signedBytes, namespace: namespace, with: key).armored
  }

  @Test func aStatementSignedInPromptgatesNamespaceBeforeItWasRecordedIsAccepted() throws {
    let approval = statement()
    let checked = StatementSignature.check(
      record(approval, signature: try signed(approval)), approval, recorded: recorded)
    #expect(checked.refusal == nil)
    #expect(checked.signature?.publicKey.fingerprint.hasPrefix("SHA256:") == true)
    // Approvals signed by promptgate 0.1, in the namespace of their kind, still count.
    let legacy = StatementSignature.check(
      record(approval, signature: try signed(approval, namespace: "promptgate-approval")), approval,
      recorded: recorded)
    #expect(legacy.refusal == nil)
  }

  @Test func eachWayOfGettingItWrongIsRefusedAndSaysWhy() throws {
    let approval = statement()
    #expect(
      StatementSignature.check(record(approval, signature: nil), approval, recorded: recorded).refusal
        == .unsigned)
    #expect(
      StatementSignature.check(
        record(approval, signature: "-----BEGIN SSH SIGNATURE-----\nnot base64\n"), approval,
        recorded: recorded
      )
      .refusal == .unreadable)
    // Signed for git, then offered to promptgate.
    let git = StatementSignature.check(
      record(approval, signature: try signed(approval, namespace: "git")), approval, recorded: recorded)
    #expect(git.refusal == .namespace("git"))
    #expect(git.signature != nil, "the key is still shown")
    // Signed, then edited.
    let edited = statement(comment: "ship it, whatever it says")
    let forged = StatementSignature.check(
      record(edited, signature: try signed(approval)), edited, recorded: recorded)
    #expect(forged.refusal == .forged)
    #expect(
      forged.refusal?.message
        == "its signature does not verify: the statement was changed after it was signed, or forged")
    // Signed "tomorrow" by a clock set ahead beyond the skew: time is the ledger's.
    let ahead = statement(signedAt: "2026-11-02T10:05:01Z")
    let late = StatementSignature.check(
      record(ahead, signature: try signed(ahead)), ahead, recorded: recorded)
    #expect(
      late.refusal
        == .signedAfterRecording(signedAt: "2026-11-02T10:05:01Z", recorded: "2026-11-02T10:00:00Z"))
    // Within the skew a signer's clock may run ahead.
    let skewed = statement(signedAt: "2026-11-02T10:04:59Z")
    #expect(
      StatementSignature.check(record(skewed, signature: try signed(skewed)), skewed, recorded: recorded)
        .refusal == nil)
  }
}
