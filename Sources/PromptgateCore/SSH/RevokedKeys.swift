/// Keys that may no longer sign, one public key a line as `ssh-keygen -Y verify -r` reads a
/// plain key list; `#` comments and blank lines are allowed.
///
/// Revocation is checked on the canonical key, so a key revoked in one spelling is revoked in
/// every other.
public struct RevokedKeys: Sendable {
  public let keys: Set<SSHPublicKey>

  public init(_ keys: some Sequence<SSHPublicKey> = [SSHPublicKey]()) {
    self.keys = Set(keys)
  }

  /// Parses the file; each bad line gives one diagnostic with its place, the good lines count.
  public static func parse(_ text: String, file: String) -> (RevokedKeys, [Diagnostic]) {
    // OpenSSH also accepts a binary key revocation list here; promptgate does not read those.
    if text.utf8.starts(with: Array("SSHKRL\n".utf8)) {
      let message = "binary key revocation lists are not supported; list revoked public keys one a line"
      return (
        RevokedKeys(), [Diagnostic(.error, message, file: file, at: SourceLocation(line: 1, column: 1))]
      )
    }
    var keys: [SSHPublicKey] = []
    var diagnostics: [Diagnostic] = []
    for (index, line) in KeyFileLines(text).enumerated() {
      var scanner = KeyLineScanner(line)
      guard !scanner.isEmptyOrComment else { continue }
      scanner.skipBlanks()
      do {
        keys.append(try scanner.publicKey())
      } catch {
        let location = SourceLocation(line: index + 1, column: error.column)
        diagnostics.append(Diagnostic(error.severity, error.message, file: file, at: location))
      }
    }
    return (RevokedKeys(keys), diagnostics)
  }

  public func contains(_ key: SSHPublicKey) -> Bool {
    keys.contains(key)
  }
}
