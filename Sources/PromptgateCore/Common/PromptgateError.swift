/// A failure the user can act on: one line that names the file, the place and the fix, a typed
/// code that callers and tests match (never the wording, which is free to improve), and the
/// exit code that tells CI what kind of failure it was, derived from the code.
///
/// As git2-rs's `ErrorCode` and swift-subprocess's errors do, the code says what happened and
/// the message says it to a person. Throwing sites that predate the codes write
/// `.input("...")` or `PromptgateError(.blocked, "...")`: those still compile and get the
/// kind's general code.
public struct PromptgateError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The three outcomes CI tells apart by exit code (SPEC §6).
  public enum Kind: Sendable, Equatable {
    /// Bad flags, unknown revision, unreadable file, not a repository: exit 2.
    case input
    /// A gate or a verification failed, or there is nothing to roll back to: exit 1.
    case blocked
    /// Another writer moved the ledger or an environment first; nothing was written: exit 3.
    case conflict
  }

  /// What went wrong, for a caller to act on. Each code belongs to one kind.
  public enum Code: String, Sendable, Equatable, CaseIterable {
    // Exit 2: the input is wrong.
    /// Bad input of no more particular code.
    case invalidInput = "invalid-input"
    /// A revision, environment, remote, file or key that is not there.
    case notFound = "not-found"
    /// The folder is not inside a git repository.
    case notARepository = "not-a-repository"
    /// A ref's lock file is held by another writer, or left by one that crashed.
    case lockHeld = "lock-held"
    /// A signature made with the key given does not verify, so nothing was signed.
    case notSigned = "not-signed"

    // Exit 1: something refused the release or the move.
    /// A refusal of no more particular code.
    case refused
    /// The ledger no longer holds what this clone saw: rewritten, rolled back or cut.
    case ledgerRewritten = "ledger-rewritten"
    /// The signing key is not listed in the rules' allowed signers, or is revoked or expired.
    case untrustedSigner = "untrusted-signer"
    /// The signer holds none of the roles that may make this move.
    case roleMissing = "role-missing"
    /// There is nothing to roll back to, or the target is not a good release.
    case nothingToRollBack = "nothing-to-roll-back"

    // Exit 3: someone else wrote first.
    /// Another writer moved the ledger or an environment first; nothing was written.
    case concurrentWrite = "concurrent-write"

    /// The exit-code class of this code.
    public var kind: Kind {
      switch self {
      case .invalidInput, .notFound, .notARepository, .lockHeld, .notSigned: .input
      case .refused, .ledgerRewritten, .untrustedSigner, .roleMissing, .nothingToRollBack: .blocked
      case .concurrentWrite: .conflict
      }
    }
  }

  public let code: Code
  public let message: String

  /// The exit-code class, derived from ``code``.
  public var kind: Kind { code.kind }

  /// A failure of a particular code.
  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  /// A failure of a kind with no more particular code: `.input` is `.invalidInput`,
  /// `.blocked` is `.refused`, `.conflict` is `.concurrentWrite`.
  public init(_ kind: Kind, _ message: String) {
    switch kind {
    case .input: self.init(Code.invalidInput, message)
    case .blocked: self.init(Code.refused, message)
    case .conflict: self.init(Code.concurrentWrite, message)
    }
  }

  public static func input(_ message: String) -> PromptgateError {
    PromptgateError(Code.invalidInput, message)
  }

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
