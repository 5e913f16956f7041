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

  /// ``RepositoryText/quoted(_:)-(Array<UInt8>)``: a name found in a folder or a tree, as git
  /// prints it.
  static func quoted(_ path: [UInt8]) -> String { RepositoryText.quoted(path) }

  /// ``quoted(_:)`` for a path already held as text.
  static func quoted(_ path: String) -> String { RepositoryText.quoted(path) }

  /// Zero-width code points that HFS+ drops when it compares names (git's `is_hfs_dotgit`).
  private static func isIgnoredByHFS(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x200C...0x200F, 0x202A...0x202E, 0x206A...0x206F, 0xFEFF: true
    default: false
    }
  }
}
