/// The rules that keep a path read from a git tree inside the export folder and harmless there.
///
/// A tree is data that anyone with push access controls, and `git mktree` accepts names that a
/// checkout refuses (`..`, `.GIT`, an empty name, control characters), so each path is checked
/// component by component before anything is written. Paths are split and compared on their
/// UTF-8 bytes, as the file system sees them: Swift's `Character` comparison would glue a
/// combining mark onto a `/` and hide a separator.
enum ExportPath {
  /// Why `path` must not become a file on disk, or nil when it is safe to write.
  static func refusal(for path: String) -> String? {
    if path.utf8.first == UInt8(ascii: "/") { return "absolute path; not exported" }
    for component in components(of: path) {
      if let reason = refusal(forComponent: component) { return reason }
    }
    return nil
  }

  /// The components of `path`, split at each `/` byte; empty components are kept so that they
  /// can be refused.
  static func components(of path: String) -> [String] {
    path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
      String(Substring($0))
    }
  }

  /// Why one component is unsafe, or nil.
  static func refusal(forComponent component: String) -> String? {
    let bytes = Array(component.utf8)
    if bytes.isEmpty { return "empty path component; not exported" }
    if bytes == Array(".".utf8) || bytes == Array("..".utf8) {
      return "'\(component)' component would step out of its folder; not exported"
    }
    if component.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      return "control character in the path; not exported"
    }
    if bytes.contains(UInt8(ascii: "\\")) {
      return "backslash in the path (a folder separator on Windows); not exported"
    }
    if isGitFolder(component) {
      return "'.git' component (git's own folder, in any case); not exported"
    }
    return nil
  }

  /// True for `.git` as some file system may see it: in any case, with the code points HFS+
  /// ignores, with NTFS's trailing dots and spaces, or as its short name `git~1` — the same
  /// spellings git itself refuses to check out.
  static func isGitFolder(_ component: String) -> Bool {
    var name = String(
      String.UnicodeScalarView(component.unicodeScalars.filter { !isIgnoredByHFS($0) })
    ).lowercased()
    while name.hasSuffix(".") || name.hasSuffix(" ") { name.removeLast() }
    return name == ".git" || name == "git~1"
  }

  /// The name in `reserved` (names the export itself writes at its root) that the first
  /// component of `path` spells, in any case: on a case-insensitive file system `Release.json`
  /// would overwrite the lock.
  static func firstComponent(of path: String, isOneOf reserved: [String]) -> String? {
    let first = (components(of: path).first ?? "").lowercased()
    return reserved.first { $0.lowercased() == first }
  }

  /// `path` as git prints it with `core.quotePath` off: as it is, or in double quotes with C
  /// escapes (`\t`, `\"`, `\\`, `\302\205`) where it holds a control character, a line or
  /// paragraph separator, a `"` or `\`, or bytes that are not UTF-8 — so a name found in a
  /// folder or a tree can never forge a line of output or move the terminal's cursor.
  static func quoted(_ path: [UInt8]) -> String {
    var pieces: [(bytes: ArraySlice<UInt8>, scalar: Unicode.Scalar?)] = []
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = path.makeIterator()
    var offset = 0
    parsing: while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        pieces.append((path[offset..<offset + encoded.count], Unicode.UTF8.decode(encoded)))
        offset += encoded.count
      case .error(let length):
        pieces.append((path[offset..<offset + length], nil))
        offset += length
      case .emptyInput:
        break parsing
      }
    }
    func plain(_ scalar: Unicode.Scalar?) -> Bool {
      guard let value = scalar?.value else { return false }
      return value >= 0x20 && value != 0x7F && !(0x80...0x9F).contains(value) && value != 0x2028
        && value != 0x2029 && scalar != "\"" && scalar != "\\"
    }
    guard !pieces.allSatisfy({ plain($0.scalar) }) else { return String(decoding: path, as: UTF8.self) }
    let named: [Unicode.Scalar: String] = [
      "\u{07}": "a", "\u{08}": "b", "\t": "t", "\n": "n", "\u{0B}": "v", "\u{0C}": "f", "\r": "r",
      "\"": "\"", "\\": "\\",
    ]
    var out = "\""
    for piece in pieces {
      if let scalar = piece.scalar, plain(scalar) {
        out.unicodeScalars.append(scalar)
      } else if let scalar = piece.scalar, let letter = named[scalar] {
        out += "\\" + letter
      } else {
        for byte in piece.bytes {
          let octal = String(byte, radix: 8)
          out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
        }
      }
    }
    return out + "\""
  }

  /// ``quoted(_:)`` for a path already held as text.
  static func quoted(_ path: String) -> String { quoted(Array(path.utf8)) }

  /// Zero-width code points that HFS+ drops when it compares names (git's `is_hfs_dotgit`).
  private static func isIgnoredByHFS(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x200C...0x200F, 0x202A...0x202E, 0x206A...0x206F, 0xFEFF: true
    default: false
    }
  }
}
