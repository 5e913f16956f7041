/// What was wrong with an https server's certificate, in words a user can act on.
///
/// libgit2's mbedTLS backend reports a refused certificate as "the SSL certificate is invalid:
/// 0x08 - <mbedTLS's own sentences>", where the number holds mbedTLS's verification flags.
enum CertificateProblem {
  /// mbedTLS's `MBEDTLS_X509_BADCERT_*` flags promptgate explains.
  private static let expired: UInt32 = 0x01
  private static let revoked: UInt32 = 0x02
  private static let otherName: UInt32 = 0x04
  private static let untrusted: UInt32 = 0x08
  private static let notYetValid: UInt32 = 0x0200

  /// One line for libgit2's `message` about `host`'s certificate, or nil when it is not a
  /// certificate verification message.
  static func explain(_ message: String, host: String) -> String? {
    let marker = "the SSL certificate is invalid: 0x"
    guard let start = message.range(of: marker)?.upperBound else { return nil }
    let digits = message[start...].prefix { $0.isHexDigit }
    guard let flags = UInt32(digits, radix: 16) else { return nil }
    var problems: [String] = []
    if flags & untrusted != 0 {
      problems.append(
        "its certificate is not signed by a certificate authority promptgate trusts; if it comes from an "
          + "authority of your own, name that authority's certificate in GIT_SSL_CAINFO or http.sslCAInfo")
    }
    if flags & otherName != 0 {
      problems.append("its certificate is not issued for \(host); use the host name it names in the URL")
    }
    if flags & expired != 0 { problems.append("its certificate has expired") }
    if flags & notYetValid != 0 {
      problems.append("its certificate is not valid yet (is this machine's clock right?)")
    }
    if flags & revoked != 0 { problems.append("its certificate has been revoked") }
    let known = untrusted | otherName | expired | notYetValid | revoked
    if flags & ~known != 0 || problems.isEmpty {
      problems.append(
        "mbedTLS refused its certificate (\(message[start...].drop { $0.isHexDigit }.drop { $0 == " " || $0 == "-" }))"
      )
    }
    return "\(host) was not trusted: " + problems.joined(separator: "; ")
      + " (promptgate never skips this check)"
  }
}
