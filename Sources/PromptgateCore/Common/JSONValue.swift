/// A JSON value with one canonical serialization, so signed statements and ledger events hash
/// and verify byte for byte: keys sorted by their UTF-8 bytes, no insignificant whitespace,
/// integers only, strings escaped minimally (`"`, `\`, and control characters).
public indirect enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case integer(Int64)
  /// A number with a fraction or an exponent: only from ``init(parsing:fractions:)`` with
  /// fractions allowed (test runners' result files). Events, statements and caches never hold
  /// one: their parser refuses fractions.
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var integer: Int64? {
    if case .integer(let value) = self { return value }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The canonical bytes.
  public var canonical: [UInt8] {
    var out: [UInt8] = []
    write(into: &out)
    return out
  }

  public var canonicalString: String { String(decoding: canonical, as: UTF8.self) }

  private func write(into out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
    case .integer(let value): out.append(contentsOf: String(value).utf8)
    case .number(let value): out.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
    case .string(let value): Self.writeString(value, into: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        item.write(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
      for (index, member) in sorted.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        Self.writeString(member.key, into: &out)
        out.append(UInt8(ascii: ":"))
        member.value.write(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// `value` quoted: `"` and `\` escaped, control characters as `\b`, `\f`, `\n`, `\r`, `\t` or
  /// `\u00XX`, every other byte as it is. The runs between escapes are copied whole: a diff's
  /// JSON holds whole patches and prompts.
  static func writeString(_ value: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { bytes in
      var start = 0
      var index = 0
      while index < bytes.count {
        if index + 8 <= bytes.count,
          !mayNeedEscape(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
        {
          index += 8
          continue
        }
        let byte = bytes[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
          index += 1
          continue
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        index += 1
        start = index
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
          out.append(contentsOf: "u00".utf8)
          out.append(hexDigits[Int(byte >> 4)])
          out.append(hexDigits[Int(byte & 0xF)])
        }
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }
    out.append(UInt8(ascii: "\""))
  }

  /// True when one of the eight bytes of `word` may need an escape (below 0x20, `"` or `\`):
  /// the bytes are tested eight at a time (a diff's JSON is mostly prose that needs none) with
  /// the bit tricks "has a byte less than n" and "has a zero byte" (Anderson, Bit Twiddling
  /// Hacks), exact when there is none.
  private static func mayNeedEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
    let hasControl = (word &- ones &* 0x20) & ~word & highs != 0
    return hasControl || hasZero(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
      || hasZero(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
  }
}

extension JSONValue {
  /// Parses strict JSON: one value, no duplicate keys, integers only (events carry no
  /// fractions), at most 64 levels deep. With `fractions`, numbers with a fraction or an
  /// exponent are read as ``number(_:)`` and values may nest 512 levels (test runners' result
  /// files, which carry durations and whatever a model answered).
  public init(parsing bytes: [UInt8], fractions: Bool = false) throws(JSONParseError) {
    var parser = JSONParser(bytes: bytes, fractions: fractions)
    parser.skipWhitespace()
    self = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
  }
}

/// Why a JSON text was refused, and at which byte.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public let offset: Int
  public var description: String { "\(message) at byte \(offset)" }
}

private struct JSONParser {
  let bytes: [UInt8]
  let fractions: Bool
  let maxDepth: Int
  var index = 0

  init(bytes: [UInt8], fractions: Bool) {
    self.bytes = bytes
    self.fractions = fractions
    maxDepth = fractions ? 512 : 64
  }

  func error(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: index) }

  mutating func skipWhitespace() {
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
  }

  mutating func expect(_ literal: String) throws(JSONParseError) {
    for byte in literal.utf8 {
      guard index < bytes.count, bytes[index] == byte else { throw error("expected \(literal)") }
      index += 1
    }
  }

  mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth < maxDepth else { throw error("nested too deeply") }
    guard index < bytes.count else { throw error("unexpected end") }
    switch bytes[index] {
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "["):
      index += 1
      var items: [JSONValue] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      while true {
        skipWhitespace()
        items.append(try value(depth: depth + 1))
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end in an array") }
        if bytes[index] == UInt8(ascii: "]") {
          index += 1
          return .array(items)
        }
        try expect(",")
      }
    case UInt8(ascii: "{"):
      index += 1
      var members: [String: JSONValue] = [:]
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      while true {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
        let key = try string()
        guard members[key] == nil else { throw error("duplicate key \"\(key)\"") }
        skipWhitespace()
        try expect(":")
        skipWhitespace()
        members[key] = try value(depth: depth + 1)
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end in an object") }
        if bytes[index] == UInt8(ascii: "}") {
          index += 1
          return .object(members)
        }
        try expect(",")
      }
    default:
      return try number()
    }
  }

  mutating func number() throws(JSONParseError) -> JSONValue {
    let start = index
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
    skipDigits()
    if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
      guard fractions else { throw error("only whole numbers are allowed") }
      return .number(try fraction(from: start))
    }
    let digits = String(decoding: bytes[start..<index], as: UTF8.self)
    if let value = Int64(digits) { return .integer(value) }
    // Too large for 64 bits: as a number, where numbers may be (a result file's byte count).
    if fractions, digits.contains(where: \.isNumber), let value = Double(digits) { return .number(value) }
    index = start
    throw error("expected a value")
  }

  /// The rest of a number with a fraction or an exponent, as JSON spells one.
  private mutating func fraction(from start: Int) throws(JSONParseError) -> Double {
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard skipDigits() > 0 else { throw error("expected digits after the decimal point") }
    }
    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard skipDigits() > 0 else { throw error("expected digits in the exponent") }
    }
    guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
      index = start
      throw error("expected a number")
    }
    return value
  }

  @discardableResult
  private mutating func skipDigits() -> Int {
    let start = index
    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
    return index - start
  }

  mutating func string() throws(JSONParseError) -> String {
    index += 1
    // Most strings have no escape: find the closing quote and take the bytes between at once
    // (the ledger index holds strings of hundreds of kilobytes).
    var end = index
    while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"),
      bytes[end] >= 0x20
    {
      end += 1
    }
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      guard let text = String(validating: bytes[index..<end], as: UTF8.self) else {
        throw error("a string is not UTF-8")
      }
      index = end + 1
      return text
    }
    var out: [UInt8] = Array(bytes[index..<end])
    index = end
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        guard let text = String(validating: out, as: UTF8.self) else { throw error("a string is not UTF-8") }
        return text
      case UInt8(ascii: "\\"):
        guard index < bytes.count else { throw error("unexpected end in a string") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800..<0xDC00).contains(scalar) {
            try expect("\\u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw error("an invalid \\u escape") }
          out += Array(String(Character(unicode)).utf8)
        default: throw error("an invalid escape")
        }
      case 0..<0x20:
        throw error("a control character in a string")
      default:
        out.append(byte)
      }
    }
    throw error("unexpected end in a string")
  }

  mutating func hex4() throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count,
      let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
    else { throw error("an invalid \\u escape") }
    index += 4
    return value
  }
}

extension JSONValue {
  /// The same keys and values as `canonical`, indented by two spaces a level for people to read.
  public var pretty: String {
    var out: [UInt8] = []
    writePretty(into: &out, indent: 0)
    out.append(UInt8(ascii: "\n"))
    return String(decoding: out, as: UTF8.self)
  }

  private func writePretty(into out: inout [UInt8], indent: Int) {
    func newline(_ level: Int) {
      out.append(UInt8(ascii: "\n"))
      out += repeatElement(UInt8(ascii: " "), count: level * 2)
    }
    switch self {
    case .array(let items) where !items.isEmpty:
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent + 1)
        item.writePretty(into: &out, indent: indent + 1)
      }
      newline(indent)
      out.append(UInt8(ascii: "]"))
    case .object(let members) where !members.isEmpty:
      out.append(UInt8(ascii: "{"))
      let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (index, key) in keys.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent + 1)
        out += JSONValue.string(key).canonical
        out += Array(": ".utf8)
        members[key]!.writePretty(into: &out, indent: indent + 1)
      }
      newline(indent)
      out.append(UInt8(ascii: "}"))
    default:
      out += canonical
    }
  }
}
