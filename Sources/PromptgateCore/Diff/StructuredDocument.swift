/// Parses YAML (and JSON, which YAML reads) into a ``StructuredValue``, safely.
///
/// Hostile input gets a ``DocumentError``, never a hang or a crash: documents are capped in
/// size, alias expansion is capped in nodes (billion laughs), nesting is capped in depth, and
/// ``YAMLReader`` keeps its own stack, so deep input cannot overflow the caller's.
public enum StructuredDocument {
  /// Limits that keep one document from costing more than a reviewer would ever write.
  public struct Limits: Sendable {
    public var maxBytes: Int
    public var maxNodes: Int
    public var maxDepth: Int

    public init(maxBytes: Int = 4 << 20, maxNodes: Int = 1_000_000, maxDepth: Int = 200) {
      self.maxBytes = maxBytes
      self.maxNodes = maxNodes
      self.maxDepth = maxDepth
    }
  }

  /// Parses the first document of `text`; nil for an empty document.
  public static func parse(_ text: String, limits: Limits = Limits()) throws(DocumentError)
    -> StructuredValue?
  {
    guard text.utf8.count <= limits.maxBytes else {
      throw DocumentError(
        message: "is \(text.utf8.count / 1024) KiB; promptgate reads documents up to "
          + "\(limits.maxBytes / 1024) KiB", location: nil)
    }
    return try YAMLReader.read(text, limits: limits)
  }
}

/// Why a YAML or JSON document could not be read, and where.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, phrased to follow the file name: "is not valid YAML: ...".
  public let message: String
  public let location: SourceLocation?

  public init(message: String, location: SourceLocation?) {
    self.message = message
    self.location = location
  }

  public var description: String {
    location.map { "\($0): \(message)" } ?? message
  }
}
