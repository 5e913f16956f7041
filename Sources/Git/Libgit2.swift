import Clibgit2

/// libgit2 wants `git_libgit2_init` once before any call. A global `let` is initialised lazily
/// and exactly once, even under concurrency; the CLI never shuts libgit2 down (as git2-rs).
///
/// The system CA bundle libgit2 parses during init is put off until a connection needs it
/// (``CertificateAuthorities``): that parse is most of init's cost, and most commands never
/// connect anywhere.
///
/// Objects are not hashed again each time they are read, as git does not: an object's id is
/// computed from its content where it enters a repository (git's index-pack and libgit2's
/// indexer on clone, fetch and `promptgate sync`, with SHA-1 collision detection; a loose
/// object is named by the hash of what was written), and zlib checks what is inflated. Hashing
/// on every read (libgit2's default) only caught a repository's own files edited in place, by
/// someone who can already rewrite its refs; it was a seventh of the work of diffing a 1 MiB
/// prompt (SHA-1 with collision detection runs at ~300 MB/s).
private let libgit2Initialized: Bool = {
  CertificateAuthorities.shared.deferringSystemBundle { git_libgit2_init() }
  promptgate_verify_objects_on_read(0)
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
