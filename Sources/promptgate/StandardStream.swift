#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// stdout and stderr, written with write(2) until every byte is out. (Foundation's FileHandle is
/// full Foundation's, which promptgate does not link.)
enum StandardStream {
  case output, error

  /// Writes all of `bytes`; a closed pipe or full disk loses the rest, as `print` would.
  func write(_ bytes: some Collection<UInt8>) {
    let descriptor = self == .output ? STDOUT_FILENO : STDERR_FILENO
    let written: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
      Self.write(buffer, to: descriptor)
    }
    if written == nil { _ = Array(bytes).withUnsafeBufferPointer { Self.write($0, to: descriptor) } }
  }

  func write(_ text: String) {
    var text = text
    text.withUTF8 { write($0) }
  }

  /// Appends `text` to the file at `path`, creating it; false when it cannot be opened.
  static func append(_ text: String, toFileAt path: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var text = text
    return text.withUTF8 { write($0, to: descriptor) }
  }

  private static func write(_ buffer: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Bool {
    writeAll(UnsafeRawBufferPointer(buffer), to: descriptor)
  }
}

/// write(2) until every byte is out, retrying an interrupted call; false when it fails. (Outside
/// ``StandardStream``, whose own `write` would hide the C library's.)
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
  var rest = bytes
  while !rest.isEmpty {
    let count = write(descriptor, rest.baseAddress, rest.count)
    if count < 0, errno == EINTR { continue }
    guard count > 0 else { return false }
    rest = UnsafeRawBufferPointer(rebasing: rest[count...])
  }
  return true
}
