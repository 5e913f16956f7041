/// What the holder of a role signs to move an environment (SPEC §3): a release (or an attempt
/// its gates blocked), a rollback, or a mark-bad. Signed as its canonical JSON bytes in the
/// namespace ``Statement/namespace``; every field is always present, `null` where a kind has
/// nothing to say, so the signed bytes never depend on who wrote the JSON.
public struct MoveStatement: Sendable, Hashable {
  public static let kinds: [MoveKind: String] = [
    .release: "promptgate.release/v1", .rollback: "promptgate.rollback/v1",
    .markBad: "promptgate.mark-bad/v1",
  ]

  /// A release's verdict as the signer saw it: it went in, or its gates blocked it.
  public enum Outcome: String, Sendable {
    case release, blocked
  }

  /// What judged a release: a content gate whose verdict differs only because promptgate
  /// changed is a notice naming both versions, never a forgery (SPEC §7).
  public struct JudgedBy: Sendable, Hashable {
    public let version: String
    public let gatePack: String

    public init(version: String, gatePack: String) {
      self.version = version
      self.gatePack = gatePack
    }
  }

  public let move: MoveKind
  public let environment: String
  /// The release moved to: the one released, the rollback's target, the one marked bad.
  public let release: LedgerEvent.Release
  public let repository: String
  public let principal: String
  public let role: String
  public let signedAt: String
  /// What the environment ran when the move was decided; nil when it ran nothing.
  public let replaces: LedgerEvent.Release?
  /// A release's base: what its gates compared it with and whose rules judged it.
  public let base: LedgerEvent.Release?
  public let outcome: Outcome?
  public let reason: String?
  public let incident: String?
  public let incidentStart: String?
  public let judgedBy: JudgedBy?

  public init(
    move: MoveKind, environment: String, release: LedgerEvent.Release, repository: String, principal: String,
    role: String, signedAt: String, replaces: LedgerEvent.Release?, base: LedgerEvent.Release? = nil,
    outcome: Outcome? = nil, reason: String? = nil, incident: String? = nil, incidentStart: String? = nil,
    judgedBy: JudgedBy? = nil
  ) {
    precondition(move != .override, "an override is an OverrideStatement")
    self.move = move
    self.environment = environment
    self.release = release
    self.repository = repository
    self.principal = principal
    self.role = role
    self.signedAt = signedAt
    self.replaces = replaces
    self.base = base
    self.outcome = outcome
    self.reason = reason
    self.incident = incident
    self.incidentStart = incidentStart
    self.judgedBy = judgedBy
  }

  public var kind: String { Self.kinds[move] ?? "" }

  public var json: JSONValue {
    func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    return .object([
      "kind": .string(kind), "environment": .string(environment), "release": release.json,
      "repository": .string(repository), "principal": .string(principal), "role": .string(role),
      "signed_at": .string(signedAt), "replaces": replaces?.json ?? .null, "base": base?.json ?? .null,
      "outcome": optional(outcome?.rawValue), "reason": optional(reason), "incident": optional(incident),
      "incident_start": optional(incidentStart),
      "judged_by": judgedBy.map {
        .object(["promptgate": .string($0.version), "gate_pack": .string($0.gatePack)])
      } ?? .null,
    ])
  }

  private static let fields: Set<String> = [
    "kind", "environment", "release", "repository", "principal", "role", "signed_at", "replaces", "base",
    "outcome", "reason", "incident", "incident_start", "judged_by",
  ]

  public init(json: JSONValue) throws(LedgerFormatError) {
    guard case .object(let members) = json else { throw LedgerFormatError("the statement is not an object") }
    guard Set(members.keys) == Self.fields else {
      throw LedgerFormatError(
        "the statement must have exactly the fields \(Self.fields.sorted().joined(separator: ", "))")
    }
    guard let kind = json["kind"]?.string, let move = Self.kinds.first(where: { $0.value == kind })?.key
    else {
      throw LedgerFormatError(
        "the statement is not one of \(Self.kinds.values.sorted().joined(separator: ", "))")
    }
    func release(_ key: String) throws(LedgerFormatError) -> LedgerEvent.Release? {
      guard let value = json[key], value != .null else { return nil }
      guard let commit = value["commit"]?.string, let tree = value["tree"]?.string else {
        throw LedgerFormatError("the statement's `\(key)` needs commit and tree")
      }
      return LedgerEvent.Release(commit: commit, tree: tree)
    }
    func text(_ key: String) throws(LedgerFormatError) -> String? {
      guard let value = json[key], value != .null else { return nil }
      guard let text = value.string else { throw LedgerFormatError("the statement's `\(key)` is not text") }
      return text
    }
    guard let environment = json["environment"]?.string, let released = try release("release"),
      let repository = json["repository"]?.string, let principal = json["principal"]?.string,
      let role = json["role"]?.string, let signedAt = json["signed_at"]?.string
    else { throw LedgerFormatError("the statement has a field of the wrong type") }
    var outcome: Outcome?
    if let name = try text("outcome") {
      guard let known = Outcome(rawValue: name) else {
        throw LedgerFormatError("the statement's outcome `\(name)` is neither release nor blocked")
      }
      outcome = known
    }
    guard (move == .release) == (outcome != nil) else {
      throw LedgerFormatError("only a release statement has an outcome, and it must")
    }
    var judgedBy: JudgedBy?
    if let value = json["judged_by"], value != .null {
      guard let version = value["promptgate"]?.string, let pack = value["gate_pack"]?.string else {
        throw LedgerFormatError("the statement's `judged_by` needs promptgate and gate_pack")
      }
      judgedBy = JudgedBy(version: version, gatePack: pack)
    }
    self.init(
      move: move, environment: environment, release: released, repository: repository, principal: principal,
      role: role, signedAt: signedAt, replaces: try release("replaces"), base: try release("base"),
      outcome: outcome, reason: try text("reason"), incident: try text("incident"),
      incidentStart: try text("incident_start"), judgedBy: judgedBy)
  }
}
