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

/// Keeps `refs/promptgate/environments/<env>` equal to what the ledger says is deployed.
///
/// The ledger's compare-and-swap is the commit point of every write; the mirror is brought in
/// line right after, under a transaction holding its lock, and repaired by any later move that
/// finds it behind (a process killed between the two, say). What the ref should point at is
/// read from the ledger only once the lock is held, so a process with an older view of the
/// ledger can never move the ref backwards over a newer release's.
public enum EnvironmentMirror {
  public enum Outcome: Equatable, Sendable {
    case inLine
    case moved(from: ObjectID?)
    /// Another process holds the lock: the next command repairs it.
    case locked
    /// The deployed release is not in this clone (a shallow or single-branch checkout): the
    /// mirror is left as it is until it is fetched.
    case missing(ObjectID)
  }

  /// Where the mirror stands against the ledger, without touching it: what `status` reports.
  /// A ref lagging behind while its lock file exists is `locked` (a crash's leftover, or a
  /// writer at work), unless the caller holds that lock itself.
  public static func outcome(_ state: EnvironmentState, in repository: Repository, holdingLock: Bool = false)
    throws(PromptgateError) -> Outcome
  {
    let current: ObjectID?
    do {
      current = try repository.referenceTarget(state.reference)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: state.reference)
    }
    let wanted = state.deployed.flatMap { ObjectID(hex: $0.commit) }
    guard current != wanted else { return .inLine }
    if let wanted, !repository.contains(wanted) { return .missing(wanted) }
    if !holdingLock,
      FileManager.default.fileExists(atPath: RepositoryLookup.lockFile(of: state.reference, in: repository))
    {
      return .locked
    }
    return .moved(from: current)
  }

  /// Moves the mirror of `environment` to what the ledger says is deployed there now.
  ///
  /// The ref's lock comes first, then the ledger is read; the ledger moves without that lock,
  /// so after writing, the ledger's head is checked again and the ref moved again if it changed
  /// meanwhile. Whichever writer finishes last read the newest ledger, so the ref ends where
  /// the ledger says and never stays on an older view. Another writer holding the lock is
  /// waited for (milliseconds); a lock that stays is a crash's leftover, reported as `locked`
  /// for the next command to repair.
  @discardableResult
  public static func followLedger(
    _ environment: String, ledger: Ledger, in repository: Repository, message: String
  ) throws(PromptgateError) -> Outcome {
    var first: Outcome?
    var waits = 0
    while waits < 100 {
      let decidedOn = try ledger.head()
      let outcome = try moveUnderLock(environment, ledger: ledger, in: repository, message: message)
      if outcome == .locked {
        waits += 1
        usleep(20_000)
        continue
      }
      if first == nil || first == .inLine { first = outcome }
      guard try ledger.head() != decidedOn else { return first ?? outcome }
    }
    return .locked
  }

  /// One attempt: take the ref's lock, then read the ledger and move the ref.
  private static func moveUnderLock(
    _ environment: String, ledger: Ledger, in repository: Repository, message: String
  ) throws(PromptgateError) -> Outcome {
    let reference = RefName.environment(environment)
    do {
      let transaction = try Transaction(repository)
      try transaction.lock(reference)
      let state = try EnvironmentState(environment, ledger: ledger)
      let outcome = try Self.outcome(state, in: repository, holdingLock: true)
      guard case .moved(let from) = outcome else { return outcome }
      TestHold.beforeMirrorWrite()
      if let wanted = state.deployed.flatMap({ ObjectID(hex: $0.commit) }) {
        try transaction.setTarget(reference, to: wanted, message: message)
      } else {
        try transaction.remove(reference)
      }
      try transaction.commit()
      return .moved(from: from)
    } catch let error as GitError where error.code == .locked {
      return .locked
    } catch let error as GitError {
      throw RepositoryLookup.readFailure(error, reading: reference)
    } catch let error as PromptgateError {
      throw error
    } catch {
      throw PromptgateError.input("cannot move \(reference): \(error)")
    }
  }
}
