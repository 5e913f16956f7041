import Git

/// Keeps `refs/promptgate/environments/<env>` equal to what the ledger says is deployed.
///
/// The ledger's compare-and-swap is the commit point of every write; the mirror is brought in
/// line right after, under a transaction holding its lock, and repaired by any later command
/// that finds it behind (a process killed between the two, say).
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

  @discardableResult
  public static func bringInLine(_ state: EnvironmentState, in repository: Repository, message: String)
    throws(PromptgateError) -> Outcome
  {
    let current: ObjectID?
    do {
      current = try repository.referenceTarget(state.reference)
    } catch {
      throw RepositoryAccess.readFailure(error, reading: state.reference)
    }
    let wanted = state.deployed.flatMap { ObjectID(hex: $0.commit) }
    guard current != wanted else { return .inLine }
    if let wanted, !repository.contains(wanted) { return .missing(wanted) }
    do {
      let transaction = try Transaction(repository)
      try transaction.lock(state.reference)
      if let wanted {
        try transaction.setTarget(state.reference, to: wanted, message: message)
      } else {
        try transaction.remove(state.reference)
      }
      try transaction.commit()
      return .moved(from: current)
    } catch  where error.code == .locked {
      return .locked
    } catch {
      throw RepositoryAccess.readFailure(error, reading: state.reference)
    }
  }
}
