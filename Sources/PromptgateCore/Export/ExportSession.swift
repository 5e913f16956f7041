import Git

/// One export in progress: the folder it writes into, and what it wrote and skipped so far.
///
/// Without a folder it writes nothing and records every file as written: what an export of the
/// release would lock, which `export --verify` compares a folder with. The same code decides
/// both, so they cannot disagree on which files an export holds.
struct ExportSession {
  let repository: Repository
  var folder: ExportFolder?
  private(set) var written: [String] = []
  private(set) var warnings: [ReleaseExport.Warning] = []

  init(repository: Repository, folder: ExportFolder?) {
    self.repository = repository
    self.folder = folder
  }

  /// Every non-tree entry of `commit`'s tree, with its path.
  static func files(of commit: Commit, in repository: Repository) throws(PromptgateError)
    -> [(path: String, entry: TreeEntry)]
  {
    do {
      return try repository.files(inTree: commit.tree)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "the tree of \(commit.id.short())")
    }
  }

  /// Writes the regular and executable files of `files` at `prefix` + their path, warning about
  /// every other entry and every unsafe path; returns what the lock records.
  mutating func writeTree(_ files: [(path: String, entry: TreeEntry)], under prefix: String)
    throws(PromptgateError) -> [LockedFile]
  {
    var locked: [LockedFile] = []
    for (path, entry) in files {
      let target = prefix + path
      guard entry.nameIsUTF8 else {
        // Written under the spelling promptgate can read, it would be another file.
        warn(target, "its name is not UTF-8 (shown with U+FFFD); not exported: rename it in the repository")
        continue
      }
      if let reason = ExportPath.refusal(for: path) {
        warn(target, reason)
        continue
      }
      switch entry.mode {
      case .blob, .blobGroupWritable, .executable:
        let bytes = try content(of: entry, at: path)
        if let file = try writeFile(bytes, at: target, executable: entry.mode == .executable) {
          locked.append(file)
        }
      case .link: warn(target, "symlink not exported")
      case .commit: warn(target, "submodule (mode 160000) not exported")
      case .tree, .unreadable: warn(target, "unknown file mode \(entry.mode.octal); not exported")
      }
    }
    return locked
  }

  /// Writes one file (its path already checked), or warns why it could not; nil when skipped.
  mutating func writeFile(_ bytes: [UInt8], at path: String, executable: Bool) throws(PromptgateError)
    -> LockedFile?
  {
    // Without a folder, nothing is written and nothing is skipped for the file system's sake.
    switch try folder?.write(bytes, at: path, executable: executable) ?? .written {
    case .written:
      written.append(path)
      return LockedFile(path: path, bytes: bytes, executable: executable)
    case .skipped(let reason):
      warn(path, reason)
      return nil
    }
  }

  /// Writes `release.json` last, then removes the marker: only now is the export complete.
  mutating func writeLock(_ lock: JSONValue) throws(PromptgateError) {
    let path = ExportFolder.lock
    guard let root = folder?.root else { return }
    if case .skipped(let reason) = try folder?.write(Array(lock.pretty.utf8), at: path, executable: false) {
      throw .input("cannot write \(root)/\(path): \(reason)")
    }
    written.append(path)
    try folder?.finish()
  }

  /// The bytes of a blob.
  func content(of entry: TreeEntry, at path: String) throws(PromptgateError) -> [UInt8] {
    do {
      return try repository.blob(entry.id)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "\(path) (blob \(entry.id.short()))")
    }
  }

  private mutating func warn(_ path: String, _ message: String) {
    warnings.append(ReleaseExport.Warning(path: path, message: message))
  }
}
