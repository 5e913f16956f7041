import CDeferredCertificates
import Clibgit2

/// libgit2 wants `git_libgit2_init` once before any call. A global `let` is initialised lazily
/// and exactly once, even under concurrency; the CLI never shuts libgit2 down (as git2-rs).
///
/// The system CA bundle libgit2 parses during init is put off until a connection needs it
/// (``Libgit2/loadCertificates()``): that parse is most of init's cost, and most commands never
/// connect anywhere.
private let libgit2Initialized: Bool = {
  promptgate_certificates_defer_begin()
  git_libgit2_init()
  promptgate_certificates_defer_end()
  return true
}()

/// Makes sure libgit2 is initialised; every entry point into the Git module calls it.
func ensureLibgit2() {
  _ = libgit2Initialized
}

/// Process-wide libgit2 settings.
public enum Libgit2 {
  /// The version of the libgit2 library loaded at run time, as "1.5.1".
  public static var version: String {
    ensureLibgit2()
    var major: Int32 = 0
    var minor: Int32 = 0
    var revision: Int32 = 0
    git_libgit2_version(&major, &minor, &revision)
    return "\(major).\(minor).\(revision)"
  }

  /// Parses the system CA bundle that init put off, so https remotes can be verified. Every
  /// connection to a remote calls this first; it does nothing after the first time. Without it
  /// the trusted chain is empty and every server certificate is refused, never accepted.
  static func loadCertificates() throws(GitError) {
    ensureLibgit2()
    var path: UnsafePointer<CChar>?
    let result = promptgate_certificates_load_deferred(&path)
    guard result == 0 else {
      let bundle = path.map { String(cString: $0) } ?? "the system's CA bundle"
      throw GitError(
        code: result, errorClass: Int32(GIT_ERROR_SSL.rawValue),
        message: "could not read the trusted CA certificates in \(bundle) (mbedTLS error "
          + "-0x\(String(-result, radix: 16))); reinstall the ca-certificates package",
        remoteProblem: .misconfigured)
    }
  }
}
