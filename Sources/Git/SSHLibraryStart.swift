// libssh2's start-up put off until an ssh connection needs it, in the shipped binary.
//
// Why: `git_libgit2_init` calls `libssh2_init(0)`, which starts OpenSSL's libcrypto for libssh2
// (`OPENSSL_init_crypto` loading its built-in engines): a tenth of a one-file diff, on every
// command, although only `sync` with an ssh remote and the known_hosts check ever open a libssh2
// session (docs/benchmarks.md, session 10). libgit2 has no setting to skip it.
//
// How: where libgit2 and libssh2 are linked in from their archives (scripts/static-libgit2.sh),
// the build passes `--wrap=libssh2_init --wrap=libssh2_session_init_ex` to the linker, which
// sends every call to those two from outside libssh2 here, and names libssh2's own
// `__real_libssh2_init` and `__real_libssh2_session_init_ex`. libgit2's `libssh2_init(0)` is
// noted and does nothing; the first session, from any thread, starts libssh2 first, once (a
// global `let`: Swift runs its initializer once, and other threads wait for it). Every libssh2
// call libgit2 and KnownHosts make needs a session, made through `libssh2_session_init_ex`; and
// libssh2 itself starts on its own where a session or its crypto needs it and it has not
// (`_libssh2_init_if_needed`, whose calls are inside libssh2 and not wrapped). libgit2's
// `libssh2_exit` at shutdown does nothing when libssh2 never started.
//
// Elsewhere (libgit2.so, or macOS) nothing here is built and libgit2 starts libssh2 as usual.

import Clibgit2

#if PROMPTGATE_STATIC_LIBSSH2
  /// libgit2's `libssh2_init` from `git_libgit2_init`, sent here by the linker's --wrap (see the
  /// top of this file): succeeds without starting anything. Not API.
  @_cdecl("__wrap_libssh2_init")
  public func _promptgateStartLibssh2(_ flags: Int32) -> Int32 {
    0
  }

  /// Every new libssh2 session, sent here by the linker's --wrap: starts libssh2 first, once.
  /// Not API.
  @_cdecl("__wrap_libssh2_session_init_ex")
  public func _promptgateNewLibssh2Session(
    _ allocate: UnsafeMutableRawPointer?, _ free: UnsafeMutableRawPointer?,
    _ reallocate: UnsafeMutableRawPointer?, _ abstract: UnsafeMutableRawPointer?
  ) -> OpaquePointer? {
    guard libssh2Started == 0 else { return nil }
    return __real_libssh2_session_init_ex(allocate, free, reallocate, abstract)
  }

  /// libssh2's own start-up, run by the first session (0: started).
  private let libssh2Started: Int32 = __real_libssh2_init(0)
#endif
