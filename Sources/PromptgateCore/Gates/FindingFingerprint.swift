import Crypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A name for one finding of one gate that stays the same from run to run while the problem
/// stays: code-scanning dashboards (SARIF's `partialFingerprints`) use it to tell a new alert
/// from one they already show, and to close it when it is gone.
///
/// It hashes the gate id, the file and the message, not the line: a finding keeps its name when
/// lines above it move. Commit ids in the message (`abc1234 was never deployed in staging`) are
/// left out for the same reason, and the `occurrence` tells apart the same finding twice in
/// one file (one secret pasted twice).
public enum FindingFingerprint {
  public static func of(gate: String, file: String?, message: String, occurrence: Int) -> String {
    let stable = message.replacing(/\b[0-9a-f]{7,64}\b/, with: "<commit>")
    let text = [gate, file ?? "", stable, String(occurrence)].joined(separator: "\u{0}")
    let digest = SHA256.hash(data: Data(text.utf8))
    return Hex.string(digest.prefix(16))
  }
}
