import PromptgateCore
import Testing

/// A plain scalar's YAML 1.2 core-schema type is read from its bytes (every front matter and
/// runbook value passes there); these are the rules as first written, over Strings, and the
/// bytes' reading must agree with them on every short text of the characters that matter and
/// on longer random ones.
@Suite struct ScalarKindTests {
  @Test func agreesWithTheRulesOnEveryShortText() {
    let alphabet = [
      "0", "1", "7", "8", "9", "a", "f", "F", "g", "x", "o", "e", "E", ".", "+", "-", "~", "n", "é",
    ]
    var texts = [""]
    var previous = [""]
    for _ in 1...4 {
      previous = previous.flatMap { text in alphabet.map { text + $0 } }
      texts += previous
    }
    for text in texts {
      #expect(Scalar(plain: text).kind == Self.kind(of: text), "\(text)")
    }
  }

  @Test func agreesWithTheRulesOnKeywordsAndNumbers() {
    var generator = SystemRandomNumberGenerator()
    let pieces = [
      "0x", "0o", "1e5", ".5", "12", "-", "+", ".", "inf", "Inf", "nan", "NaN", "null", "true", "False",
    ]
    var texts = [
      "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "FALSE", "yes", "no",
      ".inf", "-.Inf", "+.INF", ".NaN", ".nan", "..nan", "0x1F", "0xG", "0x", "-0x1f", "0o17", "0o8", "0o",
      "1_000", "1e", "1e+", "1.5e-3", ".", "+.", "-1", "+0", "00", "1.", ".1", "1.2.3", "١٢",
    ]
    for _ in 0..<5_000 {
      texts.append(
        (0..<Int.random(in: 1...4, using: &generator)).map { _ in pieces.randomElement()! }.joined())
    }
    for text in texts {
      #expect(Scalar(plain: text).kind == Self.kind(of: text), "\(text)")
    }
  }

  @Test func typesAsTheCoreSchemaDoes() {
    #expect(Scalar(plain: "0.70").kind == .float)
    #expect(Scalar(plain: "12").kind == .integer)
    #expect(Scalar(plain: "0x1F").kind == .integer)
    #expect(Scalar(plain: "0o17").kind == .integer)
    #expect(Scalar(plain: "-.inf").kind == .float)
    #expect(Scalar(plain: "yes").kind == .string)
    #expect(Scalar(plain: "~").kind == .null)
    #expect(Scalar(plain: "gpt-4o").kind == .string)
  }

  /// The rules as first written (before reading bytes): the oracle.
  private static func kind(of text: String) -> Scalar.Kind {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
      return .float
    default: break
    }
    let bytes = Array(text.utf8)
    if isInteger(bytes) { return .integer }
    if isFloat(bytes) { return .float }
    return .string
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

  private static func isInteger(_ bytes: [UInt8]) -> Bool {
    var body = bytes[...]
    if body.first == UInt8(ascii: "-") || body.first == UInt8(ascii: "+") { body = body.dropFirst() }
    if body.starts(with: Array("0x".utf8)) {
      let digits = body.dropFirst(2)
      return !digits.isEmpty && digits.allSatisfy { $0 < 128 && Character(Unicode.Scalar($0)).isHexDigit }
    }
    if body.starts(with: Array("0o".utf8)) {
      let digits = body.dropFirst(2)
      return !digits.isEmpty && digits.allSatisfy { $0 >= 48 && $0 <= 55 }
    }
    return !body.isEmpty && body.allSatisfy(isDigit)
  }

  private static func isFloat(_ bytes: [UInt8]) -> Bool {
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
