import Clibgit2

#if canImport(Glibc)
  import Glibc
#endif

/// One changed path between two trees, as `git diff --raw -M` sees it.
public struct TreeChange: Hashable, Sendable {
  public enum Status: String, Sendable, Codable {
    case added, deleted, modified, renamed, copied, typechange
  }

  public let status: Status
  /// The path before the change; the same as `newPath` unless renamed or copied.
  public let oldPath: String
  public let newPath: String
  /// The object before the change; nil when added.
  public let oldID: ObjectID?
  /// The object after the change; nil when deleted.
  public let newID: ObjectID?
  public let oldMode: FileMode
  public let newMode: FileMode
  /// Rename or copy similarity, 0 to 100.
  public let similarity: Int
}

/// How a tree-to-tree diff looks for renames, as git's `-M[<n>]`.
public struct RenameDetection: Sendable {
  /// Minimum similarity for a rename, in percent (git's default is 50).
  public var threshold: Int
  /// When the deleted × added paths left after exact and same-basename renames outnumber
  /// `limit` squared, only those renames are kept (git's `diff.renameLimit`, 1000 by
  /// default; 0 or less: no limit).
  public var limit: Int

  public init(threshold: Int = 50, limit: Int = 1000) {
    self.threshold = threshold
    self.limit = limit
  }

  public static let gitDefault = RenameDetection()
}

/// Added and removed line counts of one file, as `git diff --numstat` counts them.
public struct LineStats: Hashable, Sendable {
  public var additions: Int
  public var deletions: Int

  public init(additions: Int, deletions: Int) {
    self.additions = additions
    self.deletions = deletions
  }
}

extension Repository {
  /// The changes from tree `old` to tree `new` (nil for the empty tree), recursing into folders,
  /// with type changes reported as such and renames found as `git diff -M` finds them.
  ///
  /// Cost grows with the change, not with the trees: libgit2 skips identical subtrees by id.
  public func diffTrees(
    _ old: ObjectID?, _ new: ObjectID?, renames: RenameDetection? = .gitDefault
  ) throws(GitError) -> [TreeChange] {
    let oldTree = try old.map { id throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(oldTree) }
    let newTree = try new.map { id throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(newTree) }

    // libgit2's tree diff reads every subtree of both trees, so its cost grows with the
    // repository. Find the changed paths first, skipping identical subtrees by id, and let
    // libgit2 diff exactly those.
    let paths = try changedPaths(old, new)
    guard !paths.isEmpty else { return [] }
    let diff = try makeDiff(oldTree, newTree, onlyPaths: paths)
    defer { git_diff_free(diff) }
    let plain = Self.changes(in: diff)
    // Renames pair deleted with added paths only (never type changes), as git does; the
    // pass reads blobs only when there are both.
    guard let renames, plain.contains(where: { $0.status == .added }),
      plain.contains(where: { $0.status == .deleted })
    else { return plain }
    var finder = RenameFinder(repository: self, renames)
    return try finder.pairRenames(in: plain)
  }

  /// Every path whose entry differs between two trees (nil: empty), in no particular order.
  /// Identical subtrees are skipped by id, so the cost follows the change, not the trees.
  func changedPaths(_ old: ObjectID?, _ new: ObjectID?) throws(GitError) -> [String] {
    var paths: [String] = []
    try changedPaths(old, new, prefix: "", into: &paths)
    return paths
  }

  private func changedPaths(_ old: ObjectID?, _ new: ObjectID?, prefix: String, into paths: inout [String])
    throws(GitError)
  {
    if old == new { return }
    let oldTree = try old.map { id throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(oldTree) }
    let newTree = try new.map { id throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(newTree) }
    // The entries stay libgit2's (owned by the two trees, freed on return): only an entry that
    // differs is named, so an unchanged folder of a thousand files costs no String.
    for (before, after) in Self.pairedByName(Self.entries(of: oldTree), Self.entries(of: newTree)) {
      let oldID = before.map { ObjectID(git_tree_entry_id($0)) }
      let newID = after.map { ObjectID(git_tree_entry_id($0)) }
      let oldMode = before.map { FileMode(raw: git_tree_entry_filemode_raw($0).rawValue) }
      let newMode = after.map { FileMode(raw: git_tree_entry_filemode_raw($0).rawValue) }
      if before != nil, after != nil, oldID == newID, oldMode == newMode { continue }
      let raw = git_tree_entry_name((before ?? after)!)!
      let path = prefix + (String(validatingCString: raw) ?? String(cString: raw))
      let oldSubtree = oldMode == .tree ? oldID : nil
      let newSubtree = newMode == .tree ? newID : nil
      if oldSubtree != nil || newSubtree != nil {
        try changedPaths(oldSubtree, newSubtree, prefix: path + "/", into: &paths)
      }
      if (before != nil && oldMode != .tree) || (after != nil && newMode != .tree) { paths.append(path) }
    }
  }

  private static func entries(of tree: OpaquePointer?) -> [OpaquePointer] {
    guard let tree else { return [] }
    return (0..<git_tree_entrycount(tree)).map { git_tree_entry_byindex(tree, $0)! }
  }

  /// The two trees' entries paired by name (nil: absent on that side). git writes a tree's
  /// entries in one order (`git_tree_entry_cmp`'s: a folder sorts as if its name ended in "/"),
  /// so one pass over both pairs them; a tree not in that order (git fsck's treeNotSorted,
  /// written by some other tool or on purpose) is paired through a table of its names instead,
  /// so that no entry can hide from the diff by being out of place.
  private static func pairedByName(_ old: [OpaquePointer], _ new: [OpaquePointer]) -> [(
    OpaquePointer?, OpaquePointer?
  )] {
    guard isInGitOrder(old), isInGitOrder(new) else { return pairedThroughTable(old, new) }
    var pairs: [(OpaquePointer?, OpaquePointer?)] = []
    pairs.reserveCapacity(max(old.count, new.count))
    var oldIndex = 0
    var newIndex = 0
    while oldIndex < old.count || newIndex < new.count {
      let order: Int32 =
        oldIndex == old.count
        ? 1 : newIndex == new.count ? -1 : git_tree_entry_cmp(old[oldIndex], new[newIndex])
      if order < 0 {
        pairs.append((old[oldIndex], nil))
        oldIndex += 1
      } else if order > 0 {
        pairs.append((nil, new[newIndex]))
        newIndex += 1
      } else {
        pairs.append((old[oldIndex], new[newIndex]))
        oldIndex += 1
        newIndex += 1
      }
    }
    return pairs
  }

  private static func isInGitOrder(_ entries: [OpaquePointer]) -> Bool {
    entries.indices.dropFirst().allSatisfy { git_tree_entry_cmp(entries[$0 - 1], entries[$0]) < 0 }
  }

  /// The same for trees out of git's order: entries of the same name (byte for byte) pair,
  /// whatever their place or type.
  private static func pairedThroughTable(_ old: [OpaquePointer], _ new: [OpaquePointer]) -> [(
    OpaquePointer?, OpaquePointer?
  )] {
    func name(_ entry: OpaquePointer) -> [UInt8] {
      let raw = git_tree_entry_name(entry)!
      return Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
    }
    // A name may repeat in such a tree: its first entry on the old side is the one paired.
    var oldByName: [[UInt8]: OpaquePointer] = [:]
    for entry in old {
      let key = name(entry)
      if oldByName[key] == nil { oldByName[key] = entry }
    }
    var pairs: [(OpaquePointer?, OpaquePointer?)] = []
    var paired = Set<[UInt8]>()
    for entry in new {
      let key = name(entry)
      paired.insert(key)
      pairs.append((oldByName[key], entry))
    }
    for entry in old where !paired.contains(name(entry)) { pairs.append((entry, nil)) }
    return pairs
  }

  /// A tree-to-tree diff with type changes, restricted to exactly `onlyPaths` when given.
  private func makeDiff(_ oldTree: OpaquePointer?, _ newTree: OpaquePointer?, onlyPaths: [String]?)
    throws(GitError) -> OpaquePointer
  {
    var options = git_diff_options()
    try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
    // Blob content is not read here: binary detection and line counts come per file, on demand.
    options.flags = GIT_DIFF_INCLUDE_TYPECHANGE.rawValue | GIT_DIFF_SKIP_BINARY_CHECK.rawValue
    var cStrings: [UnsafeMutablePointer<CChar>?] = (onlyPaths ?? []).map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    var diff: OpaquePointer?
    let result = cStrings.withUnsafeMutableBufferPointer { paths in
      if onlyPaths != nil {
        options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
        options.pathspec = git_strarray(strings: paths.baseAddress, count: paths.count)
      }
      return git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options)
    }
    try check(result)
    return diff!
  }

  private static func changes(in diff: OpaquePointer) -> [TreeChange] {
    let count = git_diff_num_deltas(diff)
    var changes: [TreeChange] = []
    changes.reserveCapacity(count)
    for index in 0..<count {
      guard let delta = git_diff_get_delta(diff, index)?.pointee,
        let status = TreeChange.Status(delta.status)
      else { continue }
      let oldFile = delta.old_file
      let newFile = delta.new_file
      changes.append(
        TreeChange(
          status: status,
          oldPath: String(cString: oldFile.path),
          newPath: String(cString: newFile.path),
          oldID: status == .added ? nil : ObjectID(oldFile.id),
          newID: status == .deleted ? nil : ObjectID(newFile.id),
          oldMode: FileMode(raw: UInt32(oldFile.mode)),
          newMode: FileMode(raw: UInt32(newFile.mode)),
          similarity: Int(delta.similarity)))
    }
    return changes
  }

  /// Line counts between two texts, as `git diff --numstat` counts them (Myers diff, no
  /// context needed). Either side may be empty for an added or deleted file.
  public func lineStats(old: [UInt8], new: [UInt8]) throws(GitError) -> LineStats {
    ensureLibgit2()
    if old.isEmpty || new.isEmpty {
      return LineStats(additions: Self.lineCount(new), deletions: Self.lineCount(old))
    }
    return try Self.lineStats { patch, options in
      old.withUnsafeBytes { oldBytes in
        new.withUnsafeBytes { newBytes in
          git_patch_from_buffers(
            &patch, oldBytes.baseAddress, oldBytes.count, nil, newBytes.baseAddress, newBytes.count,
            nil, options)
        }
      }
    }
  }

  /// The same for two blobs (nil: the side is absent, as for an added or deleted file). Read
  /// from the blobs libgit2 holds: from buffers, libgit2 hashes both sides again to name them,
  /// a tenth of the work of diffing a 1 MiB prompt.
  public func lineStats(old: BlobContent?, new: BlobContent?) throws(GitError) -> LineStats {
    ensureLibgit2()
    guard let old, let new, !old.bytes.isEmpty, !new.bytes.isEmpty else {
      return LineStats(
        additions: Self.lineCount(new?.bytes ?? .init(start: nil, count: 0)),
        deletions: Self.lineCount(old?.bytes ?? .init(start: nil, count: 0)))
    }
    // Empty paths, not nil: for a blob without a path libgit2 makes up "file" and looks up its
    // diff driver in the attribute files, two lookups a file (each a stat of info/attributes
    // and of /etc/gitattributes, and more work than the count itself). An empty path takes the
    // default driver, and forced text leaves the driver nothing to decide.
    return try Self.lineStats { patch, options in
      git_patch_from_blobs(&patch, old.handle, "", new.handle, "", options)
    }
  }

  /// The line counts of the patch `makePatch` makes with options for counting only (no context
  /// lines, every file read as text).
  private static func lineStats(
    _ makePatch: (inout OpaquePointer?, UnsafePointer<git_diff_options>) -> Int32
  ) throws(GitError) -> LineStats {
    var options = git_diff_options()
    try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
    options.context_lines = 0
    options.flags = GIT_DIFF_FORCE_TEXT.rawValue
    var patch: OpaquePointer?
    try check(withUnsafePointer(to: &options) { makePatch(&patch, $0) })
    defer { git_patch_free(patch) }
    var context = 0
    var additions = 0
    var deletions = 0
    try check(git_patch_line_stats(&context, &additions, &deletions, patch))
    return LineStats(additions: additions, deletions: deletions)
  }

  /// Lines in `content`, counting a last line without a newline.
  static func lineCount(_ content: some BidirectionalCollection<UInt8>) -> Int {
    var count = 0
    for byte in content where byte == UInt8(ascii: "\n") { count += 1 }
    if let last = content.last, last != UInt8(ascii: "\n") { count += 1 }
    return count
  }
}

extension TreeChange.Status {
  init?(_ delta: git_delta_t) {
    switch delta {
    case GIT_DELTA_ADDED: self = .added
    case GIT_DELTA_DELETED: self = .deleted
    case GIT_DELTA_MODIFIED: self = .modified
    case GIT_DELTA_RENAMED: self = .renamed
    case GIT_DELTA_COPIED: self = .copied
    case GIT_DELTA_TYPECHANGE: self = .typechange
    default: return nil
    }
  }
}
