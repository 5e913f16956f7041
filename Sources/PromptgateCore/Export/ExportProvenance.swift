/// Where an exported release came from, as the ledger records it: the event that put it in the
/// environment and who signed that move, whether the release went in by an override (a
/// compliance exception), and the approvals that counted for it. `release.json` keeps it under
/// `provenance`, so whoever deploys the folder can tell, without the repository, on whose word
/// it runs:
///
/// ```json
/// "provenance": {
///   "approvals": [
///     { "checkpoint": "prompt-review", "key_fingerprint": "SHA256:…", "ledger_commit": "…",
///       "principal": "alice@example.com", "role": "prompt-owner", "sequence": 2,
///       "signed_at": "2026-11-26T10:00:00Z" }
///   ],
///   "base": { "commit": "…", "tree": "…" },
///   "event": {
///     "kind": "release", "ledger_commit": "…", "sequence": 4, "time": "2026-11-26T10:05:00Z",
///     "signer": { "key_fingerprint": "SHA256:…", "principal": "ci@example.com", "role": "release-bot" }
///   },
///   "note": null,
///   "override": false,
///   "override_reason": null,
///   "overridden_gates": [],
///   "released_by": null
/// }
/// ```
///
/// `base` is the release it was judged against, whose rules judged it (`null` for the
/// repository's first release, judged by its own): only checkpoints whose paths the change from
/// it touches need approvals, so a release promoted unchanged from staging lists none.
///
/// For a release brought back by a rollback, `event` is the rollback and `released_by` the
/// release or override that first let it into the environment; `base`, `override` and
/// `approvals` are that event's, not counted again, and `note` says so.
///
/// There is no `evidence` yet: promptgate records no evaluation results, and the lock names
/// nothing it cannot check.
public struct ExportProvenance: Sendable, Hashable {
  /// One event of the ledger and the principal who signed it.
  public struct Event: Sendable, Hashable {
    public let sequence: Int
    /// The id of the ledger commit that holds the event.
    public let ledgerCommit: String
    /// `release`, `override` or `rollback`.
    public let kind: LedgerEvent.Kind
    public let time: String
    public let signer: Signer
  }

  /// Who signed a move. An unsigned event of promptgate 0.1 names its actor, without role or key.
  public struct Signer: Sendable, Hashable {
    public let principal: String
    public let role: String?
    /// `SHA256:…` of the key that signed the statement.
    public let keyFingerprint: String?
  }

  /// An approval that counted for the release: it was recorded before the release event, for
  /// the release's content and environment, and met every rule of the runbook that judged it.
  public struct Approval: Sendable, Hashable {
    public let sequence: Int
    public let ledgerCommit: String
    public let principal: String
    public let checkpoint: String
    /// The role the checkpoint asks for, which the principal held under those rules.
    public let role: String
    public let signedAt: String
    public let keyFingerprint: String?
  }

  /// A break-glass release past failed gates: a compliance exception.
  public struct Override: Sendable, Hashable {
    /// The gates that failed and were overridden (`quarantine` for a release marked bad).
    public let gates: [String]
    public let reason: String
  }

  /// The event that made the release what the environment runs.
  public let event: Event
  /// For a rollback: the release or override that first let the release in; nil otherwise
  /// (the event itself let it in).
  public let releasedBy: Event?
  /// What the release (or, after a rollback, the release it went back to) was judged against;
  /// nil for the repository's first release.
  public let base: LedgerEvent.Release?
  /// Set when the release went in by an override.
  public let override: Override?
  /// Oldest first.
  public let approvals: [Approval]
  /// What a reader should know that the fields do not say: how a rollback's provenance was told.
  public let note: String?

  /// The `provenance` object of `release.json`. Every key is always present, `null` or empty
  /// where it does not apply, so a reader never has to guess what a missing key means.
  public var json: JSONValue {
    .object([
      "event": event.json,
      "released_by": releasedBy?.json ?? .null,
      "base": base?.json ?? .null,
      "override": .bool(override != nil),
      "overridden_gates": .array((override?.gates ?? []).map(JSONValue.string)),
      "override_reason": override.map { .string($0.reason) } ?? .null,
      "approvals": .array(approvals.map(\.json)),
      "note": note.map(JSONValue.string) ?? .null,
    ])
  }
}

extension ExportProvenance.Event {
  var json: JSONValue {
    .object([
      "sequence": .integer(Int64(sequence)), "ledger_commit": .string(ledgerCommit),
      "kind": .string(kind.rawValue), "time": .string(time), "signer": signer.json,
    ])
  }
}

extension ExportProvenance.Signer {
  var json: JSONValue {
    .object([
      "principal": .string(principal), "role": role.map(JSONValue.string) ?? .null,
      "key_fingerprint": keyFingerprint.map(JSONValue.string) ?? .null,
    ])
  }
}

extension ExportProvenance.Approval {
  var json: JSONValue {
    .object([
      "sequence": .integer(Int64(sequence)), "ledger_commit": .string(ledgerCommit),
      "principal": .string(principal), "checkpoint": .string(checkpoint), "role": .string(role),
      "signed_at": .string(signedAt), "key_fingerprint": keyFingerprint.map(JSONValue.string) ?? .null,
    ])
  }
}
