import Clibgit2

/// The mode of a tree entry, as git records it.
public enum FileMode: UInt32, Sendable, Codable {
  case unreadable = 0
  case tree = 0o040000
  case blob = 0o100644
  /// Old repositories record group-writable blobs; git treats them as 0o100644.
  case blobGroupWritable = 0o100664
  case executable = 0o100755
  case link = 0o120000
  /// A submodule: the entry names a commit of another repository.
  case commit = 0o160000

  /// Any mode libgit2 reports, unknown ones as `.unreadable`.
  init(raw: UInt32) {
    self = FileMode(rawValue: raw) ?? .unreadable
  }

  /// True for file content stored in this repository (regular, executable or symlink).
  public var isBlob: Bool {
    self == .blob || self == .blobGroupWritable || self == .executable || self == .link
  }

  /// The mode as git prints it, "100644".
  public var octal: String { String(rawValue, radix: 8) }
}

/// One entry of a tree: a name in its folder, the object it names and its mode.
public struct TreeEntry: Hashable, Sendable {
  /// The name as UTF-8 text; bytes that are not UTF-8 read as U+FFFD (see `nameIsUTF8`).
  public let name: String
  public let id: ObjectID
  public let mode: FileMode
  /// False when git stored a name that is not UTF-8 (git allows any bytes but NUL and `/`):
  /// `name` then spells another file. For an entry from ``Repository/files(inTree:)``, false
  /// when any folder on its path is such a name.
  public let nameIsUTF8: Bool

  public init(name: String, id: ObjectID, mode: FileMode, nameIsUTF8: Bool = true) {
    self.name = name
    self.id = id
    self.mode = mode
    self.nameIsUTF8 = nameIsUTF8
  }
}

extension Repository {
  /// The entry at `path` (slash-separated, relative to the tree's root), or nil if none.
  public func entry(at path: String, inTree tree: ObjectID) throws(GitError) -> TreeEntry? {
    let treeHandle = try lookupTree(tree)
    defer { git_tree_free(treeHandle) }
    var entry: OpaquePointer?
    let result = git_tree_entry_bypath(&entry, treeHandle, path)
    if result == GIT_ENOTFOUND.rawValue {
      git_error_clear()
      return nil
    }
    try check(result)
    defer { git_tree_entry_free(entry) }
    return TreeEntry(entry!, name: path)
  }

  /// The entries directly inside `tree`, in git's order.
  public func entries(ofTree tree: ObjectID) throws(GitError) -> [TreeEntry] {
    let treeHandle = try lookupTree(tree)
    defer { git_tree_free(treeHandle) }
    return (0..<git_tree_entrycount(treeHandle)).map { index in
      let entry = git_tree_entry_byindex(treeHandle, index)!
      let raw = git_tree_entry_name(entry)!
      let valid = String(validatingCString: raw)
      return TreeEntry(entry, name: valid ?? String(cString: raw), nameIsUTF8: valid != nil)
    }
  }

  /// Every non-tree entry below `tree`, with its full slash-separated path, in git's order.
  public func files(inTree tree: ObjectID) throws(GitError) -> [(path: String, entry: TreeEntry)] {
    var result: [(path: String, entry: TreeEntry)] = []
    func walk(_ tree: ObjectID, prefix: String, prefixIsUTF8: Bool) throws(GitError) {
      for entry in try entries(ofTree: tree) {
        let path = prefix + entry.name
        let isUTF8 = prefixIsUTF8 && entry.nameIsUTF8
        if entry.mode == .tree {
          try walk(entry.id, prefix: path + "/", prefixIsUTF8: isUTF8)
        } else {
          result.append(
            (path, TreeEntry(name: entry.name, id: entry.id, mode: entry.mode, nameIsUTF8: isUTF8)))
        }
      }
    }
    try walk(tree, prefix: "", prefixIsUTF8: true)
    return result
  }

  /// Writes a tree holding exactly `entries` and returns its id.
  public func writeTree(_ entries: [TreeEntry]) throws(GitError) -> ObjectID {
    var builder: OpaquePointer?
    try check(git_treebuilder_new(&builder, pointer, nil))
    defer { git_treebuilder_free(builder) }
    for entry in entries {
      var oid = entry.id.oid
      try check(git_treebuilder_insert(nil, builder, entry.name, &oid, git_filemode_t(entry.mode.rawValue)))
    }
    var result = git_oid()
    try check(git_treebuilder_write(&result, builder))
    return ObjectID(result)
  }

  func lookupTree(_ id: ObjectID) throws(GitError) -> OpaquePointer {
    var oid = id.oid
    var handle: OpaquePointer?
    try check(git_tree_lookup(&handle, pointer, &oid))
    return handle!
  }
}

extension TreeEntry {
  init(_ entry: OpaquePointer, name: String, nameIsUTF8: Bool = true) {
    self.init(
      name: name, id: ObjectID(git_tree_entry_id(entry)),
      mode: FileMode(raw: git_tree_entry_filemode_raw(entry).rawValue), nameIsUTF8: nameIsUTF8)
  }
}
