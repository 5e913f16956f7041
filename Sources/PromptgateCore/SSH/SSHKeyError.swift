/// A key, signature or signer problem, told in one line that names the place and the fix, e.g.
/// "the key ~/.ssh/id_ed25519 is encrypted; sign with --signer ssh-keygen".
public struct SSHKeyError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }

  /// Text that came from an untrusted file, made safe to quote in a one-line message: control
  /// characters become `?` and anything long is cut, so a hostile key cannot forge output lines.
  static func quoted(_ text: String, limit: Int = 64) -> String {
    var result = ""
    for scalar in text.unicodeScalars.prefix(limit) {
      let printable = scalar.value >= 0x20 && scalar.value != 0x7f && !(0x80..<0xa0).contains(scalar.value)
      result.unicodeScalars.append(printable ? scalar : "?")
    }
    return text.unicodeScalars.count > limit ? result + "…" : result
  }
}
