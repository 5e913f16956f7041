import Foundation
import PromptgateCore
import Testing

@Suite struct JSONValueTests {
  @Test func canonicalFormSortsKeysAndEscapesMinimally() throws {
    let value = JSONValue.object([
      "b": .array([.integer(-3), .bool(true), .null]), "a": .string("tab\there \"quoted\" \\ é ✓\u{1}"),
      "c": .object([:]),
    ])
    #expect(value.canonicalString == #"{"a":"tab\there \"quoted\" \\ é ✓\u0001","b":[-3,true,null],"c":{}}"#)
    #expect(try JSONValue(parsing: value.canonical) == value)
    #expect(try JSONValue(parsing: Array(value.pretty.utf8)) == value)
  }

  @Test func parsingIsStrict() {
    for text in [#"{"a":1,"a":2}"#, "[1,]", "1.5", #"{"a":1} x"#, "\"\u{1}\"", #""\ud800""#, "nul"] {
      #expect(throws: JSONParseError.self, "\(text)") { try JSONValue(parsing: Array(text.utf8)) }
    }
    let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(deep.utf8)) }
  }

  @Test func agreesWithFoundationOnWhatItWrites() throws {
    let value = JSONValue.object([
      "name": .string("π and \n newline"), "list": .array([.integer(1), .integer(2)]),
    ])
    let foundation = try JSONSerialization.jsonObject(with: Data(value.canonical)) as? [String: Any]
    #expect(foundation?["name"] as? String == "π and \n newline")
    #expect(foundation?["list"] as? [Int] == [1, 2])
    #expect(try JSONValue(parsing: Array(#"{"u":"\u00e9\ud83d\ude00"}"#.utf8))["u"]?.string == "é😀")
  }

  /// Every byte that needs escaping, among runs of text that do not, against a byte-at-a-time
  /// writing of the rule: canonical bytes are what signatures cover.
  @Test func everyControlCharacterQuoteAndBackslashIsEscapedAndNothingElse() throws {
    var text = "start é"
    for scalar in (0..<0x20).compactMap(Unicode.Scalar.init) + ["\"", "\\", "/", "\u{7F}", "✓"] {
      text += "run\(scalar)"
    }
    text += "end"
    var expected = Array("\"".utf8)
    for byte in text.utf8 {
      switch byte {
      case 0x22: expected += Array("\\\"".utf8)
      case 0x5C: expected += Array("\\\\".utf8)
      case 0x08: expected += Array("\\b".utf8)
      case 0x0C: expected += Array("\\f".utf8)
      case 0x0A: expected += Array("\\n".utf8)
      case 0x0D: expected += Array("\\r".utf8)
      case 0x09: expected += Array("\\t".utf8)
      case 0..<0x20: expected += Array(String(format: "\\u%04x", byte).utf8)
      default: expected.append(byte)
      }
    }
    expected += Array("\"".utf8)
    #expect(JSONValue.string(text).canonical == expected)
    #expect(JSONValue.string("").canonicalString == "\"\"")
    #expect(try JSONValue(parsing: JSONValue.string(text).canonical).string == text)
  }

  /// Fractions are read only where they are asked for (test runners' result files): an event,
  /// statement or cache carrying one is refused, as before result files were read this way.
  @Test func fractionsOnlyWhereAskedFor() throws {
    for text in [#"{"a":1.5}"#, #"{"a":1e3}"#, #"[2E-1]"#] {
      #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }
    #expect(try JSONValue(parsing: Array(#"{"a":1.5}"#.utf8), fractions: true)["a"] == .number(1.5))
    #expect(
      try JSONValue(parsing: Array("[2E-1, 7]".utf8), fractions: true) == .array([.number(0.2), .integer(7)]))
    for text in ["1.", "1.e3", "1e", "-", "1e400"] {
      #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(text.utf8), fractions: true) }
    }
    let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(deep.utf8)) }
    #expect(throws: Never.self) { try JSONValue(parsing: Array(deep.utf8), fractions: true) }
  }
}
