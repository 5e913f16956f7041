extension StringProtocol {
  /// The text without the white space (spaces, tabs, line breaks, Unicode's other spaces) it
  /// starts or ends with.
  public var trimmingWhitespace: String {
    var slice = self[...]
    while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
    while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
    return String(slice)
  }

  /// The text cut or padded with spaces to `width` characters, for a column of plain text.
  public func padded(to width: Int) -> String {
    count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
  }

  /// True when `target` occurs in the text byte for byte in UTF-8, wherever character boundaries
  /// fall: a check for `..` or `*` must not miss one that a combining mark follows.
  public func containsLiteral(_ target: String) -> Bool {
    utf8.firstRange(of: target.utf8) != nil
  }

  /// Every occurrence of `target` replaced, matched byte for byte in UTF-8, not as characters:
  /// an escape must catch a `|` even where a combining mark follows it, and a `\r` even in a
  /// `\r\n` (each one Swift `Character`, which `replacing(_:with:)` would leave alone).
  public func replacingLiteral(_ target: String, with replacement: String) -> String {
    let target = Array(target.utf8)
    guard let first = target.first else { return String(self) }
    var out: [UInt8] = []
    let bytes = Array(utf8)
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      if bytes[index] == first, bytes.count - index >= target.count,
        bytes[index..<index + target.count].elementsEqual(target)
      {
        out += replacement.utf8
        index += target.count
      } else {
        out.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The pieces between occurrences of `separator`, matched byte for byte in UTF-8; empty
  /// pieces kept.
  public func splittingLiteral(_ separator: String) -> [String] {
    let separator = Array(separator.utf8)
    let bytes = Array(utf8)
    var pieces: [String] = []
    var start = 0
    var index = 0
    while index + separator.count <= bytes.count {
      if bytes[index..<index + separator.count].elementsEqual(separator) {
        pieces.append(String(decoding: bytes[start..<index], as: UTF8.self))
        index += separator.count
        start = index
      } else {
        index += 1
      }
    }
    pieces.append(String(decoding: bytes[start...], as: UTF8.self))
    return pieces
  }
}
