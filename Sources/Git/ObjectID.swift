import Clibgit2

/// A git object id (SHA-1), stored inline as three integers so it hashes and compares cheaply.
///
/// The words are big-endian, so comparing them orders ids as their hex strings order.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  private let high: UInt64
  private let middle: UInt64
  private let low: UInt32

  init(_ oid: git_oid) {
    var oid = oid
    (high, middle, low) = withUnsafeBytes(of: &oid.id) { raw in
      (
        UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
        UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
        UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
      )
    }
  }

  init(_ oid: UnsafePointer<git_oid>) {
    self.init(oid.pointee)
  }

  /// Parses a full 40-digit hex id; nil for anything else.
  public init?(hex: some StringProtocol) {
    let utf8 = Array(hex.utf8)
    guard utf8.count == 40 else { return nil }
    var bytes = [UInt8](repeating: 0, count: 20)
    for index in 0..<20 {
      guard let high = Self.nibble(utf8[2 * index]), let low = Self.nibble(utf8[2 * index + 1]) else {
        return nil
      }
      bytes[index] = high << 4 | low
    }
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid.id) { $0.copyBytes(from: bytes) }
    self.init(oid)
  }

  /// The id as libgit2 wants it.
  var oid: git_oid {
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid.id) { raw in
      raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
      raw.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
      raw.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
    }
    return oid
  }

  /// The 40-digit lowercase hex form.
  public var hex: String {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    return String(unsafeUninitializedCapacity: 40) { buffer in
      var index = 0
      func put(_ value: UInt64, bytes: Int) {
        for shift in stride(from: (bytes - 1) * 8, through: 0, by: -8) {
          let byte = Int((value >> UInt64(shift)) & 0xff)
          buffer[index] = digits[byte >> 4]
          buffer[index + 1] = digits[byte & 0xf]
          index += 2
        }
      }
      put(high, bytes: 8)
      put(middle, bytes: 8)
      put(UInt64(low), bytes: 4)
      return 40
    }
  }

  /// The abbreviated form, 7 digits unless told otherwise.
  public func short(_ length: Int = 7) -> String {
    String(hex.prefix(length))
  }

  /// True for the all-zero id git uses for "no object".
  public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

  public var description: String { hex }

  public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
    (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
  }

  private static func nibble(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
