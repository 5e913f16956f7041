import Clibgit2

/// Several reference updates made under locks held together (`git_transaction_*`).
///
/// Every reference is locked before anything is written, so another writer sees either the
/// old or the new value of each. libgit2 does not make the whole set all-or-nothing: if the
/// process dies while committing, some references may have moved and others not. Callers
/// that need atomicity must make one reference the commit point and repair the rest.
public final class Transaction {
  private let repository: Repository
  private let pointer: OpaquePointer

  /// Starts a transaction on `repository`; nothing is locked yet.
  public init(_ repository: Repository) throws(GitError) {
    ensureLibgit2()
    var handle: OpaquePointer?
    try check(git_transaction_new(&handle, repository.pointer))
    self.repository = repository
    self.pointer = handle!
  }

  deinit {
    // Frees the transaction and releases every lock not yet committed.
    git_transaction_free(pointer)
  }

  /// Locks `reference`; throws `.locked` when another writer holds it.
  public func lock(_ reference: String) throws(GitError) {
    try check(git_transaction_lock_ref(pointer, reference))
  }

  /// Queues `reference` → `target` with a reflog `message`; the reference must be locked.
  public func setTarget(_ reference: String, to target: ObjectID, message: String) throws(GitError) {
    try check(git_reference_ensure_log(repository.pointer, reference))
    var oid = target.oid
    try check(git_transaction_set_target(pointer, reference, &oid, nil, message))
  }

  /// Queues the deletion of `reference`; it must be locked.
  public func remove(_ reference: String) throws(GitError) {
    try check(git_transaction_remove(pointer, reference))
  }

  /// Writes every queued update and releases the locks.
  public func commit() throws(GitError) {
    try check(git_transaction_commit(pointer))
  }
}
