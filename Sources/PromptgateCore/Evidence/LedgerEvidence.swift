import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// One evidence event recorded for a release's content, and whether it counts under the
/// trusted rules, or the rule it fails.
public struct EvidenceVerdict: Sendable, Hashable {
  public let sequence: Int
  public let time: String
  public let statement: EvidenceStatement
  public let keyFingerprint: String?
  /// Why it does not count whatever is required (forged, unlisted key, wrong role, another
  /// repository or content); nil when it is authentic evidence by an allowed signer.
  public let refusal: String?
}

/// The evidence the ledger records for a release's content, judged like approvals (SPEC §4)
/// by the trusted rules (the base's allowed_signers, revoked keys and `governance.evidence_roles`):
/// signed by its principal with a key listed for them when it was recorded, by a principal
/// holding an evidence role, for this repository and exactly this tree.
public final class LedgerEvidence {
  let ledger: Ledger
  let release: Commit
  let trusted: TrustedSigners
  let anchor: String
  let anchorInHistory: Bool
  let now: Date
  /// Only evidence recorded before this sequence number counts (the audit re-judging a release
  /// as it was decided); nil for all.
  let recordedBefore: Int?
  private var cached: [Ledger.Record]?

  public init(
    ledger: Ledger, release: Commit, trustedCommit: Commit, anchor: String, now: Date = Date(),
    recordedBefore: Int? = nil
  ) throws(PromptgateError) {
    self.ledger = ledger
    self.release = release
    self.trusted = try TrustedSigners.load(from: trustedCommit, in: ledger.repository)
    self.anchor = anchor
    anchorInHistory = (try? RepositoryAnchor.check(release, anchor: anchor, in: ledger.repository)) != nil
    self.now = now
    self.recordedBefore = recordedBefore
  }

  /// Every evidence event for the release's tree, oldest first, each judged by `rules`.
  public func verdicts(rules: Runbook) throws(PromptgateError) -> [EvidenceVerdict] {
    var records = cached ?? []
    if cached == nil {
      records = try ledger.decisions(forTree: release.tree.hex).filter { $0.event.kind == .evidence }
      if let recordedBefore { records = records.filter { $0.event.sequence < recordedBefore } }
      cached = records
    }
    return records.compactMap { record in
      guard let statement = record.event.evidenceStatement else {
        return nil
      }
      var fingerprint: String?
      let refusal =
        Self.authenticityProblem(
          record, statement, signers: trusted, now: now, fingerprint: &fingerprint)
        ?? roleProblem(statement, rules: rules) ?? bindingProblem(statement)
      return EvidenceVerdict(
        sequence: record.event.sequence, time: record.event.time, statement: statement,
        keyFingerprint: fingerprint, refusal: refusal)
    }
  }

  /// Why an evidence event is not authentically its principal's, recorded when the ledger says,
  /// with a key `signers` list for them then and do not revoke; nil when it is. What both the
  /// gate and `audit verify` ask.
  static func authenticityProblem(
    _ record: Ledger.Record, _ statement: EvidenceStatement, signers: TrustedSigners, now: Date,
    fingerprint: inout String?
  ) -> String? {
    let event = record.event
    guard event.actor == statement.principal, event.release == statement.release,
      event.repository == statement.repository, event.environment == nil
    else { return "the ledger event does not match the statement it carries" }
    guard let recorded = Timestamp.date(event.time), recorded <= now.addingTimeInterval(Statement.clockSkew)
    else {
      return "it is recorded at \(event.time), later than now: a clock set ahead, or a forged time"
    }
    let checked = StatementSignature.check(record, statement, recorded: recorded)
    fingerprint = checked.signature?.publicKey.fingerprint
    if let refusal = checked.refusal { return refusal.message }
    guard let signature = checked.signature else { return StatementSignature.Refusal.unreadable.message }
    if let refusal = signers.signers.refusal(
      principal: statement.principal, key: signature.publicKey, namespace: signature.namespace, at: recorded)
    {
      return refusal + " when it was recorded (\(TrustedSigners.allowedSignersPath) of the rules that judge)"
    }
    if signers.revoked.contains(signature.publicKey) {
      return "its key \(signature.publicKey.fingerprint) is revoked in \(TrustedSigners.revokedKeysPath)"
    }
    return nil
  }

  /// Why the principal may not sign evidence under `rules`; nil when they may.
  static func roleProblem(_ statement: EvidenceStatement, rules: Runbook, source: String) -> String? {
    let allowed = rules.evidenceRoles
    guard allowed.contains(statement.role) else {
      return "it is signed as \(statement.role), which may not sign evidence under \(source) (governance."
        + "evidence_roles: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", ")))"
    }
    guard rules.holds(statement.principal, role: statement.role) else {
      return "\(statement.principal) does not hold the role \(statement.role) in \(source)"
    }
    return nil
  }

  private func roleProblem(_ statement: EvidenceStatement, rules: Runbook) -> String? {
    Self.roleProblem(statement, rules: rules, source: "the base's runbook")
  }

  private func bindingProblem(_ statement: EvidenceStatement) -> String? {
    guard statement.repository == anchor, anchorInHistory else {
      return
        "it is for another repository (root commit \(statement.repository.prefix(7)), not \(anchor.prefix(7)))"
    }
    guard statement.release.tree == release.tree.hex else {
      return "it is evidence for the content \(statement.release.tree.prefix(7)), not this release's "
        + "\(release.tree.short())"
    }
    return nil
  }
}
