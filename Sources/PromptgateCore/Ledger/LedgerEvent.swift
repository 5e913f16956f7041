/// One event of the ledger (SPEC §3): who did what, when, to which release in which
/// environment. Stored as canonical JSON in `event.json` of its own commit.
public struct LedgerEvent: Sendable, Hashable {
  public enum Kind: String, Sendable, CaseIterable, Codable {
    case release, blocked, rollback, approval, rejection, override
    case markBad = "mark-bad"
    /// Evaluation or test results bound to a release's content (SPEC §6 `evidence record`).
    case evidence
    /// The improvement layer: measurements brought in, and a service review held.
    case metrics, review

    /// Events that do not depend on the ledger's state and so may be re-parented onto a ledger
    /// another writer moved: approvals, rejections and evidence.
    public var isIndependent: Bool { self == .approval || self == .rejection || self == .evidence }
  }

  /// A release by its commit and its content.
  public struct Release: Sendable, Hashable, Codable {
    public let commit: String
    public let tree: String

    public init(commit: String, tree: String) {
      self.commit = commit
      self.tree = tree
    }

    var json: JSONValue { .object(["commit": .string(commit), "tree": .string(tree)]) }
  }

  public let kind: Kind
  /// 1 for the first event; always the previous event's plus one.
  public let sequence: Int
  /// When, as RFC 3339 UTC with seconds: `2026-11-26T10:00:00Z`.
  public let time: String
  /// The principal of a signed event, or `Name <email>` of whoever ran promptgate.
  public let actor: String
  public let environment: String?
  public let release: Release?
  /// The gated repository: the id of its root commit.
  public let repository: String
  /// What only this kind carries: the signed statement of an approval, the gate results of a
  /// release, the reason of a rollback...
  public let details: [String: JSONValue]

  public init(
    kind: Kind, sequence: Int, time: String, actor: String, environment: String?, release: Release?,
    repository: String, details: [String: JSONValue] = [:]
  ) {
    self.kind = kind
    self.sequence = sequence
    self.time = time
    self.actor = actor
    self.environment = environment
    self.release = release
    self.repository = repository
    self.details = details
  }

  /// The event as a JSON object; `canonical` bytes of this are `event.json`.
  public var json: JSONValue {
    .object([
      "kind": .string(kind.rawValue), "sequence": .integer(Int64(sequence)), "time": .string(time),
      "actor": .string(actor), "environment": environment.map(JSONValue.string) ?? .null,
      "release": release?.json ?? .null, "repository": .string(repository), "details": .object(details),
    ])
  }

  /// Reads an event back from its JSON, refusing anything malformed.
  public init(json: JSONValue) throws(LedgerFormatError) {
    guard case .object(let members) = json else { throw LedgerFormatError("event.json is not an object") }
    let known: Set<String> = [
      "kind", "sequence", "time", "actor", "environment", "release", "repository", "details",
    ]
    if let unknown = members.keys.first(where: { !known.contains($0) }) {
      throw LedgerFormatError("event.json has an unknown field `\(unknown)`")
    }
    guard let kindName = json["kind"]?.string, let kind = Kind(rawValue: kindName) else {
      throw LedgerFormatError("event.json has no known `kind`")
    }
    guard let sequence = json["sequence"]?.integer, sequence > 0 else {
      throw LedgerFormatError("event.json has no positive `sequence`")
    }
    guard let time = json["time"]?.string, let actor = json["actor"]?.string,
      let repository = json["repository"]?.string
    else { throw LedgerFormatError("event.json lacks `time`, `actor` or `repository`") }
    var release: Release?
    if let value = json["release"], value != .null {
      guard let commit = value["commit"]?.string, let tree = value["tree"]?.string else {
        throw LedgerFormatError("event.json has a `release` without commit and tree")
      }
      release = Release(commit: commit, tree: tree)
    }
    guard case .object(let details)? = json["details"] else {
      throw LedgerFormatError("event.json has no `details` object")
    }
    self.init(
      kind: kind, sequence: Int(sequence), time: time, actor: actor, environment: json["environment"]?.string,
      release: release, repository: repository, details: details)
  }

  /// The one-line commit message, so `git log refs/promptgate/ledger` reads as an audit trail.
  public var summary: String {
    let release = self.release.map { " \($0.commit.prefix(7))" } ?? ""
    let environment = self.environment.map { " in \($0)" } ?? ""
    let subject: String
    switch kind {
    case .approval, .rejection:
      let verb = kind == .approval ? "approves" : "rejects"
      let checkpoint = decidedCheckpoint ?? "?"
      subject = "\(actor) \(verb) \(checkpoint) for\(release)\(environment)"
    case .release: subject = "\(actor) releases\(release)\(environment)"
    case .blocked: subject = "\(actor) was blocked releasing\(release)\(environment)"
    case .rollback: subject = "\(actor) rolls back\(environment) to\(release)"
    case .override: subject = "\(actor) overrides the gates for\(release)\(environment)"
    case .markBad: subject = "\(actor) marks\(release) bad\(environment)"
    case .evidence: subject = evidenceSubject(release)
    case .metrics, .review: subject = improvementSubject
    }
    return "#\(sequence) \(kind.rawValue): \(subject)"
  }
}

/// An event's stored form is wrong.
public struct LedgerFormatError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
