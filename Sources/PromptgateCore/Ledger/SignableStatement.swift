/// A statement a principal signs and the ledger records (SPEC §4): an approval or rejection,
/// an override, a move. What every kind shares, for the one path that records them and the
/// audit that re-checks them.
public protocol SignableStatement: Sendable {
  var kind: String { get }
  var principal: String { get }
  var role: String { get }
  var environment: String { get }
  var release: LedgerEvent.Release { get }
  var repository: String { get }
  var signedAt: String { get }
  var json: JSONValue { get }
}

extension SignableStatement {
  /// The bytes that are signed: the canonical JSON.
  public var signedBytes: [UInt8] { json.canonical }
}

extension ApprovalStatement: SignableStatement {
  public var kind: String { Self.kind }
}

extension OverrideStatement: SignableStatement {
  public var kind: String { Self.kind }
}

extension MoveStatement: SignableStatement {}

extension LedgerEvent {
  /// The signed statement this event carries, whichever kind it is.
  public var statement: (any SignableStatement)? {
    switch kind {
    case .approval, .rejection: approvalStatement
    case .override: overrideStatement
    case .release, .blocked, .rollback, .markBad: moveStatement
    case .evidence: evidenceStatement
    case .metrics, .review: nil
    }
  }
}
