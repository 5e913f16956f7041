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

  /// Whether libgit2 hashes every object again as it reads it, and refuses one whose content is
  /// not its id's: its default, kept by the commands that vouch for the record or move an
  /// environment (`audit`, `status`, `release`, `rollback`, `export`, `report`, ...), which may
  /// run on the repository that is itself the record (a server's bare repository), where an
  /// object edited in place is the very tampering `audit verify` is there to find.
  ///
  /// `diff` and `check`, which CI runs on a fresh clone to read a release's files, turn it off,
  /// as git never hashes on read: an object's id is computed from its content where it enters a
  /// repository (git's index-pack and libgit2's indexer on clone and fetch, with SHA-1 collision
  /// detection; a pack carries no ids), and zlib checks what it inflates. The hashing was a
  /// seventh of the work of diffing a 1 MiB prompt (SHA-1 with collision detection runs at
  /// ~300 MB/s) and 5 % of `check`. Set before any object is read: it applies to the whole
  /// process.
  public static func verifiesObjectsOnRead(_ verifies: Bool) {
    ensureLibgit2()
    promptgate_verify_objects_on_read(verifies ? 1 : 0)
  }
}
