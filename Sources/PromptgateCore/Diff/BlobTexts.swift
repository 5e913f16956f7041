import Foundation
import Git

/// The prompts and policies a diff read, as text, by blob id, for the gates that read them again
/// (versions, secrets). Reading a blob from a pack inflates its whole delta chain, so a second
/// read costs as much as the first. Filled by both of the diff's threads; read afterwards.
final class BlobTexts: @unchecked Sendable {
  /// Larger texts are not kept: read again rather than held twice.
  static let largest = 1 << 20

  /// False for a diff nothing reads again (`promptgate diff`): it keeps nothing, so its peak
  /// memory does not grow with the change.
  let isKeeping: Bool
  private let lock = NSLock()
  private var texts: [ObjectID: String] = [:]

  init(keeping: Bool) {
    isKeeping = keeping
  }

  func keep(_ text: String, for id: ObjectID) {
    guard isKeeping, text.utf8.count <= Self.largest else { return }
    lock.withLock { texts[id] = text }
  }

  subscript(id: ObjectID) -> String? { lock.withLock { texts[id] } }
}
