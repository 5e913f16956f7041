import Clibgit2

/// libgit2 wants `git_libgit2_init` once before any call. A global `let` is initialised lazily
/// and exactly once, even under concurrency; the CLI never shuts libgit2 down (as git2-rs).
///
/// The system CA bundle libgit2 parses during init is put off until a connection needs it
/// (``CertificateAuthorities``): that parse is most of init's cost, and most commands never
/// connect anywhere.
private let libgit2Initialized: Bool = {
  CertificateAuthorities.shared.deferringSystemBundle { git_libgit2_init() }
  return true
}()

/// Makes sure libgit2 is initialised; every entry point into the Git module calls it.
func ensureLibgit2() {
  _ = libgit2Initialized
}

/// Process-wide libgit2 settings.
public enum Libgit2 {
  /// The version of the libgit2 library loaded at run time, as "1.5.1". It needs no init, so
  /// `promptgate --version` does not pay for one.
  public static var version: String {
    var major: Int32 = 0
    var minor: Int32 = 0
    var revision: Int32 = 0
    git_libgit2_version(&major, &minor, &revision)
    return "\(major).\(minor).\(revision)"
  }
}
