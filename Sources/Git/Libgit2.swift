import Clibgit2

/// libgit2 wants `git_libgit2_init` once before any call. A global `let` is initialised lazily
/// and exactly once, even under concurrency; the CLI never shuts libgit2 down (as git2-rs).
private let libgit2Initialized: Bool = {
  git_libgit2_init()
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
}
