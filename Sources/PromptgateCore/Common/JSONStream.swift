/// JSON written straight to bytes, value by value, in the bytes ``JSONValue`` prints (compact
/// canonical, or ``JSONValue/pretty`` indented `level` levels in): a diff's item of thousands of
/// edited sentences is written without first building a ``JSONValue`` tree of it, which cost a
/// fifth of a large prose diff.
///
/// The caller writes an object's keys in ``JSONValue``'s order (sorted by their UTF-8 bytes).
public struct JSONStream {
  public private(set) var bytes: [UInt8] = []
  public let pretty: Bool
  /// Levels in of the value written.
  private let level: Int
  /// The members written so far in each open object or array, outermost first.
  private var open: [Int] = []
  /// A key was written and its value is next.
  private var afterKey = false

  public init(pretty: Bool, level: Int = 0) {
    self.pretty = pretty
    self.level = level
  }

  /// The bytes written so far, handed over and cleared (the buffer's room is kept).
  public mutating func take() -> [UInt8] {
    defer { bytes.removeAll(keepingCapacity: true) }
    return bytes
  }

  public mutating func openObject() { open(UInt8(ascii: "{")) }
  public mutating func closeObject() { close(UInt8(ascii: "}")) }
  public mutating func openArray() { open(UInt8(ascii: "[")) }
  public mutating func closeArray() { close(UInt8(ascii: "]")) }

  /// A key: always one of the document's own names, which need no escape (a diff writes
  /// hundreds of thousands).
  public mutating func key(_ name: StaticString) {
    member()
    bytes.append(UInt8(ascii: "\""))
    name.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
    if pretty { bytes.append(UInt8(ascii: " ")) }
    afterKey = true
  }

  public mutating func string(_ value: String) {
    beforeValue()
    JSONValue.writeString(value, into: &bytes)
  }

  /// The string, or `null` when there is none.
  public mutating func string(_ value: String?) {
    if let value { string(value) } else { null() }
  }

  public mutating func integer(_ value: Int) {
    beforeValue()
    bytes += String(value).utf8
  }

  public mutating func bool(_ value: Bool) {
    beforeValue()
    bytes += (value ? "true" : "false").utf8
  }

  public mutating func null() {
    beforeValue()
    bytes += "null".utf8
  }

  /// `key` and its string, or `null`.
  public mutating func member(_ key: StaticString, _ value: String?) {
    self.key(key)
    string(value)
  }

  private mutating func open(_ mark: UInt8) {
    beforeValue()
    bytes.append(mark)
    open.append(0)
  }

  /// An empty object or array closes on the line it opened, as ``JSONValue`` writes it.
  private mutating func close(_ mark: UInt8) {
    if open.removeLast() > 0, pretty { newline() }
    bytes.append(mark)
  }

  private mutating func beforeValue() {
    if afterKey {
      afterKey = false
    } else if !open.isEmpty {
      member()
    }
  }

  /// The comma before every member but the first, and its line when pretty.
  private mutating func member() {
    if open[open.count - 1] > 0 { bytes.append(UInt8(ascii: ",")) }
    open[open.count - 1] += 1
    if pretty { newline() }
  }

  private mutating func newline() {
    bytes.append(UInt8(ascii: "\n"))
    bytes += repeatElement(UInt8(ascii: " "), count: 2 * (level + open.count))
  }
}
