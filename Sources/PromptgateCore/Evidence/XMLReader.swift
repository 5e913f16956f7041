// A strict reader of the XML that test runners write (JUnit reports): elements, attributes,
// text, comments, CDATA and processing instructions, in UTF-8.
//
// Hand-written on purpose. Foundation's XMLParser, and every maintained Swift XML library on
// top of it (XMLCoder, SWXMLHash), is libxml2: linking it makes every promptgate command load
// libxml2 and the system's ICU at start-up, about 2 ms each time, for the one command that reads
// a JUnit report (docs/benchmarks.md, issue 16). What a JUnit report needs is small, and what is
// left out is what an attacker would reach for: a document type declaration (so no entity
// expands and nothing outside the file is read) is refused, as is any entity but XML's five and
// character references. Anything not well-formed is refused with its line and column.

/// One step through a document: an element opens (with its attributes and the line it starts
/// on) or closes.
enum XMLEvent: Equatable {
  case start(name: String, attributes: [String: String], line: Int)
  case end(name: String)
}

/// Why a document is refused, and where.
struct XMLProblem: Error, Equatable {
  let line: Int
  let column: Int
  let reason: String
  /// The document ended with elements still open: a report cut short.
  let truncated: Bool
}

struct XMLReader {
  private let bytes: [UInt8]
  private var position = 0
  private var line = 1
  /// Where the current line starts, for columns.
  private var lineStart = 0
  private var open: [String] = []
  private var sawRoot = false

  /// Reads `bytes` through, calling `handle` for each element as it opens and closes.
  static func read(_ bytes: [UInt8], _ handle: (XMLEvent) -> Void) throws(XMLProblem) {
    var reader = XMLReader(bytes: bytes)
    try reader.document(handle)
  }

  private init(bytes: [UInt8]) {
    self.bytes = bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }  // UTF-8's byte order mark
  }

  private mutating func document(_ handle: (XMLEvent) -> Void) throws(XMLProblem) {
    guard Self.isUTF8(bytes[position...]) else { throw problem("it is not UTF-8") }
    if starts(with: "<?xml") { try declaration() }
    while position < bytes.count {
      if bytes[position] == UInt8(ascii: "<") {
        try markup(handle)
      } else {
        try text()
      }
    }
    if let element = open.last {
      throw problem("it ends inside <\(element)>: the report was cut short", truncated: true)
    }
    if !sawRoot { throw problem("it holds no element") }
  }

  /// `<?xml version="1.0" encoding="UTF-8"?>`: only UTF-8 (or its subset ASCII) is read.
  private mutating func declaration() throws(XMLProblem) {
    let start = position
    try skip(past: "?>", what: "the XML declaration")
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    guard let range = text.firstRange(of: "encoding") else { return }
    let rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
    let encoding = rest.prefix { $0 != "\"" && $0 != "'" }.lowercased()
    guard ["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding) else {
      throw problem("it is declared \(encoding), and promptgate reads JUnit reports in UTF-8")
    }
  }

  private mutating func markup(_ handle: (XMLEvent) -> Void) throws(XMLProblem) {
    if starts(with: "<!--") {
      try skip(past: "-->", what: "a comment")
    } else if starts(with: "<![CDATA[") {
      guard !open.isEmpty else { throw problem("CDATA stands outside the root element") }
      try skip(past: "]]>", what: "a CDATA section")
    } else if starts(with: "<!DOCTYPE") || starts(with: "<!ENTITY") {
      throw problem("it declares a document type, and promptgate expands no XML entities")
    } else if starts(with: "<!") {
      throw problem("\"<!\" opens neither a comment nor CDATA")
    } else if starts(with: "<?") {
      try skip(past: "?>", what: "a processing instruction")
    } else if starts(with: "</") {
      try endTag(handle)
    } else {
      try startTag(handle)
    }
  }

  private mutating func startTag(_ handle: (XMLEvent) -> Void) throws(XMLProblem) {
    let startLine = line
    let start = position
    advance()  // <
    let name = try self.name("an element name")
    if open.isEmpty && sawRoot {
      throw problem("a second root element <\(name)> follows the first", at: start)
    }
    var attributes: [String: String] = [:]
    while true {
      let spaced = skipSpace()
      guard position < bytes.count else { throw problem("it ends inside <\(name)>'s tag", truncated: true) }
      if starts(with: "/>") {
        advance(2)
        sawRoot = true
        handle(.start(name: name, attributes: attributes, line: startLine))
        handle(.end(name: name))
        return
      }
      if bytes[position] == UInt8(ascii: ">") {
        advance()
        sawRoot = true
        open.append(name)
        handle(.start(name: name, attributes: attributes, line: startLine))
        return
      }
      guard spaced else { throw problem("<\(name)>'s attributes must be separated by spaces") }
      let keyStart = position
      let key = try self.name("an attribute name")
      skipSpace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
        throw problem("attribute \(key) of <\(name)> has no value")
      }
      advance()
      skipSpace()
      let value = try attributeValue(key)
      guard attributes.updateValue(value, forKey: key) == nil else {
        throw problem("<\(name)> has attribute \(key) twice", at: keyStart)
      }
    }
  }

  private mutating func endTag(_ handle: (XMLEvent) -> Void) throws(XMLProblem) {
    advance(2)  // </
    let name = try self.name("an element name")
    skipSpace()
    guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else {
      throw problem("</\(name) is not closed by \">\"", truncated: position >= bytes.count)
    }
    guard let innermost = open.last else { throw problem("</\(name)> closes no open element") }
    guard innermost == name else { throw problem("</\(name)> closes <\(innermost)>") }
    advance()
    open.removeLast()
    handle(.end(name: name))
  }

  /// Character data: checked (no stray `<` reached here, references well-formed), not kept.
  private mutating func text() throws(XMLProblem) {
    while position < bytes.count, bytes[position] != UInt8(ascii: "<") {
      let byte = bytes[position]
      if open.isEmpty, !Self.isSpace(byte) {
        throw problem(sawRoot ? "text follows the root element" : "text comes before the root element")
      }
      if byte == UInt8(ascii: "&") {
        _ = try reference()
      } else {
        advance()
      }
    }
  }

  private mutating func attributeValue(_ key: String) throws(XMLProblem) -> String {
    guard position < bytes.count,
      bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
    else { throw problem("the value of \(key) is not quoted") }
    let quote = bytes[position]
    advance()
    var value: [UInt8] = []
    while true {
      guard position < bytes.count else {
        throw problem("the value of \(key) is never closed", truncated: true)
      }
      let byte = bytes[position]
      if byte == quote {
        advance()
        return String(decoding: value, as: UTF8.self)
      } else if byte == UInt8(ascii: "<") {
        throw problem("the value of \(key) holds \"<\"")
      } else if byte == UInt8(ascii: "&") {
        value += Array(try reference().utf8)
      } else {
        // XML normalises a literal tab or line break in an attribute value to a space.
        value.append(byte == 0x09 || byte == 0x0A || byte == 0x0D ? 0x20 : byte)
        advance()
      }
    }
  }

  /// `&lt;` and XML's four others, `&#233;`, `&#xE9;`: nothing else.
  private mutating func reference() throws(XMLProblem) -> String {
    let start = position
    advance()  // &
    while position < bytes.count, position - start < 12, Self.inReference(bytes[position]) { advance() }
    guard position < bytes.count, bytes[position] == UInt8(ascii: ";") else {
      throw problem("\"&\" starts no reference (write &amp; for an ampersand)", at: start)
    }
    let body = String(decoding: bytes[(start + 1)..<position], as: UTF8.self)
    advance()
    switch body {
    case "lt": return "<"
    case "gt": return ">"
    case "amp": return "&"
    case "quot": return "\""
    case "apos": return "'"
    default: break
    }
    let code: UInt32? =
      body.hasPrefix("#x")
      ? UInt32(body.dropFirst(2), radix: 16)
      : body.hasPrefix("#") ? UInt32(body.dropFirst(), radix: 10) : nil
    guard let code, let scalar = Unicode.Scalar(code), code != 0 else {
      throw problem("&\(body); is not one of XML's entities, and a JUnit report declares none", at: start)
    }
    return String(Character(scalar))
  }

  private mutating func name(_ what: String) throws(XMLProblem) -> String {
    let start = position
    while position < bytes.count, !Self.endsName(bytes[position]) { advance() }
    // XML names hold no control character: refused, so none reaches a message.
    guard position > start, !Self.startsBadly(bytes[start]),
      !bytes[start..<position].contains(where: { $0 < 0x20 || $0 == 0x7F })
    else {
      throw problem("\(what) is missing or invalid", at: start)
    }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  private mutating func skip(past end: String, what: String) throws(XMLProblem) {
    let terminator = Array(end.utf8)
    while position < bytes.count {
      if bytes[position] == terminator[0], bytes[position...].starts(with: terminator) {
        advance(terminator.count)
        return
      }
      advance()
    }
    throw problem("\(what) is never closed", truncated: true)
  }

  @discardableResult
  private mutating func skipSpace() -> Bool {
    let start = position
    while position < bytes.count, Self.isSpace(bytes[position]) { advance() }
    return position > start
  }

  private func starts(with text: String) -> Bool {
    bytes[position...].starts(with: text.utf8)
  }

  private mutating func advance(_ count: Int = 1) {
    for _ in 0..<count {
      if bytes[position] == 0x0A {
        line += 1
        lineStart = position + 1
      }
      position += 1
    }
  }

  /// A problem at the reader's position, or at an earlier one of the same line.
  private func problem(_ reason: String, at place: Int? = nil, truncated: Bool = false) -> XMLProblem {
    XMLProblem(line: line, column: (place ?? position) - lineStart + 1, reason: reason, truncated: truncated)
  }

  private static func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue: continue
      case .emptyInput: return true
      case .error: return false
      }
    }
  }

  /// What a reference's name or number is made of: letters, digits and `#`.
  private static func inReference(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "#")
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private static func endsName(_ byte: UInt8) -> Bool {
    isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=")
      || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
  }

  /// A name starts with a letter, `_`, `:` or any non-ASCII character; not a digit, `-` or `.`.
  private static func startsBadly(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: ";")
  }
}
