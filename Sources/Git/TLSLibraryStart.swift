// mbedTLS's start-up put off until an https connection needs it, in the shipped binary.
//
// Why: `git_libgit2_init` starts libgit2's mbedTLS stream (`git_mbedtls_stream_global_init`):
// the TLS configuration, and an entropy pool that Debian's mbedTLS fills with HAVEGE, a seventh
// of a one-file diff (docs/benchmarks.md, session 10), on every command, although only `sync`
// with an https remote ever connects. ``CertificateAuthorities`` already puts off the CA bundle
// that start-up would parse; this puts off the rest.
//
// How: where libgit2 and mbedTLS are linked in from their archives (scripts/static-libgit2.sh),
// the build passes `--wrap` for libgit2's four entry points into its mbedTLS stream, all called
// from other parts of libgit2: the start-up, which then does nothing; and making a stream,
// wrapping one, and setting the CA locations (GIT_OPT_SET_SSL_CERT_LOCATIONS), the only calls
// that use what the start-up made, which each start it first, once. The start runs as
// `git_libgit2_init` ran it, through ``CertificateAuthorities/deferringSystemBundle(_:)``, so
// the bundle's parse stays put off until ``CertificateAuthorities/use(_:)``, which starts TLS
// before it takes its lock (the start takes that lock too). Should the start fail, each of the
// three that need it fails with the start's result, as `git_libgit2_init` would have failed.
//
// Elsewhere (libgit2.so, or another TLS library) nothing here is built, ``start()`` does
// nothing, and `git_libgit2_init` starts TLS as usual.

import Clibgit2

enum TLSLibrary {
  /// Starts libgit2's TLS stream if its start was put off; nothing otherwise. Call without
  /// ``CertificateAuthorities``'s lock held.
  static func start() {
    #if PROMPTGATE_STATIC_MBEDTLS_START
      _ = mbedTLSStarted
    #endif
  }
}

#if PROMPTGATE_STATIC_MBEDTLS_START
  /// libgit2's mbedTLS start-up (0: started), run by the first of the calls below that needs it:
  /// a global `let` runs once, and other threads wait for it.
  private let mbedTLSStarted: Int32 = {
    ensureLibgit2()
    var result: Int32 = 0
    CertificateAuthorities.shared.deferringSystemBundle { result = __real_git_mbedtls_stream_global_init() }
    return result
  }()

  /// From `git_libgit2_init`, sent here by the linker's --wrap (see the top of this file):
  /// succeeds without starting anything. Not API.
  @_cdecl("__wrap_git_mbedtls_stream_global_init")
  public func _promptgateStartTLSStream() -> Int32 {
    0
  }

  /// A new TLS connection. Not API.
  @_cdecl("__wrap_git_mbedtls_stream_new")
  public func _promptgateNewTLSStream(
    _ stream: UnsafeMutableRawPointer?, _ host: UnsafePointer<CChar>?, _ port: UnsafePointer<CChar>?
  ) -> Int32 {
    guard mbedTLSStarted == 0 else { return mbedTLSStarted }
    return __real_git_mbedtls_stream_new(stream, host, port)
  }

  /// TLS over a stream already open (a proxy's). Not API.
  @_cdecl("__wrap_git_mbedtls_stream_wrap")
  public func _promptgateWrapInTLSStream(
    _ stream: UnsafeMutableRawPointer?, _ inner: UnsafeMutableRawPointer?, _ host: UnsafePointer<CChar>?
  ) -> Int32 {
    guard mbedTLSStarted == 0 else { return mbedTLSStarted }
    return __real_git_mbedtls_stream_wrap(stream, inner, host)
  }

  /// GIT_OPT_SET_SSL_CERT_LOCATIONS: replaces the chain the start-up made. Not API.
  @_cdecl("__wrap_git_mbedtls__set_cert_location")
  public func _promptgateSetCertificateLocations(
    _ file: UnsafePointer<CChar>?, _ folder: UnsafePointer<CChar>?
  ) -> Int32 {
    guard mbedTLSStarted == 0 else { return mbedTLSStarted }
    return __real_git_mbedtls__set_cert_location(file, folder)
  }
#endif
