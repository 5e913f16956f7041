import Foundation
import Git

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
    var warnings: [String] = []
    let classifier = PathClassifier.forRelease(base: base, head: head, in: repository, warnings: &warnings)
    var diff = try between(base, head, in: repository, classifier: classifier)
    diff.warnings = warnings
    return diff
  }

  /// Diffs `head` against `base` (every file added when there is no base) with `classifier`;
  /// with `keepingTexts`, the prompts and policies read stay in `texts` for the gates. Without
  /// `proseSections`, prose prompts are not compared by Markdown section: no gate reads those,
  /// so `check` does not pay for them.
  public static func between(
    _ base: Commit?, _ head: Commit, in repository: Repository, classifier: PathClassifier,
    keepingTexts: Bool = false, proseSections: Bool = true
  ) throws(PromptgateError) -> ReleaseDiff {
    let treeChanges: [TreeChange]
    do {
      treeChanges = try repository.diffTrees(base?.tree, head.tree)
    } catch {
      throw RepositoryLookup.readFailure(
        error, reading: "the trees of the release \(head.id.short()) and its base")
    }
    let texts = BlobTexts(keeping: keepingTexts)
    let files = try FileChange.all(
      treeChanges, classifier: classifier, repository: repository, keeping: texts,
      proseSections: proseSections)
    // No base: the empty tree's id, as `git diff 4b825dc HEAD` would compare.
    return ReleaseDiff(
      base: Point(
        commit: base?.id.hex ?? "", tree: base?.tree.hex ?? "4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
      head: Point(commit: head.id.hex, tree: head.tree.hex), files: files, warnings: [], texts: texts)
  }
}

extension FileChange {
  /// Reads every changed file: blobs, line counts, semantic changes. A large change is split
  /// between two threads, each with its own libgit2 handle (handles are never shared).
  static func all(
    _ changes: [TreeChange], classifier: PathClassifier, repository: Repository, keeping texts: BlobTexts,
    proseSections: Bool = true
  ) throws(PromptgateError) -> [FileChange] {
    let workers = changes.count >= 64 ? 2 : 1
    let results = ParallelResults(count: changes.count)
    let gitDirectory = repository.gitDirectory
    let chunk = (changes.count + workers - 1) / workers
    let work: @Sendable (Int, Repository) -> Void = { worker, handle in
      for index in (worker * chunk)..<min(changes.count, (worker + 1) * chunk) {
        let change = changes[index]
        let result = Result { () throws(GitError) in
          try FileChange(
            change, classifier: classifier, repository: handle, keeping: texts, proseSections: proseSections)
        }
        results.store(
          result.mapError { RepositoryLookup.readFailure($0, reading: "'\(change.newPath)'") }, at: index)
      }
    }
    if workers == 1 {
      work(0, repository)
    } else {
      let second = Thread {
        switch Result(catching: { () throws(GitError) in try Repository.open(at: gitDirectory) }) {
        case .success(let handle): work(1, handle)
        case .failure(let error):
          results.failAll(from: chunk, with: RepositoryLookup.readFailure(error, reading: gitDirectory))
        }
        results.finished.signal()
      }
      second.start()
      work(0, repository)
      results.finished.wait()
    }
    return try results.collect()
  }

  init(
    _ change: TreeChange, classifier: PathClassifier, repository: Repository, keeping texts: BlobTexts,
    proseSections: Bool = true
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
    kind = classifier.kind(of: change.newPath)
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
    binary = Self.isBinary(old) || Self.isBinary(new)
    if binary || change.oldID == change.newID {
      additions = 0
      deletions = 0
      changes = []
      sections = []
      self.notes = notes
      return
    }
    let stats = try repository.lineStats(old: old ?? [], new: new ?? [])
    additions = stats.additions
    deletions = stats.deletions

    var semantics = FileSemantics()
    let isLink = change.oldMode == .link || change.newMode == .link
    if let governance = GovernanceDiff.file(path), !isLink {
      semantics = GovernanceDiff.semantics(
        governance, path: path, old: old.map { String(decoding: $0, as: UTF8.self) },
        new: new.map { String(decoding: $0, as: UTF8.self) })
    } else if kind != .other, !isLink {
      let oldText = old.map { String(decoding: $0, as: UTF8.self) }
      let newText = new.map { String(decoding: $0, as: UTF8.self) }
      if let oldText, let id = change.oldID { texts.keep(oldText, for: id) }
      if let newText, let id = change.newID { texts.keep(newText, for: id) }
      if let oldText, let newText {
        semantics =
          kind == .prompt
          ? .prompt(path: path, old: oldText, new: newText, sections: proseSections)
          : .policy(path: path, old: oldText, new: newText)
      }
    }
    changes = semantics.changes
    sections = semantics.sections
    self.notes = notes + semantics.notes
  }

  private static func content(_ id: ObjectID?, mode: FileMode, repository: Repository) throws(GitError)
    -> [UInt8]?
  {
    guard let id, mode.isBlob else { return nil }
    return try repository.blob(id)
  }

  /// git's rule (a NUL byte in the first 8000 bytes), and anything that is not UTF-8.
  static func isBinary(_ content: [UInt8]?) -> Bool {
    guard let content else { return false }
    if content.prefix(8000).contains(0) { return true }
    return String(validating: content, as: UTF8.self) == nil
  }
}

/// Slots for results computed on two threads; each slot is written by exactly one thread, and
/// the semaphore orders those writes before `collect`.
private final class ParallelResults: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<Result<FileChange, PromptgateError>?>
  let finished = DispatchSemaphore(value: 0)

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  func store(_ result: Result<FileChange, PromptgateError>, at index: Int) {
    slots[index] = result
  }

  func failAll(from start: Int, with error: PromptgateError) {
    for index in start..<slots.count { store(.failure(error), at: index) }
  }

  func collect() throws(PromptgateError) -> [FileChange] {
    var files: [FileChange] = []
    files.reserveCapacity(slots.count)
    for slot in slots {
      guard let slot else { continue }
      files.append(try slot.get())
    }
    return files
  }
}
