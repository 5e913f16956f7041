/// Finding a byte in text read as UTF-8, eight bytes at a time: a prompt can be a megabyte with
/// a newline every ninety bytes and no template brace at all.
enum ByteSearch {
  /// The index of the first `byte` at or after `start`, or `bytes.count` when there is none.
  static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var index = start
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      let ones: UInt64 = 0x0101_0101_0101_0101
      let pattern = ones &* UInt64(byte)
      while index + 8 <= bytes.count {
        // "Has a zero byte" (Anderson, Bit Twiddling Hacks) of the word with `byte` zeroed.
        let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
        if (word &- ones) & ~word & 0x8080_8080_8080_8080 != 0 { break }
        index += 8
      }
    }
    while index < bytes.count, bytes[index] != byte { index += 1 }
    return index
  }
}
