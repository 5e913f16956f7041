/// One problem found in a file, with the place it is and what to do about it.
///
/// Gates report diagnostics rather than throwing: a release with ten problems hears of all ten.
public struct Diagnostic: Sendable, Hashable, Encodable {
  public enum Severity: String, Sendable, Encodable {
    case error, warning, note
  }

  public let severity: Severity
  /// One sentence that names the problem and the fix.
  public let message: String
  /// The repository path of the file, when the problem is in one.
  public let file: String?
  public let location: SourceLocation?

  public init(
    _ severity: Severity, _ message: String, file: String? = nil, at location: SourceLocation? = nil
  ) {
    self.severity = severity
    self.message = message
    self.file = file
    self.location = location
  }

  /// `runbook.yaml:12:3: message`, as compilers print it; the file quoted as git quotes
  /// paths and the message safe to print, since both may hold text from the repository.
  public var formatted: String {
    var place = file.map(RepositoryText.quoted) ?? ""
    if let location, file != nil { place += ":\(location.line):\(location.column)" }
    let message = RepositoryText.safe(self.message)
    return place.isEmpty ? message : "\(place): \(message)"
  }

  enum CodingKeys: String, CodingKey {
    case severity, message, file, line, column
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(severity, forKey: .severity)
    try container.encode(message, forKey: .message)
    try container.encode(file, forKey: .file)
    try container.encode(location?.line, forKey: .line)
    try container.encode(location?.column, forKey: .column)
  }
}
