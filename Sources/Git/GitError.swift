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

  /// What went wrong reaching a remote, typed, when this layer knows: callers word their
  /// own advice from it (which variables hold tokens, which URL to use); nil for libgit2's
  /// other failures.
  public let remoteProblem: RemoteProblem?

  public init(code rawCode: Int32, errorClass: Int32, message: String, remoteProblem: RemoteProblem? = nil) {
    self.code = Code(rawCode)
    self.rawCode = rawCode
    self.errorClass = errorClass
    self.message = message
    self.remoteProblem = remoteProblem
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

/// Why a connection to a remote failed, as far as this layer decided it (its policies) or
/// checked it (host keys, certificates, settings).
public enum RemoteProblem: Sendable, Equatable {
  /// The server redirected from one origin to another, which the ``RedirectPolicy`` refuses.
  case redirectRefused(from: String, to: String)
  /// After a redirect within the host, a different origin (another port) asked for
  /// credentials; they are offered only to the origin the URL names.
  case credentialsAfterRedirect(named: String, asking: String)
  /// The server refused every key ssh-agent offered, or no agent runs.
  case sshKeysRefused(url: String)
  /// The server asks for a user name and password and the provider has none.
  case passwordNeeded(url: String)
  /// The server refused the user name and password the provider gave.
  case passwordRefused(url: String)
  /// The server asks for a kind of credential this layer cannot give.
  case credentialKindUnsupported(url: String)
  /// An https server's certificate was refused, for these reasons.
  case certificateRefused(host: String, problems: [CertificateProblem])
  /// An ssh server's host key is not listed in the known_hosts files.
  case hostKeyUnknown(HostKey)
  /// An ssh server's host key is not the one the known_hosts files list for it: someone may be
  /// standing in for the server, or its key changed.
  case hostKeyChanged(HostKey)
  /// An ssh server's host key could not be checked (libssh2 could not start, or libgit2 gave no
  /// raw key); it is refused.
  case hostKeyUncheckable(host: String)
  /// A setting this layer reads (the certificate authorities, `http.extraHeader`) is wrong; the
  /// message names it and its fix.
  case misconfigured
}

/// An ssh server's host key as the known_hosts check saw it.
public struct HostKey: Sendable, Equatable {
  public let host: String
  public let port: Int
  /// `SHA256:…` as ssh prints it, or nil when libgit2 did not compute the hash.
  public let fingerprint: String?
  /// The key's size in bytes, to name a key without a fingerprint.
  public let size: Int

  public init(host: String, port: Int, fingerprint: String?, size: Int) {
    self.host = host
    self.port = port
    self.fingerprint = fingerprint
    self.size = size
  }

  /// The host as known_hosts spells it: `host`, or `[host]:port` off port 22.
  public var place: String { port == 22 ? host : "[\(host)]:\(port)" }
}

/// Throws the thread's libgit2 error when `result` is negative; returns it otherwise.
@discardableResult
func check(_ result: Int32) throws(GitError) -> Int32 {
  guard result < 0 else { return result }
  throw GitError.last(returned: result)
}
