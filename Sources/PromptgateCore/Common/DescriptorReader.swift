#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads an open file to its end in 64 KiB pieces, retrying an interrupted read: the one loop
/// the export's folder hashing and lock, the SSH key and ssh-keygen's output, and ``LocalFile``
/// share.
enum DescriptorReader {
  /// Hands each piece to `piece`, which returns false to stop early. The `errno` of a failed
  /// read, or nil.
  static func forEachPiece(of descriptor: Int32, _ piece: (ArraySlice<UInt8>) -> Bool) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { return nil }
      if count < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if !piece(buffer[0..<count]) { return nil }
    }
  }
}
