import CGSSAPI
import Foundation
import Testing

/// libgit2's GSSAPI calls go through Sources/CGSSAPI, which loads MIT Kerberos' library the
/// first time one is made. Where the library is installed (libgit2-dev brings it on Debian), the
/// forwarding must reach it: a Negotiate server would otherwise be refused for nothing.
@Suite(
  .enabled(
    if: ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"].contains {
      FileManager.default.fileExists(atPath: $0 + "/libgssapi_krb5.so.2")
    }, "needs MIT Kerberos' libgssapi_krb5.so.2"))
struct LazyGSSAPITests {
  @Test func callsReachKerberosOnceLoaded() {
    #expect(promptgate_gssapi_available() == 1)
    // MIT Kerberos offers at least Kerberos 5 itself and SPNEGO.
    #expect(promptgate_gssapi_mechanism_count() >= 2)
  }
}
