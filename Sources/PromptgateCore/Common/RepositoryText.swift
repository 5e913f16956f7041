/// Text that comes from the repository (paths, YAML keys and values, commit messages,
/// principals, reasons) made safe to print (SPEC §7): quoted as git quotes paths wherever it
/// holds a control character, a line or paragraph separator or bytes that are not UTF-8, so it
/// can never forge a line of output (a GitHub workflow command), move a terminal's cursor or
/// break a format. Every output format prints such text through here.
public enum RepositoryText {
  /// `path` as git prints it with `core.quotePath` off: as it is, or in double quotes with C
  /// escapes (`\t`, `\"`, `\\`, `\302\205`) where it holds a control character, a line or
  /// paragraph separator, a `"` or `\`, or bytes that are not UTF-8.
  public static func quoted(_ path: [UInt8]) -> String {
    var pieces: [(bytes: ArraySlice<UInt8>, scalar: Unicode.Scalar?)] = []
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = path.makeIterator()
    var offset = 0
    parsing: while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        pieces.append((path[offset..<offset + encoded.count], Unicode.UTF8.decode(encoded)))
        offset += encoded.count
      case .error(let length):
        pieces.append((path[offset..<offset + length], nil))
        offset += length
      case .emptyInput:
        break parsing
      }
    }
    func plain(_ scalar: Unicode.Scalar?) -> Bool {
      guard let value = scalar?.value else { return false }
      return value >= 0x20 && value != 0x7F && !(0x80...0x9F).contains(value) && value != 0x2028
        && value != 0x2029 && scalar != "\"" && scalar != "\\"
    }
    guard !pieces.allSatisfy({ plain($0.scalar) }) else { return String(decoding: path, as: UTF8.self) }
    var out = "\""
    for piece in pieces {
      if let scalar = piece.scalar, plain(scalar) {
        out.unicodeScalars.append(scalar)
      } else if let scalar = piece.scalar, scalar == "\"" || scalar == "\\" {
        out += "\\" + String(scalar)
      } else if let scalar = piece.scalar, let letter = namedEscapes[scalar] {
        out += "\\" + letter
      } else {
        out += octalEscapes(piece.bytes)
      }
    }
    return out + "\""
  }

  /// ``quoted(_:)-(Array<UInt8>)`` for a path held as text.
  public static func quoted(_ path: String) -> String { quoted(Array(path.utf8)) }

  /// Free text (a message, a value, a reason) as it is when it is safe to print, else quoted
  /// as a path is: a `"` or `\` alone does not quote it, only what could forge output.
  public static func safe(_ text: String) -> String {
    text.unicodeScalars.allSatisfy(isPrintable) ? text : quoted(text)
  }

  /// A message as one line that a terminal and a CI log show as written: each control
  /// character, line or paragraph separator escaped as in a quoted path (`\n`, `\033`), nothing
  /// else changed. Every error and warning goes through this: whatever text from a repository,
  /// an argument or a remote a message quotes, it cannot end the line and start a workflow
  /// command, or send a terminal an escape sequence.
  public static func line(_ text: String) -> String {
    guard !text.unicodeScalars.allSatisfy(isPrintable) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if isPrintable(scalar) {
        out.unicodeScalars.append(scalar)
      } else if let letter = namedEscapes[scalar] {
        out += "\\" + letter
      } else {
        out += octalEscapes(String(scalar).utf8)
      }
    }
    return out
  }

  /// The control characters C and git write by name.
  private static let namedEscapes: [Unicode.Scalar: String] = [
    "\u{07}": "a", "\u{08}": "b", "\t": "t", "\n": "n", "\u{0B}": "v", "\u{0C}": "f", "\r": "r",
  ]

  /// Each byte as git writes it in a quoted path: `\303`.
  private static func octalEscapes(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
      let octal = String(byte, radix: 8)
      return "\\" + String(repeating: "0", count: 3 - octal.count) + octal
    }.joined()
  }

  /// A relative path as a URI reference (RFC 3986): every byte but the unreserved characters
  /// and `/` percent-encoded, as SARIF's `artifactLocation.uri` must be.
  public static func uri(_ path: String) -> String {
    var out = ""
    for byte in path.utf8 {
      let character = Character(Unicode.Scalar(byte))
      if byte < 0x80, character.isLetter || character.isNumber || "-._~/".contains(character) {
        out.append(character)
      } else {
        out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
      }
    }
    return out
  }

  private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    return value >= 0x20 && value != 0x7F && !(0x80...0x9F).contains(value) && value != 0x2028
      && value != 0x2029
  }
}
