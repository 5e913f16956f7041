/// One approval or rejection in the ledger and whether it counts for a checkpoint, or exactly
/// which rule of SPEC §4 it fails.
public struct ApprovalVerdict: Sendable, Hashable, Codable {
  public let sequence: Int
  public let ledgerCommit: String
  public let principal: String
  public let decision: ApprovalStatement.Decision
  public let checkpoint: String
  public let signedAt: String
  public let keyFingerprint: String?
  public let comment: String
  /// True when this decision is the one that stands for its principal and every rule holds.
  public let counts: Bool
  /// The rule it fails, or why it no longer stands; nil when it counts.
  public let reason: String?
}
