/// What `promptgate sync` did: what it fetched, replayed and pushed, and where each environment's
/// mirrors stand. Encoded as `sync --format json`.
public struct SyncReport: Sendable, Encodable {
  public struct Fetch: Sendable, Encodable {
    /// The remote's ledger head as fetched; nil when the remote has no ledger yet.
    public let ledger: String?
    /// Events of the remote's ledger that are new to this clone.
    public let newEvents: Int

    enum CodingKeys: String, CodingKey {
      case ledger
      case newEvents = "new_events"
    }
  }

  /// A local event written again on top of the remote's ledger.
  public struct Replayed: Sendable, Encodable {
    public let sequence: Int
    public let previousSequence: Int
    public let commit: String
    public let summary: String

    enum CodingKeys: String, CodingKey {
      case sequence, commit, summary
      case previousSequence = "previous_sequence"
    }
  }

  public struct Push: Sendable, Encodable {
    /// The remote's ledger before (the lease); nil when it had none.
    public let from: String?
    public let to: String
  }

  /// An environment after the sync: what the ledger says is deployed, and what happened to its
  /// mirror here (`in-line`, `moved`, `missing`: the release is not in this clone, `locked`) and
  /// on the remote (`in-line`, `moved`, `left`: not moved, the next sync retries).
  public struct Environment: Sendable, Encodable {
    public let name: String
    public let deployed: String?
    public var local: String
    public var remote: String
  }

  /// The remote's name, or its URL when given one.
  public let remote: String
  public let url: String
  /// The reference that tracks the remote's ledger here.
  public let tracking: String
  /// The ledger's head here after the sync (equal to the remote's).
  public let ledger: String?
  public let fetched: Fetch
  public let replayed: [Replayed]
  public let pushed: Push?
  public let environments: [Environment]
  public let warnings: [String]

  public var outcome: String {
    if pushed != nil { return replayed.isEmpty ? "pushed" : "replayed-and-pushed" }
    return fetched.newEvents > 0 ? "fetched" : "up-to-date"
  }

  enum CodingKeys: String, CodingKey {
    case remote, url, tracking, ledger, fetched, replayed, pushed, environments, warnings, outcome
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(remote, forKey: .remote)
    try container.encode(url, forKey: .url)
    try container.encode(tracking, forKey: .tracking)
    try container.encode(ledger, forKey: .ledger)
    try container.encode(fetched, forKey: .fetched)
    try container.encode(replayed, forKey: .replayed)
    try container.encode(pushed, forKey: .pushed)
    try container.encode(environments, forKey: .environments)
    try container.encode(warnings, forKey: .warnings)
    try container.encode(outcome, forKey: .outcome)
  }
}
