/// What CI signs when it records evaluation or test results (SPEC §6 `evidence record`): the
/// results of one kind (`evaluation`, `policy-tests`...) for one release's content, the SHA-256
/// of the result file they came from and its summary, in one repository. Signed as canonical
/// JSON in the namespace ``Statement/namespace``. Evidence belongs to content, not to an
/// environment: the runbook says in which environments it is required.
public struct EvidenceStatement: Sendable, Hashable {
  public static let kind = "promptgate.evidence/v1"

  /// The kind of evidence, as the runbook's `reliability.evidence` names it.
  public let evidence: String
  public let fileName: String
  public let fileSHA256: String
  public let summary: EvidenceSummary
  public let principal: String
  public let role: String
  public let release: LedgerEvent.Release
  public let repository: String
  public let signedAt: String

  public init(
    evidence: String, fileName: String, fileSHA256: String, summary: EvidenceSummary, principal: String,
    role: String, release: LedgerEvent.Release, repository: String, signedAt: String
  ) {
    self.evidence = evidence
    self.fileName = fileName
    self.fileSHA256 = fileSHA256
    self.summary = summary
    self.principal = principal
    self.role = role
    self.release = release
    self.repository = repository
    self.signedAt = signedAt
  }

  public var json: JSONValue {
    .object([
      "kind": .string(Self.kind), "evidence": .string(evidence),
      "file": .object(["name": .string(fileName), "sha256": .string(fileSHA256)]),
      "summary": summary.json, "principal": .string(principal), "role": .string(role),
      "release": release.json, "repository": .string(repository), "signed_at": .string(signedAt),
    ])
  }

  public init(json: JSONValue) throws(LedgerFormatError) {
    guard case .object(let members) = json else { throw LedgerFormatError("the statement is not an object") }
    let fields = [
      "evidence", "file", "kind", "principal", "release", "repository", "role", "signed_at", "summary",
    ]
    guard Set(members.keys) == Set(fields) else {
      throw LedgerFormatError("the statement must have exactly the fields \(fields.joined(separator: ", "))")
    }
    guard json["kind"]?.string == Self.kind else {
      throw LedgerFormatError("the statement is not \(Self.kind)")
    }
    guard let evidence = json["evidence"]?.string, let fileName = json["file"]?["name"]?.string,
      let sha256 = json["file"]?["sha256"]?.string, sha256.count == 64,
      sha256.allSatisfy(\.isHexDigit),
      let principal = json["principal"]?.string, let role = json["role"]?.string,
      let commit = json["release"]?["commit"]?.string, let tree = json["release"]?["tree"]?.string,
      let repository = json["repository"]?.string, let signedAt = json["signed_at"]?.string,
      let summary = json["summary"]
    else { throw LedgerFormatError("the statement has a field of the wrong type") }
    self.init(
      evidence: evidence, fileName: fileName, fileSHA256: sha256, summary: try EvidenceSummary(json: summary),
      principal: principal, role: role, release: LedgerEvent.Release(commit: commit, tree: tree),
      repository: repository, signedAt: signedAt)
  }
}

extension EvidenceStatement: SignableStatement {
  public var kind: String { Self.kind }
  /// Evidence is not for an environment; its event records none either.
  public var environment: String { "" }
}

extension LedgerEvent {
  /// The signed statement of an `evidence` event.
  public var evidenceStatement: EvidenceStatement? {
    guard kind == .evidence, let json = details["statement"] else { return nil }
    return try? EvidenceStatement(json: json)
  }

  /// `ci@example.com records evaluation 96.0% (48 of 50 passed...) for abc1234`.
  func evidenceSubject(_ release: String) -> String {
    guard let statement = evidenceStatement else { return "\(actor) records evidence for\(release)" }
    return "\(actor) records \(statement.evidence) \(statement.summary.described) for\(release)"
  }
}
