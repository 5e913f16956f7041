import Git

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

/// What this clone remembers of the ledger, under `.git/promptgate/`: its first commit and the
/// last head promptgate saw. A ledger that no longer descends from them was rewritten (a
/// force-push, or deleted and recreated) and is refused, naming both ids.
struct LedgerContinuity {
  let folder: String

  var file: String { folder + "/ledger-state.json" }

  struct Remembered: Equatable {
    let root: ObjectID
    let head: ObjectID
    /// The head `promptgate sync` is about to move the ledger to, when it replays this clone's
    /// events onto a remote's ledger: that head does not descend from `head`, yet carries every
    /// event after it. Remembered before the ledger moves, so a process killed in between leaves
    /// a ledger that either head accepts.
    var next: ObjectID? = nil

    /// True when `current` keeps every event remembered here.
    func accepts(_ current: ObjectID, in repository: Repository) -> Bool {
      repository.isDescendant(current, of: head)
        || next.map { repository.isDescendant(current, of: $0) } == true
    }
  }

  func load() -> Remembered? {
    guard let bytes = LocalFile.bytes(atPath: file),
      let json = try? JSONValue(parsing: bytes),
      let root = json["root"]?.string.flatMap(ObjectID.init(hex:)),
      let head = json["head"]?.string.flatMap(ObjectID.init(hex:))
    else { return nil }
    return Remembered(root: root, head: head, next: json["next"]?.string.flatMap(ObjectID.init(hex:)))
  }

  /// Refuses a ledger whose head does not descend from the head remembered here.
  func checkContinuity(_ current: ObjectID?, in repository: Repository) throws(PromptgateError) {
    guard let remembered = load() else { return }
    guard let current else {
      throw PromptgateError(
        .ledgerRewritten,
        "\(RefName.ledger) is gone, but this clone saw it at \(remembered.head.short()) (first event "
          + "\(remembered.root.short())); restore it from a clone or the remote that has it")
    }
    guard remembered.accepts(current, in: repository) else {
      throw PromptgateError(
        .ledgerRewritten,
        "\(RefName.ledger) is now \(current.short()), which does not descend from \(remembered.head.short()), "
          + "the head this clone last saw (first event \(remembered.root.short())): the ledger was rewritten; "
          + "run `promptgate audit verify` and restore it from a clone that has \(remembered.head.short())")
    }
  }

  /// Remembers `head` (and `root`, for the ledger's first event) once it is known good.
  func remember(head: ObjectID, root: ObjectID?, in repository: Repository) throws(PromptgateError) {
    let previous = load()
    // Keep the newest head: a slower writer must not move the memory backwards.
    if let previous, previous.head != head, repository.isDescendant(previous.head, of: head) { return }
    guard let root = root ?? previous?.root ?? Self.root(of: head, in: repository) else { return }
    let json = JSONValue.object(["root": .string(root.hex), "head": .string(head.hex)])
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Self.atomicWrite(json.canonical, to: file)
    } catch {
      throw PromptgateError(.input, "cannot write \(file): \(FileError.reason(error))")
    }
  }

  /// Remembers that `promptgate sync` is about to move the ledger to `next`, a head that does not
  /// descend from the one remembered but carries every event after it (replayed onto a remote's
  /// ledger). Written before the ledger moves; ``remember(head:root:)`` afterwards makes it the
  /// head.
  func prepareReplacement(by next: ObjectID) throws(PromptgateError) {
    guard let previous = load() else { return }
    let json = JSONValue.object([
      "root": .string(previous.root.hex), "head": .string(previous.head.hex), "next": .string(next.hex),
    ])
    do {
      try Self.atomicWrite(json.canonical, to: file)
    } catch {
      throw PromptgateError(.input, "cannot write \(file): \(FileError.reason(error))")
    }
  }

  /// The first commit of the chain ending at `head` (a full walk; done once per clone).
  static func root(of head: ObjectID, in repository: Repository) -> ObjectID? {
    var current = head
    while let commit = try? repository.commit(current) {
      guard let parent = commit.parents.first else { return current }
      current = parent
    }
    return nil
  }

  /// Writes through a temporary file and a rename, so a reader never sees half a file.
  static func atomicWrite(_ bytes: [UInt8], to path: String) throws {
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try Data(bytes).write(to: URL(fileURLWithPath: temporary))
    guard rename(temporary, path) == 0 else {
      try? FileManager.default.removeItem(atPath: temporary)
      throw CocoaError(.fileWriteUnknown)
    }
  }
}
