/// Gives each distinct ASCII word of a diff one integer id, so sentences are compared as arrays
/// of integers: a word's bytes are hashed and compared once, when it is read, not on every
/// comparison of the word diff.
///
/// Only for ASCII, where equal words are equal bytes; other text is compared as Swift strings
/// (canonical equivalence: "é" written as one scalar or two is one word).
struct WordTable {
  /// Open addressing: each slot holds an id + 1, or 0 when empty.
  private var slots = [Int32](repeating: 0, count: 1 << 12)
  private var hashes: [UInt64] = []
  /// Each id's bytes run from `starts[id]` to `starts[id + 1]` in `arena`.
  private var starts: [Int] = [0]
  private var arena: [UInt8] = []

  /// The id of the word `bytes[range]`, new if it was never seen.
  mutating func id(_ bytes: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) -> Int {
    let hash = Self.hash(bytes, lower, upper)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { break }
      let id = entry - 1
      if hashes[id] == hash, equal(id, bytes, lower, upper) { return id }
      slot = (slot + 1) & mask
    }
    let id = hashes.count
    hashes.append(hash)
    arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lower..<upper]))
    starts.append(arena.count)
    slots[slot] = Int32(id + 1)
    if hashes.count * 2 > slots.count { grow() }
    return id
  }

  /// FNV-1a over eight bytes at a time (then the last few one by one): whole units are keyed
  /// here too, a megabyte of them.
  private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var index = lower
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      while index + 8 <= upper {
        hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x100_0000_01b3
        hash ^= hash >> 32
        index += 8
      }
    }
    while index < upper {
      hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3
      index += 1
    }
    return hash
  }

  private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) -> Bool {
    arena.withUnsafeBufferPointer { stored in
      ProseUnits.equal(
        UnsafeBufferPointer(rebasing: stored[starts[id]..<starts[id + 1]]),
        UnsafeBufferPointer(rebasing: bytes[lower..<upper]))
    }
  }

  private mutating func grow() {
    slots = [Int32](repeating: 0, count: slots.count * 2)
    let mask = slots.count - 1
    for (id, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(id + 1)
    }
  }
}
