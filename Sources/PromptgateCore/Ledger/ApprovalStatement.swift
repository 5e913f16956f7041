/// What a reviewer signs (SPEC §4): a decision on one checkpoint of one release's content in
/// one environment of one repository, until a time. Signed as its canonical JSON bytes in the
/// SSHSIG namespace ``Statement/namespace`` (earlier versions: `promptgate-approval`).
public struct ApprovalStatement: Sendable, Hashable {
  public static let kind = "promptgate.approval/v1"

  public enum Decision: String, Sendable, Codable {
    case approve, reject
  }

  public let checkpoint: String
  public let comment: String
  public let decision: Decision
  public let environment: String
  public let expiresAt: String
  public let principal: String
  public let release: LedgerEvent.Release
  public let repository: String
  public let role: String
  public let signedAt: String

  public init(
    checkpoint: String, comment: String, decision: Decision, environment: String, expiresAt: String,
    principal: String, release: LedgerEvent.Release, repository: String, role: String, signedAt: String
  ) {
    self.checkpoint = checkpoint
    self.comment = comment
    self.decision = decision
    self.environment = environment
    self.expiresAt = expiresAt
    self.principal = principal
    self.release = release
    self.repository = repository
    self.role = role
    self.signedAt = signedAt
  }

  public var json: JSONValue {
    .object([
      "checkpoint": .string(checkpoint), "comment": .string(comment), "decision": .string(decision.rawValue),
      "environment": .string(environment), "expires_at": .string(expiresAt), "kind": .string(Self.kind),
      "principal": .string(principal), "release": release.json, "repository": .string(repository),
      "role": .string(role), "signed_at": .string(signedAt),
    ])
  }

  public init(json: JSONValue) throws(LedgerFormatError) {
    guard case .object(let members) = json else { throw LedgerFormatError("the statement is not an object") }
    let fields = [
      "checkpoint", "comment", "decision", "environment", "expires_at", "kind", "principal", "release",
      "repository",
      "role", "signed_at",
    ]
    guard Set(members.keys) == Set(fields) else {
      throw LedgerFormatError("the statement must have exactly the fields \(fields.joined(separator: ", "))")
    }
    guard json["kind"]?.string == Self.kind else {
      throw LedgerFormatError("the statement is not \(Self.kind)")
    }
    guard let checkpoint = json["checkpoint"]?.string, let comment = json["comment"]?.string,
      let decision = json["decision"]?.string.flatMap(Decision.init(rawValue:)),
      let environment = json["environment"]?.string, let expiresAt = json["expires_at"]?.string,
      let principal = json["principal"]?.string, let commit = json["release"]?["commit"]?.string,
      let tree = json["release"]?["tree"]?.string, let repository = json["repository"]?.string,
      let role = json["role"]?.string, let signedAt = json["signed_at"]?.string
    else { throw LedgerFormatError("the statement has a field of the wrong type") }
    self.init(
      checkpoint: checkpoint, comment: comment, decision: decision, environment: environment,
      expiresAt: expiresAt,
      principal: principal, release: LedgerEvent.Release(commit: commit, tree: tree), repository: repository,
      role: role, signedAt: signedAt)
  }
}
