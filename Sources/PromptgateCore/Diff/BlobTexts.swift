import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The prompts and policies a diff read, as text, by blob id, for the gates that read them again
/// (versions, secrets). Reading a blob from a pack inflates its whole delta chain, so a second
/// read costs as much as the first. Also the prompts' front matters the diff parsed, by their
/// text, for the version gate: parsing them again was a twentieth of `check`. Filled by both of the
/// diff's threads; read afterwards.
final class BlobTexts: Sendable {
  /// Larger texts are not kept: read again rather than held twice.
  static let largest = 1 << 20

  /// False for a diff nothing reads again (`promptgate diff`): it keeps nothing, so its peak
  /// memory does not grow with the change.
  let isKeeping: Bool
  private let texts = Locked<[ObjectID: String]>([:])
  /// Keyed by the YAML itself: the same text always parses to the same document.
  private let documents = Locked<[String: StructuredValue?]>([:])

  init(keeping: Bool) {
    isKeeping = keeping
  }

  func keep(_ text: String, for id: ObjectID) {
    guard isKeeping, text.utf8.count <= Self.largest else { return }
    texts.withLock { $0[id] = text }
  }

  subscript(id: ObjectID) -> String? { texts.withLock { $0[id] } }

  /// Keeps what `yaml` parsed to (nil: an empty document); only documents that parsed are kept.
  func keep(_ document: StructuredValue?, parsedFrom yaml: String) {
    guard isKeeping, yaml.utf8.count <= Self.largest else { return }
    documents.withLock { $0[yaml] = .some(document) }
  }

  /// What `yaml` parsed to when the diff parsed it: `.some(nil)` for an empty document, nil
  /// when it was not kept (or did not parse).
  func document(parsedFrom yaml: String) -> StructuredValue?? {
    documents.withLock { $0[yaml] }
  }
}
