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

/// The folder an export writes into. It never writes outside it, never through a symbolic link,
/// and never leaves a half-written file under a final name.
///
/// While an export runs, the folder holds `.promptgate-export-incomplete`; it is removed only
/// after `release.json` is in place. A folder with the lock or the marker is an earlier export,
/// and only such a folder may be replaced, so `--replace` cannot empty a home directory.
struct ExportFolder {
  /// What happened to one file: written, or skipped with the reason a warning gives.
  enum Outcome {
    case written
    case skipped(String)
  }

  static let lock = "release.json"
  static let marker = ".promptgate-export-incomplete"
  private static let temporaryPrefix = ".promptgate-tmp-"

  /// The folder as given, without trailing slashes (so `lstat` sees a link as a link).
  let root: String
  /// Folders inside `root`, relative to it, already checked to be real folders. A symbolic
  /// link swapped in after the check is not caught; whoever can do that can also change the
  /// files after the export, so the check guards against links left there beforehand.
  private var checkedFolders: Set<String> = []

  private init(root: String) {
    self.root = root
  }

  /// Makes `folder` ready: created if missing, refused if it is a link, not a folder, or not
  /// empty (unless `replace` and it holds an earlier export without links, which is cleared).
  static func prepare(_ folder: String, replace: Bool) throws(PromptgateError) -> ExportFolder {
    let root = trimmingTrailingSlashes(folder)
    guard !root.isEmpty else { throw .input("no export folder given; name a new or empty folder") }
    switch try kind(at: root) {
    case .missing:
      try createFolders(root)
      // Created by someone else in the meantime, perhaps as a link: look again.
      guard case .folder = try kind(at: root) else {
        throw .input("the export folder \(root) changed while it was being created; export again")
      }
    case .link:
      throw .input(
        "the export folder \(root) is a symbolic link; promptgate never writes through links: "
          + "give the real folder's path")
    case .file, .other:
      throw .input("\(root) exists and is not a folder; give a new or empty folder for the export")
    case .folder:
      try clearEarlierExport(in: root, replace: replace)
    }
    let folder = ExportFolder(root: root)
    try folder.writeMarker()
    return folder
  }

  /// Writes `bytes` at `path` (relative, already checked by ``ExportPath``) through a temporary
  /// file in the same folder and a rename, with mode 0755 or 0644 whatever the umask.
  mutating func write(_ bytes: [UInt8], at path: String, executable: Bool) throws(PromptgateError)
    -> Outcome
  {
    let components = ExportPath.components(of: path)
    var relative = ""
    for component in components.dropLast() {
      relative = relative.isEmpty ? component : relative + "/" + component
      if case .skipped(let why) = try makeFolder(relative) { return .skipped(why) }
    }
    let final = root + "/" + path
    switch try Self.kind(at: final) {
    case .missing: break
    case .link: throw Self.linkInside(final)
    case .file, .folder, .other:
      return .skipped(
        "another file of this export already has this name on this file system "
          + "(names that differ only in case or Unicode form); not exported")
    }
    let folder = relative.isEmpty ? root : root + "/" + relative
    let temporary = folder + "/" + Self.temporaryPrefix + UUID().uuidString
    try Self.writeNew(bytes, to: temporary, mode: executable ? 0o755 : 0o644)
    guard rename(temporary, final) == 0 else {
      let code = errno
      unlink(temporary)
      if code == ENAMETOOLONG { return .skipped("name too long for this file system; not exported") }
      throw Self.writeFailure(final, code)
    }
    return .written
  }

  /// Removes the marker: the export is complete.
  func finish() throws(PromptgateError) {
    guard unlink(root + "/" + Self.marker) == 0 else {
      throw Self.writeFailure(root + "/" + Self.marker, errno)
    }
  }

  // MARK: - Folders

  /// Makes sure `relative` is a real folder inside `root`, creating it if needed.
  private mutating func makeFolder(_ relative: String) throws(PromptgateError) -> Outcome {
    if checkedFolders.contains(relative) { return .written }
    let path = root + "/" + relative
    switch try Self.kind(at: path) {
    case .folder: break
    case .missing:
      guard mkdir(path, 0o755) == 0 else {
        let code = errno
        if code == ENAMETOOLONG { return .skipped("name too long for this file system; not exported") }
        throw Self.writeFailure(path, code)
      }
    case .link: throw Self.linkInside(path)
    case .file, .other:
      return .skipped(
        "\(relative) is already a file of this export (names that differ only in case or Unicode "
          + "form collide on this file system); not exported")
    }
    checkedFolders.insert(relative)
    return .written
  }

  /// Creates `path` and its missing parents, like `mkdir -p`, saying which one failed and why.
  private static func createFolders(_ path: String) throws(PromptgateError) {
    var missing: [String] = []
    var current = path
    while case .missing = try kind(at: current) {
      missing.append(current)
      let parent = Paths.parent(of: current)
      if parent.isEmpty || parent == current { break }
      current = parent
    }
    for folder in missing.reversed() {
      guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
        throw .input("cannot create the export folder \(folder): \(String(cString: strerror(errno)))")
      }
    }
  }

  /// Refuses a non-empty folder unless it holds an earlier export that may be replaced, then
  /// empties it. The marker goes in first, so a crash while clearing leaves a folder that a
  /// second `--replace` still recognises.
  private static func clearEarlierExport(in root: String, replace: Bool) throws(PromptgateError) {
    let entries = try contents(of: root)
    guard !entries.isEmpty else { return }
    guard replace else {
      throw .input(
        "the export folder \(root) is not empty; give a new or empty folder, or pass --replace "
          + "to replace an earlier export there")
    }
    guard entries.contains(lock) || entries.contains(marker) else {
      throw .input(
        "the export folder \(root) is not empty and holds no release.json of an earlier export; "
          + "--replace only replaces an export: give a new or empty folder")
    }
    if let link = try firstLink(under: root) {
      throw .input(
        "\(link) is a symbolic link, which no export holds; promptgate will not replace \(root): "
          + "remove the link or give a new folder")
    }
    try ExportFolder(root: root).writeMarker()
    for entry in entries where entry != marker {
      do {
        try FileManager.default.removeItem(atPath: root + "/" + entry)
      } catch {
        throw .input(
          "cannot remove \(root)/\(entry) to replace the earlier export: \(FileError.reason(error))")
      }
    }
  }

  /// The first symbolic link found anywhere below `folder`, never following one.
  private static func firstLink(under folder: String) throws(PromptgateError) -> String? {
    for entry in try contents(of: folder) {
      let path = folder + "/" + entry
      switch try kind(at: path) {
      case .link: return path
      case .folder: if let link = try firstLink(under: path) { return link }
      case .missing, .file, .other: continue
      }
    }
    return nil
  }

  private static func contents(of folder: String) throws(PromptgateError) -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    } catch {
      throw .input("cannot list the folder \(folder): \(FileError.reason(error))")
    }
  }

  // MARK: - Files

  /// Tells a later `--replace` (and anyone looking) that this folder holds an export that is
  /// still being written, or was interrupted.
  private func writeMarker() throws(PromptgateError) {
    let path = root + "/" + Self.marker
    guard case .missing = try Self.kind(at: path) else { return }
    let note =
      "promptgate is writing an export here, or was stopped while doing so; "
      + "release.json appears when it is complete. Export again with --replace.\n"
    try Self.writeNew(Array(note.utf8), to: path, mode: 0o644)
  }

  /// Creates `path`, which must not exist, with exactly `bytes` and `mode`, flushed to disk.
  private static func writeNew(_ bytes: [UInt8], to path: String, mode: mode_t) throws(PromptgateError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw writeFailure(path, errno) }
    var failure = writeAll(bytes, to: descriptor)
    if failure == nil, fchmod(descriptor, mode) != 0 { failure = errno }
    if failure == nil, fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0, failure == nil { failure = errno }
    if let failure {
      unlink(path)
      throw writeFailure(path, failure)
    }
  }

  // MARK: - Inspecting paths

  enum Kind { case missing, folder, link, file, other }

  /// What is at `path`, without following a final symbolic link.
  static func kind(at path: String) throws(PromptgateError) -> Kind {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      let code = errno
      if code == ENOENT { return .missing }
      throw .input("cannot inspect \(path): \(String(cString: strerror(code)))")
    }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: return .folder
    case S_IFLNK: return .link
    case S_IFREG: return .file
    default: return .other
    }
  }

  private static func linkInside(_ path: String) -> PromptgateError {
    .input(
      "\(path) is a symbolic link inside the export folder; promptgate never writes through links: "
        + "remove it and export again with --replace")
  }

  private static func writeFailure(_ path: String, _ code: Int32) -> PromptgateError {
    .input(
      "cannot write \(path): \(String(cString: strerror(code))); the folder holds a partial export: "
        + "fix this and export again with --replace")
  }

  static func trimmingTrailingSlashes(_ path: String) -> String {
    var trimmed = path
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
    return trimmed
  }
}

/// Writes all of `bytes` to `descriptor`, retrying short writes and interruptions; the `errno`
/// of a failure, or nil. (A free function: inside ``ExportFolder`` `write` names its method.)
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
  bytes.withUnsafeBytes { buffer -> Int32? in
    guard let base = buffer.baseAddress else { return nil }
    var offset = 0
    while offset < buffer.count {
      let count = write(descriptor, base + offset, buffer.count - offset)
      if count >= 0 {
        offset += count
      } else if errno != EINTR {
        return errno
      }
    }
    return nil
  }
}
