import Dispatch
import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A diff between two releases whose files are read when asked for, a batch at a time, and
/// handed over one by one in order. `promptgate diff` writes each file out as soon as it is read,
/// so its memory stays flat however many files a whole history changes; the gates take every
/// file at once (``ReleaseDiff/between(_:_:in:classifier:keepingTexts:depth:)``).
public struct ReleaseDiffReader {
  /// One changed file before its content is read: what a list of the files is laid out with.
  public struct Entry: Sendable, Hashable {
    public let path: String
    /// The path before a rename; nil otherwise.
    public let oldPath: String?
    public let kind: FileKind
    /// Rename similarity in percent; nil unless renamed.
    public let similarity: Int?
  }

  public let base: ReleaseDiff.Point
  public let head: ReleaseDiff.Point
  /// Problems that did not stop the diff (an unreadable runbook, say).
  public let warnings: [String]
  /// Every changed file, in the diff's order (git's: by path).
  public let entries: [Entry]
  /// The prompts and policies read, for the gates; empty unless kept.
  let texts: BlobTexts
  private let changes: [TreeChange]
  private let repository: Repository
  private let depth: ReadingDepth

  /// Files read before any is handed over when streaming: enough to keep both threads busy,
  /// few enough that what is held does not grow with the change (a few hundred kilobytes).
  public static let batchSize = 256

  /// The tree diff between `head` and `base`, classified by the base's runbook (the head's when
  /// the base has none), as `check` will judge them; no file is read yet, and each will be read
  /// to `depth`.
  public init(_ base: Commit, _ head: Commit, in repository: Repository, depth: ReadingDepth = .meaning)
    throws(PromptgateError)
  {
    var warnings: [String] = []
    let classifier = PathClassifier.forRelease(base: base, head: head, in: repository, warnings: &warnings)
    try self.init(base, head, in: repository, classifier: classifier, warnings: warnings, depth: depth)
  }

  /// The tree diff between `head` and `base` (every file added when there is no base), classified
  /// by `classifier`. With `keepingTexts`, the prompts and policies read stay in `texts` for the
  /// gates; each file is read to `depth`.
  public init(
    _ base: Commit?, _ head: Commit, in repository: Repository, classifier: PathClassifier,
    warnings: [String] = [], keepingTexts: Bool = false, depth: ReadingDepth = .meaning
  ) throws(PromptgateError) {
    do {
      // The tree diff reads each changed folder's tree on both sides, and libgit2 keeps every
      // tree read in its handle's cache (over a whole history, thousands of them and ~10 MiB),
      // though no file read needs them again: a handle of its own, freed with the list of
      // changes, takes them with it.
      changes = try Repository.open(at: repository.gitDirectory).diffTrees(base?.tree, head.tree)
    } catch {
      throw RepositoryLookup.readFailure(
        error, reading: "the trees of the release \(head.id.short()) and its base")
    }
    entries = changes.map { change in
      let renamed = change.status == .renamed
      return Entry(
        path: change.newPath, oldPath: renamed ? change.oldPath : nil,
        kind: classifier.kind(of: change.newPath),
        similarity: renamed ? change.similarity : nil)
    }
    // No base: the empty tree's id, as `git diff 4b825dc HEAD` would compare.
    self.base = ReleaseDiff.Point(
      commit: base?.id.hex ?? "", tree: base?.tree.hex ?? "4b825dc642cb6eb9a060e54bf8d69288fbee4904")
    self.head = ReleaseDiff.Point(commit: head.id.hex, tree: head.tree.hex)
    self.warnings = warnings
    self.repository = repository
    self.depth = depth
    texts = BlobTexts(keeping: keepingTexts)
  }

  /// Reads the files at `order` (indices into ``entries``; all of them, in the diff's order, by
  /// default) and hands each to `body` in that order. A batch of `batchSize` files is read
  /// before any of them is handed over; a large change is read on two threads, each with its
  /// own libgit2 handle (handles are never shared). `body` runs on this thread, while no other
  /// reads, so it may use the repository.
  public func forEachFile(
    in order: [Int]? = nil, batchSize: Int = Self.batchSize,
    _ body: (FileChange) throws(PromptgateError) -> Void
  ) throws(PromptgateError) {
    let order = order ?? Array(changes.indices)
    let reading = FileReading(texts: texts, depth: depth)
    let helper = order.count >= 64 ? HelperThread(gitDirectory: repository.gitDirectory) : nil
    defer { helper?.stop() }
    var start = 0
    while start < order.count {
      let end = min(order.count, start + max(1, batchSize))
      let batch = FileBatch(order[start..<end].map { (changes[$0], entries[$0].kind) }, reading: reading)
      helper?.read(batch)
      batch.read(with: repository)
      helper?.wait()
      for result in batch.results() { try body(result.get()) }
      start = end
    }
  }
}

/// What reading one file needs besides the repository handle.
private struct FileReading: Sendable {
  let texts: BlobTexts
  let depth: ReadingDepth

  func read(_ change: TreeChange, kind: FileKind, with repository: Repository) -> Result<
    FileChange, PromptgateError
  > {
    Result { () throws(GitError) in
      try FileChange(change, kind: kind, repository: repository, keeping: texts, depth: depth)
    }
    .mapError { RepositoryLookup.readFailure($0, reading: "'\(change.newPath)'") }
  }
}

/// One batch of files, read by one or two threads: each takes the next unread file until none is
/// left, so neither waits long on the other's slow files. Each slot is written by the one thread
/// that took its file; the helper's semaphore orders those writes before ``results()``.
private final class FileBatch: @unchecked Sendable {
  private let changes: [(TreeChange, FileKind)]
  private let reading: FileReading
  private let next = Locked(0)
  private var slots: UnsafeMutableBufferPointer<Result<FileChange, PromptgateError>?>

  init(_ changes: [(TreeChange, FileKind)], reading: FileReading) {
    self.changes = changes
    self.reading = reading
    slots = .allocate(capacity: changes.count)
    slots.initialize(repeating: nil)
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  /// Reads files with `repository` until every file of the batch is taken.
  func read(with repository: Repository) {
    while let index = take() {
      let (change, kind) = changes[index]
      slots[index] = reading.read(change, kind: kind, with: repository)
    }
  }

  private func take() -> Int? {
    next.withLock { next in
      guard next < changes.count else { return nil }
      defer { next += 1 }
      return next
    }
  }

  /// Every file's result, in the batch's order; call once both threads are done (by then every
  /// file was taken and read).
  func results() -> [Result<FileChange, PromptgateError>] {
    slots.map { $0! }
  }
}

/// A second thread with its own repository handle, reading its share of each batch; idle while
/// the batch is handed over. If it cannot open the repository, it reads nothing and this
/// thread reads every file.
private final class HelperThread: @unchecked Sendable {
  private let start = DispatchSemaphore(value: 0)
  private let done = DispatchSemaphore(value: 0)
  /// The batch to read; nil tells the thread to end. Written before `start` is signalled.
  private var batch: FileBatch?

  init(gitDirectory: String) {
    DetachedThread.start { [self] in
      let handle = try? Repository.open(at: gitDirectory)
      while true {
        start.wait()
        guard let batch else { break }
        if let handle { batch.read(with: handle) }
        done.signal()
      }
      done.signal()
    }
  }

  func read(_ batch: FileBatch) {
    self.batch = batch
    start.signal()
  }

  func wait() {
    done.wait()
    batch = nil
  }

  /// Ends the thread (its handle freed) and waits for it.
  func stop() {
    batch = nil
    start.signal()
    done.wait()
  }
}
