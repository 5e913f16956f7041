/// Reads the SSH wire format (RFC 4251 §5): `uint32`, `string` and `mpint`, never trusting a
/// length it reads — a truncated or hostile blob throws instead of crashing or allocating.
struct SSHWireReader {
  private let bytes: [UInt8]
  private var offset = 0
  /// What is being read, for messages: "the signature", "the public key".
  let subject: String

  init(_ bytes: [UInt8], subject: String) {
    self.bytes = bytes
    self.subject = subject
  }

  var isAtEnd: Bool { offset == bytes.count }

  /// The bytes not read yet.
  var remaining: ArraySlice<UInt8> { bytes[offset...] }

  func malformed(_ detail: String = "is truncated or malformed") -> SSHKeyError {
    SSHKeyError("\(subject) \(detail)")
  }

  mutating func readByte() throws(SSHKeyError) -> UInt8 {
    guard offset < bytes.count else { throw malformed() }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func readUInt32() throws(SSHKeyError) -> UInt32 {
    let raw = try readBytes(4)
    return raw.reduce(0) { $0 << 8 | UInt32($1) }
  }

  mutating func readBytes(_ count: Int) throws(SSHKeyError) -> [UInt8] {
    guard count >= 0, count <= bytes.count - offset else { throw malformed() }
    defer { offset += count }
    return Array(bytes[offset..<offset + count])
  }

  /// A `string`: a length, then that many bytes.
  mutating func readString() throws(SSHKeyError) -> [UInt8] {
    let length = try readUInt32()
    guard length <= UInt32(bytes.count - offset) else { throw malformed() }
    return try readBytes(Int(length))
  }

  /// A `string` that must be UTF-8 without NUL, as OpenSSH's `sshbuf_get_cstring` demands.
  mutating func readText() throws(SSHKeyError) -> String {
    let raw = try readString()
    guard !raw.contains(0), let text = String(validating: raw, as: UTF8.self) else {
      throw malformed("holds a name that is not UTF-8 text")
    }
    return text
  }

  /// An `mpint` as its big-endian magnitude without leading zeros; negative numbers are refused
  /// (no SSH key or signature has one) and redundant zero bytes are accepted, as OpenSSH does.
  mutating func readMPInt() throws(SSHKeyError) -> [UInt8] {
    let raw = try readString()
    if let first = raw.first, first & 0x80 != 0 { throw malformed("holds a negative number") }
    return Array(raw.drop { $0 == 0 })
  }

  /// Throws unless everything was read: OpenSSH refuses trailing data, and so must we, or one
  /// key or signature would have many encodings.
  func expectEnd() throws(SSHKeyError) {
    guard isAtEnd else { throw malformed("has trailing data") }
  }
}

/// Writes the SSH wire format; the inverse of ``SSHWireReader``.
struct SSHWireWriter {
  private(set) var bytes: [UInt8] = []

  init() {}

  mutating func write(raw: some Sequence<UInt8>) {
    bytes.append(contentsOf: raw)
  }

  mutating func write(byte: UInt8) {
    bytes.append(byte)
  }

  mutating func write(uint32 value: UInt32) {
    bytes.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) })
  }

  mutating func write(string: some Collection<UInt8>) {
    write(uint32: UInt32(string.count))
    bytes.append(contentsOf: string)
  }

  mutating func write(text: String) {
    write(string: Array(text.utf8))
  }

  /// An `mpint` from a big-endian magnitude: leading zeros stripped, one zero byte added when
  /// the high bit is set so the number stays positive.
  mutating func write(mpint magnitude: some Collection<UInt8>) {
    let trimmed = Array(magnitude.drop { $0 == 0 })
    if let first = trimmed.first, first & 0x80 != 0 {
      write(string: [0] + trimmed)
    } else {
      write(string: trimmed)
    }
  }
}

/// Base64 as OpenSSH writes it, decoded strictly: only the canonical encoding of some bytes is
/// accepted, so two spellings can never smuggle in one key.
enum SSHBase64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  private static let values: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
    return table
  }()

  static func encode(_ bytes: some Sequence<UInt8>) -> String {
    let bytes = Array(bytes)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
      let chunk = bytes[index..<min(index + 3, bytes.count)]
      let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * $1.offset) }
      for position in 0..<4 {
        out.append(
          position <= chunk.count ? alphabet[Int(value >> (18 - 6 * position) & 0x3f)] : UInt8(ascii: "="))
      }
      index += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The bytes, or nil unless `text` is padded, canonical base64 without whitespace.
  static func decode(_ text: some StringProtocol) -> [UInt8]? {
    let chars = Array(text.utf8)
    guard chars.count % 4 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(chars.count / 4 * 3)
    var index = 0
    while index < chars.count {
      let quad = chars[index..<index + 4]
      let isLast = index + 4 == chars.count
      let padding = quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count
      guard padding <= 2, padding == 0 || isLast else { return nil }
      var value: UInt32 = 0
      for char in quad.prefix(4 - padding) {
        let digit = values[Int(char)]
        guard digit >= 0 else { return nil }
        value = value << 6 | UInt32(digit)
      }
      value <<= UInt32(6 * padding)
      let produced = 3 - padding
      let decoded = (0..<produced).map { UInt8(truncatingIfNeeded: value >> (16 - 8 * $0)) }
      out.append(contentsOf: decoded)
      index += 4
    }
    // Bits below the last byte must be zero, or several texts would decode to the same bytes.
    guard encode(out) == String(decoding: chars, as: UTF8.self) else { return nil }
    return out
  }
}
