#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading a whole file of this machine's: promptgate's caches and state under the git folder.
public enum LocalFile {
  /// The bytes of the file at `path` (a pipe's too, as `<(command)` gives); nil when it cannot
  /// be opened or read (missing, a folder, no permission). `FileManager.contents(atPath:)` does
  /// the same but gathers the file's attributes into a dictionary first, whose generic types
  /// cost 0.34 M instructions the first time (docs/benchmarks.md, session 10).
  public static func bytes(atPath path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_size > 0 { bytes.reserveCapacity(Int(status.st_size)) }
    let failed = DescriptorReader.forEachPiece(of: descriptor) { piece in
      bytes += piece
      return true
    }
    return failed == nil ? bytes : nil
  }
}
