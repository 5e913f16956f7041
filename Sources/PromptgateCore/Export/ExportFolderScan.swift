import Crypto

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

/// Everything an export folder holds, read without following a symbolic link anywhere: each
/// folder and file is opened relative to its parent with `O_NOFOLLOW`, so a link swapped in
/// is refused rather than read. Names are kept as the bytes the file system gave, since a name
/// that is not UTF-8 (or another normalization of a listed one) must not pass for a listed file.
struct ExportFolderScan {
  /// What is at one path below the folder.
  enum Entry: Equatable {
    case file(sha256: String, executable: Bool)
    case link
    /// A folder with nothing in it: no export writes one.
    case emptyFolder
    /// A fifo, socket or device.
    case special
    /// It could not be read; the reason, in the system's words.
    case unreadable(String)
  }

  /// Folders nested deeper than this are not read: each level holds a descriptor open.
  static let maximumDepth = 128

  /// Path below the folder (its bytes, `/`-separated) → what is there. The folder's own
  /// `release.json` is left out: it is the lock, not a file of the export.
  private(set) var entries: [[UInt8]: Entry] = [:]

  /// Reads `root`, which must be a real folder (the caller checked it with `lstat`).
  init(_ root: String) throws(PromptgateError) {
    let descriptor = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .input("cannot open the folder \(root): \(String(cString: strerror(errno)))")
    }
    scan(descriptor, prefix: [], depth: 0)
  }

  /// Reads the folder open at `descriptor` (and closes it), recording what is below it.
  private mutating func scan(_ descriptor: Int32, prefix: [UInt8], depth: Int) {
    guard let stream = fdopendir(descriptor) else {
      entries[prefix] = .unreadable(String(cString: strerror(errno)))
      close(descriptor)
      return
    }
    defer { closedir(stream) }
    let folder = dirfd(stream)
    var names: [[UInt8]] = []
    while true {
      errno = 0
      guard let entry = readdir(stream) else {
        if errno != 0 { entries[prefix] = .unreadable(String(cString: strerror(errno))) }
        break
      }
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      if name == Array(".".utf8) || name == Array("..".utf8) { continue }
      if prefix.isEmpty && name == Array(ExportFolder.lock.utf8) { continue }
      names.append(name)
    }
    if names.isEmpty && !prefix.isEmpty && entries[prefix] == nil {
      entries[prefix] = .emptyFolder
    }
    for name in names {
      let path = prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
      let cName = name.map { CChar(bitPattern: $0) } + [0]
      var info = stat()
      guard fstatat(folder, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
        entries[path] = .unreadable(String(cString: strerror(errno)))
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFLNK:
        entries[path] = .link
      case S_IFDIR:
        guard depth + 1 < Self.maximumDepth else {
          entries[path] = .unreadable("folders nested deeper than \(Self.maximumDepth) are not read")
          continue
        }
        let child = openat(folder, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else {
          entries[path] = Self.openFailure(errno)
          continue
        }
        scan(child, prefix: path, depth: depth + 1)
      case S_IFREG:
        let file = openat(folder, cName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        entries[path] = file >= 0 ? Self.hash(file) : Self.openFailure(errno)
      default:
        entries[path] = .special
      }
    }
  }

  /// A failed `open`: a link swapped in since `fstatat` looked (`ELOOP`), or unreadable.
  private static func openFailure(_ code: Int32) -> Entry {
    code == ELOOP ? .link : .unreadable(String(cString: strerror(code)))
  }

  /// The SHA-256 and executable bit of the regular file open at `descriptor`, which it closes.
  private static func hash(_ descriptor: Int32) -> Entry {
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .unreadable(String(cString: strerror(errno))) }
    // Swapped for something else since it was looked at.
    guard info.st_mode & S_IFMT == S_IFREG else { return .special }
    var hasher = SHA256()
    let failure = DescriptorReader.forEachPiece(of: descriptor) { piece in
      piece.withUnsafeBytes { hasher.update(bufferPointer: $0) }
      return true
    }
    if let failure { return .unreadable(String(cString: strerror(failure))) }
    return .file(sha256: Hex.string(hasher.finalize()), executable: info.st_mode & S_IXUSR != 0)
  }
}
