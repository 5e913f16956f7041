/// A parsed YAML or JSON document: maps, lists and scalars, each with the place it was written.
///
/// Keys keep their document order. Scalars keep the text as written, so a diff shows what the
/// author typed (`0.70`, not `0.7`), while `==` on ``Scalar`` compares meaning.
public struct StructuredValue: Sendable, Hashable {
  public indirect enum Content: Sendable, Hashable {
    case scalar(Scalar)
    case list([StructuredValue])
    case map([Entry])
  }

  /// One key of a map, with the place the key was written.
  public struct Entry: Sendable, Hashable {
    public let key: String
    public let keyLocation: SourceLocation
    public let value: StructuredValue

    /// Equal when key and value are, wherever they were written.
    public static func == (lhs: Entry, rhs: Entry) -> Bool {
      lhs.key == rhs.key && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
      hasher.combine(key)
      hasher.combine(value)
    }
  }

  public let content: Content
  public let location: SourceLocation

  public init(_ content: Content, at location: SourceLocation) {
    self.content = content
    self.location = location
  }

  /// The value under `key` when this is a map.
  public subscript(key: String) -> StructuredValue? {
    guard case .map(let entries) = content else { return nil }
    return entries.first { $0.key == key }?.value
  }

  public var entries: [Entry]? {
    if case .map(let entries) = content { return entries }
    return nil
  }

  public var items: [StructuredValue]? {
    if case .list(let items) = content { return items }
    return nil
  }

  public var scalar: Scalar? {
    if case .scalar(let scalar) = content { return scalar }
    return nil
  }

  /// Two values are equal when their content is, wherever they were written.
  public static func == (lhs: StructuredValue, rhs: StructuredValue) -> Bool {
    lhs.content == rhs.content
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(content)
  }
}

/// A line and column in a file, both counted from 1.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  public let line: Int
  public let column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public var description: String { "\(line):\(column)" }
}

/// A scalar with its YAML 1.2 core-schema type: `yes` and `no` stay strings, `0.70` is a number.
public struct Scalar: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    case string, integer, float, bool, null
  }

  public let text: String
  public let kind: Kind

  public init(text: String, kind: Kind) {
    self.text = text
    self.kind = kind
  }

  /// Types a plain (unquoted) scalar as the YAML 1.2 core schema does.
  public init(plain text: String) {
    self.text = text
    self.kind = Self.coreSchemaKind(of: text)
  }

  public var description: String { text }

  /// The value as a number, for integers and floats.
  public var number: Double? {
    switch kind {
    case .integer:
      if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16).map(Double.init) }
      if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8).map(Double.init) }
      return Double(text)
    case .float:
      switch text.lowercased() {
      case ".inf", "+.inf": return .infinity
      case "-.inf": return -.infinity
      case ".nan": return .nan
      default: return Double(text)
      }
    default: return nil
    }
  }

  public var bool: Bool? {
    kind == .bool ? text.lowercased() == "true" : nil
  }

  /// Equal in meaning: `0.7` equals `0.70`, `true` equals `True`, `"1"` does not equal `1`.
  public static func == (lhs: Scalar, rhs: Scalar) -> Bool {
    switch (lhs.kind, rhs.kind) {
    case (.integer, .integer), (.float, .float), (.integer, .float), (.float, .integer):
      if let left = lhs.number, let right = rhs.number { return left == right }
      return lhs.text == rhs.text
    case (.bool, .bool): return lhs.bool == rhs.bool
    case (.null, .null): return true
    case (.string, .string): return lhs.text == rhs.text
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch kind {
    case .integer, .float: hasher.combine(number ?? 0)
    case .bool: hasher.combine(bool)
    case .null: hasher.combine(0)
    case .string: hasher.combine(text)
    }
  }

  private static func coreSchemaKind(of text: String) -> Kind {
    var text = text
    return text.withUTF8(coreSchemaKind)
  }

  /// The same over the scalar's bytes, without building anything: a front matter's and a
  /// runbook's every value passes here, and most are words, which the first tests turn away.
  private static func coreSchemaKind(_ bytes: UnsafeBufferPointer<UInt8>) -> Kind {
    // Every keyword is at most five bytes long ("false", "+.inf").
    if bytes.count <= 5 {
      switch String(decoding: bytes, as: UTF8.self) {
      case "", "~", "null", "Null", "NULL": return .null
      case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN",
        ".NAN":
        return .float
      default: break
      }
    }
    // A number starts with a digit, a sign or a point.
    let first = bytes[0]
    guard
      isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
    else { return .string }
    if isInteger(bytes) { return .integer }
    if isFloat(bytes) { return .float }
    return .string
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
  }

  /// `[-+]? ( [0-9]+ | 0x [0-9a-fA-F]+ | 0o [0-7]+ )`
  private static func isInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var body = bytes[...]
    if body.first == UInt8(ascii: "-") || body.first == UInt8(ascii: "+") { body = body.dropFirst() }
    if body.count >= 2, body[body.startIndex] == UInt8(ascii: "0") {
      let digits = body.dropFirst(2)
      switch body[body.startIndex + 1] {
      case UInt8(ascii: "x"): return !digits.isEmpty && digits.allSatisfy(isHexDigit)
      case UInt8(ascii: "o"): return !digits.isEmpty && digits.allSatisfy { $0 >= 48 && $0 <= 55 }
      default: break
      }
    }
    return !body.isEmpty && body.allSatisfy(isDigit)
  }

  /// `[-+]? ( \.[0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
  private static func isFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
      return index - start
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    let whole = digits()
    var fraction = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      fraction = digits()
    }
    guard whole > 0 || fraction > 0 else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
        index += 1
      }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}
