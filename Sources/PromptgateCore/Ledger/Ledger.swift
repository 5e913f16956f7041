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

/// The tamper-evident ledger `refs/promptgate/ledger` (SPEC §3): a chain of commits, one event
/// each, `event.json` (and `event.sig` for signed events) in its tree.
///
/// Appending is a compare-and-swap of the ledger ref on the head the event was built on; that
/// update is the commit point of every write. Reading first checks the ledger still descends
/// from the head promptgate last saw in this clone, so a rewritten ledger is refused.
public final class Ledger {
  public static let eventFile = "event.json"
  public static let signatureFile = "event.sig"

  public let repository: Repository
  let state: LedgerContinuity

  public init(_ repository: Repository) {
    self.repository = repository
    self.state = LedgerContinuity(folder: Paths.appending("promptgate", to: repository.commonDirectory))
  }

  /// One event as stored: its commit, the event, and its signature when signed.
  public struct Record: Sendable, Hashable {
    public let commit: ObjectID
    public let parent: ObjectID?
    public let event: LedgerEvent
    /// The armored SSHSIG of a signed event.
    public let signature: String?
  }

  /// The ledger's head, after checking it still descends from the head last seen here.
  public func head() throws(PromptgateError) -> ObjectID? {
    let current: ObjectID?
    do {
      current = try repository.referenceTarget(RefName.ledger)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: RefName.ledger)
    }
    try state.checkContinuity(current, in: repository)
    return current
  }

  /// Reads the event stored in ledger commit `commit`.
  public func record(_ commit: ObjectID) throws(PromptgateError) -> Record {
    do {
      let object = try repository.commit(commit)
      guard let eventEntry = try repository.entry(at: Self.eventFile, inTree: object.tree) else {
        throw PromptgateError(.blocked, "ledger commit \(commit.short()) holds no \(Self.eventFile)")
      }
      let bytes = try repository.blob(eventEntry.id)
      let event: LedgerEvent
      do {
        event = try LedgerEvent(json: try JSONValue(parsing: bytes))
      } catch let error as LedgerFormatError {
        throw PromptgateError(.blocked, "ledger commit \(commit.short()): \(error.message)")
      } catch {
        throw PromptgateError(
          .blocked, "ledger commit \(commit.short()): \(Self.eventFile) is not valid JSON (\(error))")
      }
      let signature = try repository.entry(at: Self.signatureFile, inTree: object.tree).map {
        entry throws(GitError) in
        String(decoding: try repository.blob(entry.id), as: UTF8.self)
      }
      return Record(commit: commit, parent: object.parents.first, event: event, signature: signature)
    } catch let error as PromptgateError {
      throw error
    } catch let error as GitError {
      throw RepositoryLookup.readFailure(error, reading: "ledger commit \(commit.short())")
    } catch {
      throw PromptgateError(.blocked, "ledger commit \(commit.short()): \(error)")
    }
  }

  /// Every record from the first event to the head, oldest first: a full walk, for audits.
  public func records(upTo head: ObjectID? = nil) throws(PromptgateError) -> [Record] {
    var start = head
    if start == nil { start = try self.head() }
    guard let start else { return [] }
    var records: [Record] = []
    var next: ObjectID? = start
    while let commit = next {
      let record = try record(commit)
      records.append(record)
      next = record.parent
    }
    return records.reversed()
  }

  /// Where a drafted event goes: its sequence number and the time the ledger records it at.
  public struct Slot: Sendable {
    public let sequence: Int
    /// Now, or the newest event's time when this clock is a little behind it: the ledger's
    /// times never go backwards (SPEC §4).
    public let time: String
  }

  /// A drafted event: everything but its sequence and time, which the ledger assigns.
  public typealias Draft = (_ slot: Slot) throws(PromptgateError) -> (event: LedgerEvent, signature: String?)

  /// Appends the event `draft` builds for the next sequence number, with a compare-and-swap of
  /// the ledger ref. If another writer moved the ledger first, an independent event (approval,
  /// rejection) is rebuilt on the new head and retried; any other fails with a conflict (exit 3)
  /// having written nothing.
  ///
  /// A dependent event (a release, a rollback) was decided on the ledger as it stood: pass that
  /// head as `decidedOn`, and the append fails with a conflict if the ledger has moved since.
  @discardableResult
  public func append(
    independent: Bool, decidedOn: ObjectID?? = nil, now: Date = Date(), _ draft: Draft
  ) throws(PromptgateError) -> Record {
    Leftovers.remove(commonDirectory: repository.commonDirectory, promptgateFolder: state.folder)
    var attempts = 0
    while true {
      attempts += 1
      let current = try head()
      if let decidedOn, decidedOn != current {
        throw PromptgateError(
          .conflict,
          "another writer moved \(RefName.ledger) while this command decided; nothing was written, so it is "
            + "safe to run again")
      }
      let parent = current
      let previous = try parent.map { commit throws(PromptgateError) in try record(commit).event }
      let (event, signature) = try draft(try Self.slot(after: previous, now: now))
      let commit = try write(event, signature: signature, parent: parent)
      TestHold.beforeCommitPoint()
      do {
        try repository.updateReference(RefName.ledger, to: commit, expecting: parent, message: event.summary)
        TestHold.afterCommitPoint()
        try state.remember(head: commit, root: parent == nil ? commit : nil, in: repository)
        return Record(commit: commit, parent: parent, event: event, signature: signature)
      } catch let error as GitError where error.code == .locked {
        // A live writer holds the lock for milliseconds; one that stays is a crash's leftover.
        // Not a conflict a retry resolves (exit 3): a person has to look (exit 2).
        guard attempts < 100 else {
          throw PromptgateError(
            .lockHeld,
            "\(RefName.ledger) is locked: \(RepositoryLookup.staleLock(of: RefName.ledger, in: repository)) "
              + "and run again; nothing was written")
        }
        usleep(20_000)
      } catch let error as GitError where [.modified, .exists].contains(error.code) {
        guard independent, attempts < 100 else {
          throw PromptgateError(
            .conflict,
            "another writer moved \(RefName.ledger) first; nothing was written, so it is safe to run again")
        }
        // Another writer got there first: back off a little, rebuild on its head, try again.
        usleep(UInt32.random(in: 1_000...20_000))
      } catch let error as GitError {
        throw RepositoryLookup.writeFailure(error, writing: RefName.ledger)
      } catch let error as PromptgateError {
        throw error
      } catch {
        throw PromptgateError(.input, "cannot append to the ledger: \(error)")
      }
    }
  }

  /// The next slot after `previous`. A clock a little behind the newest event records at that
  /// event's time; one far behind (or an event dated in the future) stops the write, since
  /// the ledger's times never go backwards.
  static func slot(after previous: LedgerEvent?, now: Date) throws(PromptgateError) -> Slot {
    let time = timestamp(now)
    guard let previous else { return Slot(sequence: 1, time: time) }
    guard let newest = Timestamp.date(previous.time), newest > now else {
      return Slot(sequence: previous.sequence + 1, time: time)
    }
    guard newest.timeIntervalSince(now) <= Statement.clockSkew else {
      throw PromptgateError(
        .blocked,
        "the ledger's newest event #\(previous.sequence) is dated \(previous.time), later than this machine's "
          + "clock (\(time)): set the clock right, or, if that event's time is wrong, run promptgate audit verify; "
          + "nothing was written")
    }
    return Slot(sequence: previous.sequence + 1, time: previous.time)
  }

  /// Writes the event's blobs, tree and commit; moves no reference. The same event, signature
  /// and parent always give the same commit id.
  func write(_ event: LedgerEvent, signature: String?, parent: ObjectID?) throws(PromptgateError)
    -> ObjectID
  {
    do {
      var entries = [
        TreeEntry(name: Self.eventFile, id: try repository.writeBlob(event.json.canonical), mode: .blob)
      ]
      if let signature {
        entries.append(
          TreeEntry(
            name: Self.signatureFile, id: try repository.writeBlob(Array(signature.utf8)), mode: .blob))
      }
      let tree = try repository.writeTree(entries)
      let who = Self.identity(of: event.actor, at: Self.seconds(event.time))
      let commit = try repository.writeCommit(
        tree: tree, parents: parent.map { [$0] } ?? [], author: who, committer: who,
        message: event.summary + "\n")
      // The commit point moves the ledger onto this commit: it must be there, whole.
      guard repository.contains(commit), repository.contains(tree) else {
        throw PromptgateError.input(
          "could not write the new ledger event: its objects are not in the repository after writing; nothing "
            + "was recorded")
      }
      return commit
    } catch let error as GitError {
      throw RepositoryLookup.writeFailure(error, writing: "the new ledger event")
    } catch let error as PromptgateError {
      throw error
    } catch {
      throw PromptgateError.input("could not write the new ledger event: \(error); nothing was recorded")
    }
  }

  /// The git identity of an actor: `Name <email>` as written, or a bare principal as both.
  static func identity(of actor: String, at time: Int64) -> Signature {
    if let open = actor.lastIndex(of: "<"), actor.hasSuffix(">") {
      let name = String(actor[..<open]).trimmingWhitespace
      let email = String(actor[actor.index(after: open)..<actor.index(before: actor.endIndex)])
      return Signature(name: name.isEmpty ? email : name, email: email, time: time)
    }
    return Signature(name: actor, email: actor, time: time)
  }

  static func seconds(_ time: String) -> Int64 {
    (try? Date(time, strategy: .iso8601)).map { Int64($0.timeIntervalSince1970) } ?? 0
  }

  /// What to say when a command needs the ledger and this clone has none: a clone fetches
  /// branches and tags only, never refs/promptgate/*.
  public static func missingHint(doing what: String) -> PromptgateError {
    PromptgateError(
      .blocked,
      "this clone has no \(RefName.ledger), so there is nothing to \(what): a clone fetches branches and tags, not "
        + "refs/promptgate/*; run promptgate sync --remote origin first (or add --sync origin), then run it again"
    )
  }

  /// Now, as events record time.
  public static func timestamp(_ date: Date = Date()) -> String {
    date.formatted(.iso8601)
  }
}
