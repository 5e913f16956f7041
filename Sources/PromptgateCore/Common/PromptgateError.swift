/// A failure the user can act on: one line that names the file, the place and the fix, and the
/// exit code that tells CI what kind of failure it was.
public struct PromptgateError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// Bad flags, unknown revision, unreadable file, not a repository: exit 2.
    case input
    /// A gate or a verification failed, or there is nothing to roll back to: exit 1.
    case blocked
    /// Another writer moved the ledger or an environment first; nothing was written: exit 3.
    case conflict
  }

  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public static func input(_ message: String) -> PromptgateError { PromptgateError(.input, message) }

  /// The process exit code for this failure (SPEC §6).
  public var exitCode: Int32 {
    switch kind {
    case .input: 2
    case .blocked: 1
    case .conflict: 3
    }
  }

  public var description: String { message }
}
