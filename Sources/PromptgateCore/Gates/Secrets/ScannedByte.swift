/// The byte classes the secrets scanner reads UTF-8 by.
extension UInt8 {
  static let space = UInt8(ascii: " ")
  static let dash = UInt8(ascii: "-")
  static let underscore = UInt8(ascii: "_")
  static let plus = UInt8(ascii: "+")
  static let slash = UInt8(ascii: "/")
  static let backslash = UInt8(ascii: "\\")
  static let equals = UInt8(ascii: "=")
  static let colon = UInt8(ascii: ":")
  static let dot = UInt8(ascii: ".")
  static let quote = UInt8(ascii: "\"")
  static let apostrophe = UInt8(ascii: "'")
  static let backtick = UInt8(ascii: "`")
  static let comma = UInt8(ascii: ",")

  var isUpper: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
  var isLower: Bool { self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z") }
  var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
  var isAlphanumeric: Bool { isUpper || isLower || isDigit }
  var isUpperOrDigit: Bool { isUpper || isDigit }
  var isBase64URL: Bool { isAlphanumeric || self == .dash || self == .underscore }
  var isWordByte: Bool { isAlphanumeric || self == .underscore }
  /// The characters of tokens judged by entropy, `=` padding aside: base64 and base64url.
  var isTokenByte: Bool { isBase64URL || self == .plus || self == .slash }
  /// The characters of names in `name: value`: `api_key`, `x-api-key`, `openai.apiKey`.
  var isKeyByte: Bool { isBase64URL || self == .dot }
  var isSpace: Bool { self == .space || self == UInt8(ascii: "\t") || self == UInt8(ascii: "\r") }
  /// Where a bare value ends. Brackets too: `get_password(user)` and `env["TOKEN"]` are code.
  var isDelimiter: Bool { ",;()[]{}\"'`".utf8.contains(self) }
  var isContinuation: Bool { self & 0xC0 == 0x80 }
  var lowercased: UInt8 { isUpper ? self + 32 : self }
}
