/// The units of a Markdown prompt (sentences, list items, table rows, code lines), as one buffer
/// of UTF-8 and where each unit lies in it: a megabyte prompt holds tens of thousands, which are
/// compared as bytes and made into strings only when a diff shows them.
public struct ProseUnits: Sendable {
  /// The units' text: unit `i` is `bytes[starts[i]..<ends[i]]`; bytes between units belong to
  /// none (the space after a sentence, a paragraph a heading took back).
  private(set) var bytes: [UInt8] = []
  private var starts: [Int] = []
  private var ends: [Int] = []
  /// Whether unit `i` holds a byte outside ASCII, where equal text may be unequal bytes.
  private var isUnicode: [Bool] = []

  public var count: Int { starts.count }

  /// Unit `index` as text.
  public func text(_ index: Int) -> String {
    String(decoding: bytes[starts[index]..<ends[index]], as: UTF8.self)
  }

  /// Whether unit `index` is ASCII: its bytes compare as its text does.
  func isASCII(_ index: Int) -> Bool { !isUnicode[index] }

  /// Unit `index`'s bytes, for reading without a copy.
  func withBytes<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Result) -> Result {
    bytes.withUnsafeBufferPointer { body($0, starts[index]..<ends[index]) }
  }

  /// Whether the units in `range` hold the same texts as `other`'s in `otherRange`, as Swift
  /// compares strings: equal bytes are equal text, and unequal ASCII is unequal text; only
  /// units with other text are compared as strings (canonical equivalence: "é" as one scalar
  /// or two, or U+037E against ";").
  func same(_ range: Range<Int>, as other: ProseUnits, _ otherRange: Range<Int>) -> Bool {
    guard range.count == otherRange.count else { return false }
    return bytes.withUnsafeBufferPointer { mine in
      other.bytes.withUnsafeBufferPointer { theirs in
        for (index, otherIndex) in zip(range, otherRange) {
          let a = UnsafeBufferPointer(rebasing: mine[starts[index]..<ends[index]])
          let b = UnsafeBufferPointer(rebasing: theirs[other.starts[otherIndex]..<other.ends[otherIndex]])
          if Self.equal(a, b) { continue }
          guard isUnicode[index] || other.isUnicode[otherIndex] else { return false }
          if text(index) != other.text(otherIndex) { return false }
        }
        return true
      }
    }
  }

  /// Appends a unit of these bytes.
  mutating func append(_ unit: some Collection<UInt8>) {
    let start = bytes.count
    bytes.append(contentsOf: unit)
    endUnit(start..<bytes.count)
  }

  /// Appends bytes that are not a unit yet (a paragraph being read); ``endUnit(_:)`` makes units
  /// of them.
  mutating func write(_ byte: UInt8) { bytes.append(byte) }
  mutating func write(_ text: some Collection<UInt8>) { bytes.append(contentsOf: text) }

  /// Forgets the bytes written from `offset` on, which no unit holds.
  mutating func discardWritten(from offset: Int) {
    bytes.removeSubrange(offset...)
  }

  /// Makes a unit of `range`, bytes already written.
  mutating func endUnit(_ range: Range<Int>) {
    starts.append(range.lowerBound)
    ends.append(range.upperBound)
    isUnicode.append(
      bytes.withUnsafeBufferPointer { !Self.isASCII(UnsafeBufferPointer(rebasing: $0[range])) })
  }

  /// Whether two runs of bytes are equal, compared eight at a time.
  static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    guard left.count == right.count else { return false }
    guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
    let a = UnsafeRawPointer(leftBase)
    let b = UnsafeRawPointer(rightBase)
    var offset = 0
    while offset + 8 <= left.count {
      if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      {
        return false
      }
      offset += 8
    }
    while offset < left.count {
      if left[offset] != right[offset] { return false }
      offset += 1
    }
    return true
  }

  /// True when no byte is 0x80 or above, tested eight at a time.
  private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var index = 0
    while index + 8 <= bytes.count {
      if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
        return false
      }
      index += 8
    }
    while index < bytes.count {
      if bytes[index] >= 0x80 { return false }
      index += 1
    }
    return true
  }
}
