import Foundation

/// Counts the files each program reported, from its saved output. A byte scan rather than
/// JSONSerialization: a parsed 4 MB diff would raise this process's RSS, which Linux charges to
/// every child spawned afterwards (``ChildProcess/resetPeakRSS()``).
enum OutputCount {
  /// Entries of the top-level "files" array of `promptgate diff --format json`; nil if none.
  static func promptgateFiles(at path: String) -> Int? {
    guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
      return nil
    }
    var depth = 0
    var inString = false
    var escaped = false
    var key: [UInt8] = []
    var lastKey: [UInt8] = []
    var inFiles = false
    var found = false
    var count = 0
    for byte in bytes {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
          if depth == 1 { lastKey = key }
        } else if depth == 1 {
          key.append(byte)
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
        key.removeAll(keepingCapacity: true)
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        // Each file is an object directly inside the array, which sits at depth 2.
        if inFiles && depth == 2 && byte == UInt8(ascii: "{") { count += 1 }
        if depth == 1 && byte == UInt8(ascii: "[") && lastKey == Array("files".utf8) {
          inFiles = true
          found = true
        }
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 1 { inFiles = false }
      default: break
      }
    }
    return found ? count : nil
  }

  /// Lines of `git diff --name-status`: one a file.
  static func gitFiles(at path: String) -> Int {
    guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
      return 0
    }
    return bytes.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
  }
}
