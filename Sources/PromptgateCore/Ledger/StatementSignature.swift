import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The part of judging a signed ledger event that is the same for every kind (SPEC §4): the
/// event carries a signature, it is an SSH signature, made in promptgate's namespace for the
/// statement's kind, over the statement's canonical bytes, and not after the event was recorded
/// (time is the ledger's). Asked, in this one place, by the approval gate, the evidence gate, the
/// audit of moves, approvals and overrides, and the audit of metrics imports and reviews. Who may
/// sign — the key listed and not revoked, the role held — depends on the kind and is asked after,
/// of the signature this hands back.
enum StatementSignature {
  enum Refusal: Error, Equatable {
    case unsigned
    case unreadable
    case namespace(String)
    case forged
    case signedAfterRecording(signedAt: String, recorded: String)

    var message: String {
      switch self {
      case .unsigned: "it is not signed"
      case .unreadable: "event.sig is not an SSH signature"
      case .namespace(let namespace): "it is signed in the namespace \(namespace), not \(Statement.namespace)"
      case .forged: "its signature does not verify: the statement was changed after it was signed, or forged"
      case .signedAfterRecording(let signedAt, let recorded):
        "its statement says it was signed at \(signedAt), after it was recorded (\(recorded)): time is the "
          + "ledger's"
      }
    }
  }

  /// What the signature `record` carries says for a statement of `kind` whose canonical bytes
  /// are `signedBytes` and which says it was signed at `signedAt`; the event was recorded at
  /// `recorded` (its `time`).
  struct Checked {
    /// The signature, when it is readable (its key is shown even when it is refused).
    let signature: SSHSignature?
    /// Why it does not make the statement its key's; nil when it does.
    let refusal: Refusal?
  }

  static func check(
    _ record: Ledger.Record, kind: String, signedBytes: [UInt8], signedAt: String, recorded: Date
  ) -> Checked {
    guard let armored = record.signature else { return Checked(signature: nil, refusal: .unsigned) }
    guard let signature = try? SSHSignature(armored: armored) else {
      return Checked(signature: nil, refusal: .unreadable)
    }
    let refusal: Refusal? =
      if !Statement.accepts(signature.namespace, forKind: kind) {
        .namespace(signature.namespace)
      } else if !signature.verify(signedBytes, namespace: signature.namespace) {
        .forged
      } else if let signed = Timestamp.date(signedAt),
        signed <= recorded.addingTimeInterval(Statement.clockSkew)
      {
        nil
      } else {
        .signedAfterRecording(signedAt: signedAt, recorded: record.event.time)
      }
    return Checked(signature: signature, refusal: refusal)
  }

  /// ``check(_:kind:signedBytes:signedAt:recorded:)`` for a statement of any signable kind.
  static func check(_ record: Ledger.Record, _ statement: some SignableStatement, recorded: Date) -> Checked {
    check(
      record, kind: statement.kind, signedBytes: statement.signedBytes, signedAt: statement.signedAt,
      recorded: recorded)
  }
}
