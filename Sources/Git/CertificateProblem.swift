/// Why an https server's certificate was refused, read from libgit2's message.
///
/// libgit2's mbedTLS backend reports a refused certificate as "the SSL certificate is invalid:
/// 0x08 - <mbedTLS's own sentences>", where the number holds mbedTLS's verification flags.
/// This layer reads the flags; what to tell the user is the caller's (``RemoteProblem``).
public enum CertificateProblem: Sendable, Equatable {
  /// Not signed by an authority in the trusted set.
  case untrustedAuthority
  /// Issued for another name than the host.
  case wrongHost
  case expired
  case notYetValid
  case revoked
  /// Another refusal, in mbedTLS's words.
  case other(String)

  /// mbedTLS's `MBEDTLS_X509_BADCERT_*` flags.
  private static let expiredFlag: UInt32 = 0x01
  private static let revokedFlag: UInt32 = 0x02
  private static let otherNameFlag: UInt32 = 0x04
  private static let untrustedFlag: UInt32 = 0x08
  private static let notYetValidFlag: UInt32 = 0x0200

  /// The problems libgit2's `message` reports, or nil when it is not a certificate
  /// verification message.
  static func read(_ message: String) -> [CertificateProblem]? {
    let marker = "the SSL certificate is invalid: 0x"
    guard let start = message.firstRange(of: marker)?.upperBound else { return nil }
    let digits = message[start...].prefix { $0.isHexDigit }
    guard let flags = UInt32(digits, radix: 16) else { return nil }
    var problems: [CertificateProblem] = []
    if flags & untrustedFlag != 0 { problems.append(.untrustedAuthority) }
    if flags & otherNameFlag != 0 { problems.append(.wrongHost) }
    if flags & expiredFlag != 0 { problems.append(.expired) }
    if flags & notYetValidFlag != 0 { problems.append(.notYetValid) }
    if flags & revokedFlag != 0 { problems.append(.revoked) }
    let known = untrustedFlag | otherNameFlag | expiredFlag | notYetValidFlag | revokedFlag
    if flags & ~known != 0 || problems.isEmpty {
      problems.append(
        .other(String(message[start...].drop { $0.isHexDigit }.drop { $0 == " " || $0 == "-" })))
    }
    return problems
  }
}
