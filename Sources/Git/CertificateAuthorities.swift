// Which certificate authorities libgit2 trusts, and the system CA bundle's parse put off until a
// connection needs it.
//
// Why: libgit2 built with mbedTLS (Debian's 1.5) parses the whole system CA bundle inside
// `git_libgit2_init`, about 9 ms of every promptgate command, although only a connection to an
// https remote ever uses it. libgit2 has no setting to skip or defer it.
//
// What was chosen, of the options weighed in issue 16:
// - Not removing the deferral: 9 ms is more than a whole 1-file `git diff --numstat -M` (3 ms),
//   and the goal is 2× that.
// - Not a C target: the C interposer of session 3 included git2.h without depending on Clibgit2
//   (so no pkg-config include path: it could not build against Homebrew's libgit2) and made a
//   second module talk to libgit2. Here the interposed function is Swift (`@_cdecl`) inside Git,
//   and the one variadic libgit2 call Swift cannot make is a `static inline` function of
//   Clibgit2's header, compiled into Git.
// - All state is under one lock, a ``Condition``, not Synchronization's Mutex: Mutex cannot
//   wait, and a connection must wait while another one still uses a chain that is about to be
//   replaced.
//
// How: `mbedtls_x509_crt_parse_file` is defined here. Where libgit2 and mbedTLS are shared
// libraries on Linux, the dynamic linker binds libgit2's call to the executable's definition
// (ordinary ELF interposition: the linker exports it because libgit2.so refers to it). Only the
// first call made by the thread running `git_libgit2_init`, during that call, is put off: the
// chain and the path are noted, nothing is parsed. Every other call, from any thread, goes
// straight to mbedTLS (`dlsym(RTLD_NEXT)`, resolved once, thread-safely). Before the first
// connection, ``CertificateAuthorities/use(_:)`` parses the bundle into that same chain, once,
// under the lock; the chain is replaced (GIT_OPT_SET_SSL_CERT_LOCATIONS frees the old one) only
// while no connection holds a lease on it.
//
// Elsewhere it is inert and correct: libgit2 with OpenSSL or SecureTransport never calls this
// function, macOS binds libgit2's calls within its two-level namespace, and init parses as usual.
// Should a connection ever be tried without the parse, the chain is empty and mbedTLS refuses
// every server certificate: the failure is closed.
//
// Where libgit2 and mbedTLS are linked in from their archives (the shipped binary, see
// scripts/static-libgit2.sh), there is no dynamic linker to interpose with, and a second
// definition would clash with mbedTLS's own: the build passes `--wrap=mbedtls_x509_crt_parse_file`
// to the linker, which sends libgit2's calls to `__wrap_mbedtls_x509_crt_parse_file` (defined
// here under PROMPTGATE_STATIC_MBEDTLS) and makes `__real_mbedtls_x509_crt_parse_file` mbedTLS's.
// Building with `-Xswiftc -DPROMPTGATE_NO_DEFERRED_CA_BUNDLE` leaves init to parse as usual.

import Clibgit2

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

#if PROMPTGATE_NO_DEFERRED_CA_BUNDLE || os(Windows)
#elseif PROMPTGATE_STATIC_MBEDTLS
  /// libgit2's call to mbedTLS, sent here by the linker's --wrap (see the top of this file). Not API.
  @_cdecl("__wrap_mbedtls_x509_crt_parse_file")
  public func _promptgateParseCertificateFile(
    _ chain: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?
  ) -> Int32 {
    CertificateAuthorities.shared.parseFile(chain, path)
  }
#else
  /// libgit2's call to mbedTLS during init lands here (see the top of this file). Not API.
  @_cdecl("mbedtls_x509_crt_parse_file")
  public func _promptgateParseCertificateFile(
    _ chain: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?
  ) -> Int32 {
    CertificateAuthorities.shared.parseFile(chain, path)
  }
#endif

#if PROMPTGATE_STATIC_MBEDTLS
  /// mbedTLS's own `mbedtls_x509_crt_parse_file`, linked in: the linker's --wrap names it.
  private let mbedTLSParseFile: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32)? =
    __real_mbedtls_x509_crt_parse_file
#else
  /// mbedTLS's own `mbedtls_x509_crt_parse_file`, the next definition after this executable's;
  /// a global `let`, so resolved once and safely under concurrency.
  private let mbedTLSParseFile: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32)? =
    {
      // RTLD_NEXT is ((void *) -1) on glibc, musl and Darwin; Swift does not import the macro.
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: -1), "mbedtls_x509_crt_parse_file") else {
        return nil
      }
      return unsafeBitCast(
        symbol, to: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32).self)
    }()
#endif

/// MBEDTLS_ERR_X509_FILE_IO_ERROR: what mbedTLS itself says when it cannot read the file.
private let fileIOError: Int32 = -0x2900

/// The process's one set of trusted certificate authorities (libgit2 keeps one per process) and
/// the connections using it.
final class CertificateAuthorities: @unchecked Sendable {
  static let shared = CertificateAuthorities()

  /// Everything below is read and written only with `lock` held.
  private let lock = Condition()
  /// The thread inside `git_libgit2_init`, while it is.
  private var initialising: pthread_t?
  /// The chain libgit2 installed at init, empty until parsed; nil once parsed or when nothing
  /// was put off.
  private var pendingChain: UnsafeMutableRawPointer?
  /// The system CA bundle libgit2 loads at init (put off), or nil when it was not seen.
  private var systemBundle: String?
  /// mbedTLS's error for the system bundle, once its parse failed.
  private var systemBundleError: Int32?
  /// What libgit2 trusts now: at first, the system's authorities.
  private var installed = TrustedCertificates()
  /// Connections that may be using the installed chain.
  private var connections = 0
  /// A thread is replacing the chain (outside the lock: libgit2 calls back into `parseFile`).
  private var replacing = false
  /// Threads waiting for the connections to end so they can replace the chain.
  private var waitingToReplace = 0

  /// Runs `git_libgit2_init` (`body`) with the system bundle's parse put off.
  func deferringSystemBundle(_ body: () -> Void) {
    locked { initialising = pthread_self() }
    body()
    locked { initialising = nil }
  }

  /// `mbedtls_x509_crt_parse_file`: noted, not parsed, when it is init's load of the system
  /// bundle; parsed by mbedTLS in every other case.
  func parseFile(_ chain: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    let deferred = locked { () -> Bool in
      guard let thread = initialising, pthread_equal(thread, pthread_self()) != 0, systemBundle == nil,
        let chain, let path
      else { return false }
      pendingChain = chain
      systemBundle = String(cString: path)
      return true
    }
    if deferred { return 0 }
    return mbedTLSParseFile?(chain, path) ?? fileIOError
  }

  /// A promise that libgit2 trusts exactly `wanted` until the lease is released (when it goes
  /// away): every connection holds one for as long as it may verify a certificate.
  final class Lease {
    fileprivate init() {}
    deinit { CertificateAuthorities.shared.release() }
  }

  /// Makes libgit2 trust `wanted`, waiting until no connection uses the chain it replaces, and
  /// leases it.
  func use(_ wanted: TrustedCertificates) throws(GitError) -> Lease {
    // Before the lock: where TLS's start is put off, the start takes it (TLSLibraryStart.swift).
    TLSLibrary.start()
    lock.lock()
    defer { lock.unlock() }
    parseSystemBundle()
    while true {
      if replacing {
        lock.wait()
      } else if installed == wanted {
        // One waiting to replace goes first, so a stream of connections cannot starve it.
        guard waitingToReplace == 0 else {
          lock.wait()
          continue
        }
        if wanted.isSystem, let systemBundleError { throw systemBundleFailure(systemBundleError) }
        connections += 1
        return Lease()
      } else if connections > 0 {
        waitingToReplace += 1
        lock.wait()
        waitingToReplace -= 1
      } else {
        if wanted.isSystem, let systemBundleError { throw systemBundleFailure(systemBundleError) }
        let from = installed
        let bundle = systemBundle
        replacing = true
        lock.unlock()
        let result = Result { () throws(GitError) in try wanted.replace(from, systemBundle: bundle) }
        lock.lock()
        replacing = false
        lock.broadcast()
        try result.get()
        installed = wanted
      }
    }
  }

  private func release() {
    locked {
      connections -= 1
      lock.broadcast()
    }
  }

  /// Parses the bundle init put off into the chain init installed, once; `lock` is held. Before
  /// any lease, whatever it is for: replacing the chain would free it while still noted here.
  private func parseSystemBundle() {
    guard let chain = pendingChain, let path = systemBundle else { return }
    pendingChain = nil
    let result = mbedTLSParseFile?(chain, path) ?? fileIOError
    if result < 0 { systemBundleError = result }
  }

  /// `body` with `lock` held.
  private func locked<Value>(_ body: () -> Value) -> Value {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  private func systemBundleFailure(_ code: Int32) -> GitError {
    GitError(
      code: code, errorClass: Int32(GIT_ERROR_SSL.rawValue),
      message: "could not read the trusted CA certificates in \(systemBundle ?? "the system's CA bundle") "
        + "(mbedTLS error -0x\(String(-code, radix: 16))); reinstall the ca-certificates package",
      remoteProblem: .misconfigured)
  }
}
