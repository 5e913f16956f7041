import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Records a result file as signed `evidence` for a release's content (SPEC §6 `evidence
/// record`). Who may sign it is decided as the audit will judge it: by the rules of the newest
/// release of any environment (the release's own only before anything was released), whose
/// `governance.evidence_roles` the signer must hold, with a key its allowed_signers lists.
public enum EvidenceRecorder {
  public static func record(
    kind: String, file: EvidenceFile, release: Commit, signer: StatementSigner, ledger: Ledger,
    now: Date = Date()
  ) throws(PromptgateError) -> Ledger.Record {
    let repository = ledger.repository
    guard let first = kind.first, first.isLetter,
      kind.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }), kind.count <= 64
    else {
      throw PromptgateError.input(
        "--kind \(RepositoryText.safe(kind)) is not a kind name: lower-case letters, digits and dashes, as the "
          + "runbook's reliability.evidence names it (evaluation, policy-tests)")
    }
    let anchor = try RepositoryAnchor.id(ledger: ledger, release: release)
    try RepositoryAnchor.check(release, anchor: anchor, in: repository)
    let basis = try ReleaseBasis.latest(release: release, ledger: ledger, in: repository)
    let rules = try MoveAuthority.Rules(commit: basis.rules, in: repository)
    // A typo would record evidence nothing ever asks for: the kind must be one a runbook requires.
    let own = try Runbook.load(from: release, in: repository)?.runbook?.evidenceRequirements ?? []
    let kinds = Set((rules.runbook.evidenceRequirements + own).map(\.kind)).sorted()
    if !kinds.isEmpty, !kinds.contains(kind) {
      let hint = Suggestion.closest(to: kind, among: kinds).map { "did you mean `\($0)`? " } ?? ""
      throw PromptgateError.input(
        "no evidence of kind `\(kind)` is required by \(Runbook.path) (reliability.evidence): \(hint)it requires "
          + "\(kinds.joined(separator: ", ")); nothing was recorded")
    }
    let allowed = rules.runbook.evidenceRoles
    guard !allowed.isEmpty else {
      throw PromptgateError(
        .blocked,
        "\(rules.source) names no governance.evidence_roles, so nobody may sign evidence; add them (CI's role, "
          + "e.g. release-bot) in a release of their own first; nothing was recorded")
    }
    let (principal, role) = try MoveAuthority.signer(
      key: signer.publicKey, principal: signer.principal, allowed: allowed, rules: rules, at: now,
      judging: "whose rules judge evidence; nothing was recorded",
      noRole: {
        "\($0) holds none of the roles that may sign evidence (\(allowed.joined(separator: ", "))) in "
          + "\(rules.source); nothing was recorded"
      })
    let statement = EvidenceStatement(
      evidence: kind, fileName: file.name, fileSHA256: file.sha256, summary: file.summary,
      principal: principal,
      role: role, release: LedgerEvent.Release(commit: release.id.hex, tree: release.tree.hex),
      repository: anchor, signedAt: Ledger.timestamp(now))
    let signature = try signer.sign(statement.signedBytes)
    return try ledger.append(independent: true, now: now) { slot in
      let event = LedgerEvent(
        kind: .evidence, sequence: slot.sequence, time: slot.time, actor: principal, environment: nil,
        release: statement.release, repository: anchor,
        details: LedgerEvent.Record(statement: statement).details)
      return (event, signature.armored)
    }
  }

  /// The newest result of each kind recorded for `tree`, by kind: what `status`, `history`,
  /// `diff` and `report` show beside a release. Unjudged: the `evidence` gate says which count.
  public static func newest(forTree tree: String, ledger: Ledger) -> [RecordedEvidence] {
    guard let records = try? ledger.decisions(forTree: tree) else { return [] }
    var newest: [String: RecordedEvidence] = [:]
    for record in records {
      guard let statement = record.event.evidenceStatement else { continue }
      newest[statement.evidence] = RecordedEvidence(sequence: record.event.sequence, statement: statement)
    }
    return newest.keys.sorted().compactMap { newest[$0] }
  }

  /// `evaluation 92.0% (46/50) → 96.0% (48/50)` per kind recorded for either side, or nil.
  public static func trend(from before: [RecordedEvidence], to after: [RecordedEvidence]) -> String? {
    let kinds = Set((before + after).map(\.kind)).sorted()
    guard !kinds.isEmpty else { return nil }
    func rate(_ entry: RecordedEvidence?) -> String {
      guard let entry else { return "none" }
      return
        "\(entry.passRate.map(EvidenceSummary.percent) ?? "no test ran") (\(entry.passed)/\(entry.passed + entry.failed))"
    }
    return kinds.map { kind in
      "\(kind) \(rate(before.first { $0.kind == kind })) → \(rate(after.first { $0.kind == kind }))"
    }.joined(separator: ", ")
  }

  /// The records as the commands' JSON shows them.
  public static func json(_ evidence: [RecordedEvidence]) -> JSONValue {
    .array(
      evidence.map { entry in
        .object([
          "sequence": .integer(Int64(entry.sequence)), "kind": .string(entry.kind),
          "principal": .string(entry.principal), "tests": .integer(Int64(entry.tests)),
          "passed": .integer(Int64(entry.passed)), "failed": .integer(Int64(entry.failed)),
          "skipped": .integer(Int64(entry.skipped)), "file_sha256": .string(entry.fileSHA256),
        ])
      })
  }

  /// `evaluation 96.0% (48/50), policy-tests 100% (12/12)`, or nil when nothing is recorded.
  public static func line(_ evidence: [RecordedEvidence]) -> String? {
    evidence.isEmpty ? nil : evidence.map(\.described).joined(separator: ", ")
  }
}

/// One evidence record as the read-only commands show it.
public struct RecordedEvidence: Sendable, Hashable, Encodable {
  public let sequence: Int
  public let kind: String
  public let principal: String
  public let passRate: Double?
  public let tests: Int
  public let passed: Int
  public let failed: Int
  public let skipped: Int
  public let fileSHA256: String

  init(sequence: Int, statement: EvidenceStatement) {
    self.sequence = sequence
    kind = statement.evidence
    principal = statement.principal
    passRate = statement.summary.passRate
    tests = statement.summary.tests
    passed = statement.summary.passed
    failed = statement.summary.failed
    skipped = statement.summary.skipped
    fileSHA256 = statement.fileSHA256
  }

  /// `evaluation 96.0% (48/50)`.
  public var described: String {
    "\(kind) \(passRate.map(EvidenceSummary.percent) ?? "no test ran") (\(passed)/\(passed + failed))"
  }

  enum CodingKeys: String, CodingKey {
    case sequence, kind, principal, tests, passed, failed, skipped
    case passRate = "pass_rate"
    case fileSHA256 = "file_sha256"
  }
}
