import Crypto

/// One file an export wrote, as `release.json` records it: enough to check the folder with
/// `sha256sum` and to notice any byte that changed after the export.
struct LockedFile: Sendable {
  /// Relative to the export folder.
  let path: String
  let executable: Bool
  let size: Int
  /// Lowercase hex SHA-256 of exactly the bytes written.
  let sha256: String

  init(path: String, bytes: [UInt8], executable: Bool) {
    self.path = path
    self.executable = executable
    size = bytes.count
    sha256 = Hex.string(SHA256.hash(data: bytes))
  }

  var json: JSONValue {
    .object([
      "path": .string(path), "mode": .string(executable ? "100755" : "100644"),
      "size": .integer(Int64(size)), "sha256": .string(sha256),
    ])
  }

  /// The files as a JSON array sorted by the UTF-8 bytes of their paths, so the lock does not
  /// depend on the order git or the file system listed them in.
  static func json(_ files: [LockedFile]) -> JSONValue {
    .array(files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }.map(\.json))
  }
}
