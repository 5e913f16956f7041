import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What changed between two releases: every file, classified, with its semantic changes.
public struct ReleaseDiff: Sendable {
  /// A commit and the tree that is its content.
  public struct Point: Sendable, Codable, Hashable {
    public let commit: String
    public let tree: String
  }

  public let base: Point
  public let head: Point
  public let files: [FileChange]
  /// Problems that did not stop the diff (an unreadable runbook, say).
  public internal(set) var warnings: [String]
  /// The prompts and policies read, for the gates.
  let texts: BlobTexts
}

/// One changed file between two releases.
public struct FileChange: Sendable, Hashable {
  public enum Status: String, Sendable {
    case added, modified, deleted, renamed, typechange
  }

  public let path: String
  /// The path before a rename; nil otherwise.
  public let oldPath: String?
  public let status: Status
  public let kind: FileKind
  public let additions: Int
  public let deletions: Int
  /// True when either side is binary: a NUL byte in its first 8000 bytes, as git decides, or
  /// content that is not UTF-8. Binary files have no line counts and no semantic changes.
  public let binary: Bool
  /// The git modes before and after ("100644", "100755", "120000", "160000"); nil where absent.
  public let oldMode: String?
  public let newMode: String?
  /// Rename similarity in percent; nil unless renamed.
  public let similarity: Int?
  /// The blob (or submodule commit) ids before and after; nil where absent.
  public let oldID: String?
  public let newID: String?
  public let changes: [SemanticChange]
  /// A prose prompt's section changes (SPEC §6); empty for other files.
  public let sections: [SectionChange]
  public let notes: [String]
}

extension ReleaseDiff {
  /// Diffs `head` against `base`, classifying paths by the base's runbook (the head's when the
  /// base has none), as `check` will judge them.
  public static func between(_ base: Commit, _ head: Commit, in repository: Repository)
    throws(PromptgateError) -> ReleaseDiff
  {
    try ReleaseDiffReader(base, head, in: repository).collect()
  }

  /// Diffs `head` against `base` (every file added when there is no base) with `classifier`;
  /// with `keepingTexts`, the prompts and policies read stay in `texts` for the gates; each
  /// file is read to `depth`.
  public static func between(
    _ base: Commit?, _ head: Commit, in repository: Repository, classifier: PathClassifier,
    keepingTexts: Bool = false, depth: ReadingDepth = .meaning
  ) throws(PromptgateError) -> ReleaseDiff {
    try ReleaseDiffReader(
      base, head, in: repository, classifier: classifier, keepingTexts: keepingTexts, depth: depth
    ).collect()
  }
}

extension ReleaseDiffReader {
  /// Every file read at once (one batch, both threads busy to the end), for the gates.
  func collect() throws(PromptgateError) -> ReleaseDiff {
    var files: [FileChange] = []
    files.reserveCapacity(entries.count)
    try forEachFile(batchSize: max(1, entries.count)) { file throws(PromptgateError) in files.append(file) }
    return ReleaseDiff(base: base, head: head, files: files, warnings: warnings, texts: texts)
  }
}

extension FileChange {
  /// The same file without what was read inside it (semantic changes, sections, notes): its
  /// identity, modes, ids and line counts, all its patch and stat need. `diff --stat --patch`
  /// holds this for every file while the stat waits for the last one.
  public var outline: FileChange {
    FileChange(
      path: path, oldPath: oldPath, status: status, kind: kind, additions: additions, deletions: deletions,
      binary: binary, oldMode: oldMode, newMode: newMode, similarity: similarity, oldID: oldID, newID: newID,
      changes: [], sections: [], notes: [])
  }

  /// Reads one changed file: its blobs, line counts and, to `depth`, semantic changes. `kind`
  /// is the path's, classified once for the whole diff.
  init(
    _ change: TreeChange, kind: FileKind, repository: Repository, keeping texts: BlobTexts,
    depth: ReadingDepth = .meaning
  )
    throws(GitError)
  {
    let status: Status =
      switch change.status {
      case .added: .added
      case .deleted: .deleted
      case .renamed: .renamed
      case .typechange: .typechange
      case .modified, .copied: .modified
      }
    path = change.newPath
    oldPath = change.status == .renamed ? change.oldPath : nil
    self.status = status
    self.kind = kind
    oldMode = change.oldID == nil ? nil : change.oldMode.octal
    newMode = change.newID == nil ? nil : change.newMode.octal
    similarity = change.status == .renamed ? change.similarity : nil
    oldID = change.oldID?.hex
    newID = change.newID?.hex

    var notes: [String] = []
    let isSubmodule = change.oldMode == .commit || change.newMode == .commit
    if isSubmodule {
      // git counts a submodule move as one line out, one line in ("Subproject commit <id>").
      notes.append("submodule: not read")
      additions = change.newMode == .commit ? 1 : 0
      deletions = change.oldMode == .commit ? 1 : 0
      binary = false
      changes = []
      sections = []
      self.notes = notes
      return
    }
    if change.oldMode == .link || change.newMode == .link { notes.append("symlink") }

    let old = try Self.content(change.oldID, mode: change.oldMode, repository: repository)
    let new = try Self.content(change.newID, mode: change.newMode, repository: repository)
    // Each side is read as text once: validating a megabyte is a millisecond.
    let oldText = old.flatMap { Self.text($0.bytes) }
    let newText = new.flatMap { Self.text($0.bytes) }
    binary = (old != nil && oldText == nil) || (new != nil && newText == nil)
    if binary || change.oldID == change.newID {
      additions = 0
      deletions = 0
      changes = []
      sections = []
      self.notes = notes
      return
    }
    // A large file's meaning is read on a second thread while libgit2 counts its lines here.
    let (stats, semantics) = Parallel.both(
      inParallel: (old?.bytes.count ?? 0) + (new?.bytes.count ?? 0) >= Parallel.largeText,
      { Result { () throws(GitError) in try repository.lineStats(old: old, new: new) } },
      {
        depth == .lines
          ? FileSemantics()
          : Self.semantics(
            change, kind: kind, old: oldText, new: newText, keeping: texts,
            proseSections: depth == .meaning)
      }
    )
    let lines = try stats.get()
    additions = lines.additions
    deletions = lines.deletions
    changes = semantics.changes
    sections = semantics.sections
    self.notes = notes + semantics.notes
  }

  /// What changed inside a text file: governance by its meaning, prompts and policies by their
  /// fields, keys and sections; nothing for other files and symlinks.
  private static func semantics(
    _ change: TreeChange, kind: FileKind, old oldText: String?, new newText: String?,
    keeping texts: BlobTexts,
    proseSections: Bool
  ) -> FileSemantics {
    let path = change.newPath
    guard change.oldMode != .link, change.newMode != .link else { return FileSemantics() }
    if let governance = GovernanceDiff.file(path) {
      return GovernanceDiff.semantics(governance, path: path, old: oldText, new: newText)
    }
    guard kind != .other else { return FileSemantics() }
    if let oldText, let id = change.oldID { texts.keep(oldText, for: id) }
    if let newText, let id = change.newID { texts.keep(newText, for: id) }
    guard let oldText, let newText else { return FileSemantics() }
    return kind == .prompt
      ? .prompt(path: path, old: oldText, new: newText, sections: proseSections, keeping: texts)
      : .policy(path: path, old: oldText, new: newText)
  }

  private static func content(_ id: ObjectID?, mode: FileMode, repository: Repository) throws(GitError)
    -> BlobContent?
  {
    guard let id, mode.isBlob else { return nil }
    return try repository.blobContent(id)
  }

  /// git's rule (a NUL byte in the first 8000 bytes), and anything that is not UTF-8.
  static func isBinary(_ content: [UInt8]?) -> Bool {
    guard let content else { return false }
    return text(content) == nil
  }

  /// The content as text; nil when it is binary (``isBinary(_:)``).
  private static func text(_ content: some Collection<UInt8>) -> String? {
    guard !content.prefix(8000).contains(0) else { return nil }
    return String(validating: content, as: UTF8.self)
  }
}
