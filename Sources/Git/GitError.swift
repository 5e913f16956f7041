import Clibgit2

/// An error reported by libgit2: its return code, its error class and its message.
///
/// Built by ``check(_:)`` right after the C call that failed, because libgit2 keeps the last
/// error per thread and the next call may overwrite it.
public struct GitError: Error, Sendable, CustomStringConvertible {
  /// The libgit2 return codes promptgate acts on; everything else is `.other`.
  public enum Code: Sendable, Equatable {
    case notFound
    case exists
    case ambiguous
    case invalidSpec
    case peel
    case modified
    case locked
    case unbornBranch
    case owner
    /// A server's certificate or host key was not trusted.
    case certificate
    case other(Int32)

    init(_ raw: Int32) {
      switch raw {
      case GIT_ENOTFOUND.rawValue: self = .notFound
      case GIT_EEXISTS.rawValue: self = .exists
      case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
      case GIT_EINVALIDSPEC.rawValue: self = .invalidSpec
      case GIT_EPEEL.rawValue: self = .peel
      case GIT_EMODIFIED.rawValue: self = .modified
      case GIT_ELOCKED.rawValue: self = .locked
      case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
      case GIT_EOWNER.rawValue: self = .owner
      case GIT_ECERTIFICATE.rawValue: self = .certificate
      default: self = .other(raw)
      }
    }
  }

  public let code: Code
  /// The raw libgit2 return code (`GIT_ENOTFOUND` is -3, ...).
  public let rawCode: Int32
  /// The libgit2 error class (`GIT_ERROR_REFERENCE`, `GIT_ERROR_ODB`, ...); 0 when none was set.
  public let errorClass: Int32
  public let message: String

  /// True when `message` is promptgate's own and already says what to do (a refused
  /// certificate, a credential the remote asked for); false for libgit2's words.
  public let saysWhatToDo: Bool

  public init(code rawCode: Int32, errorClass: Int32, message: String, saysWhatToDo: Bool = false) {
    self.code = Code(rawCode)
    self.rawCode = rawCode
    self.errorClass = errorClass
    self.message = message
    self.saysWhatToDo = saysWhatToDo
  }

  public var description: String { message }

  /// Reads and clears libgit2's thread-local error for a call that returned `rawCode`.
  static func last(returned rawCode: Int32) -> GitError {
    defer { git_error_clear() }
    guard let error = git_error_last() else {
      return GitError(code: rawCode, errorClass: 0, message: "libgit2 call failed with code \(rawCode)")
    }
    let message = error.pointee.message.map { String(cString: $0) } ?? "libgit2 error \(rawCode)"
    return GitError(code: rawCode, errorClass: error.pointee.klass, message: message)
  }
}

/// Throws the thread's libgit2 error when `result` is negative; returns it otherwise.
@discardableResult
func check(_ result: Int32) throws(GitError) -> Int32 {
  guard result < 0 else { return result }
  throw GitError.last(returned: result)
}
