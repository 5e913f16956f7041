import Clibgit2

extension Repository {
  /// The commit (or object) `name` points at, following symbolic references; nil if the
  /// reference does not exist.
  public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
    ensureLibgit2()
    var oid = git_oid()
    let result = git_reference_name_to_id(&oid, pointer, name)
    if result == GIT_ENOTFOUND.rawValue {
      git_error_clear()
      return nil
    }
    try check(result)
    return ObjectID(oid)
  }

  /// Every reference whose full name matches `glob` (`refs/promptgate/environments/*`), with
  /// the object it points at, sorted by name.
  public func references(matching glob: String) throws(GitError) -> [(name: String, target: ObjectID)] {
    var iterator: OpaquePointer?
    try check(git_reference_iterator_glob_new(&iterator, pointer, glob))
    defer { git_reference_iterator_free(iterator) }
    var found: [(name: String, target: ObjectID)] = []
    while true {
      var reference: OpaquePointer?
      let result = git_reference_next(&reference, iterator)
      if result == GIT_ITEROVER.rawValue {
        git_error_clear()
        break
      }
      try check(result)
      defer { git_reference_free(reference) }
      var resolved: OpaquePointer?
      guard git_reference_resolve(&resolved, reference) == 0 else {
        git_error_clear()
        continue
      }
      defer { git_reference_free(resolved) }
      if let target = git_reference_target(resolved) {
        found.append((String(cString: git_reference_name(reference)), ObjectID(target)))
      }
    }
    return found.sorted { $0.name < $1.name }
  }

  /// Points `name` at `target` only if it still points at `expected` (nil: only if it does not
  /// exist yet), and logs `message` in its reflog, creating the reflog when missing.
  ///
  /// Throws `GitError.Code.modified` when the reference moved, `.exists` when it should not
  /// exist but does, and `.locked` when another writer holds its lock: in each case nothing
  /// was written.
  public func updateReference(
    _ name: String, to target: ObjectID, expecting expected: ObjectID?, message: String
  ) throws(GitError) {
    ensureLibgit2()
    // A transaction's setTarget makes the reflog itself.
    guard let expected else { return try create(name, to: target, message: message) }
    // libgit2 writes a reflog for refs outside refs/heads only when one already exists.
    try check(git_reference_ensure_log(pointer, name))
    var newOID = target.oid
    var oldOID = expected.oid
    var reference: OpaquePointer?
    // The expected value is compared under the reference's lock.
    try check(git_reference_create_matching(&reference, pointer, name, &newOID, 1, &oldOID, message))
    git_reference_free(reference)
  }

  /// Creates `name`, refusing with `.exists` when it exists. libgit2 (`git_reference_create`
  /// without force) checks that a reference is absent before it takes the reference's lock, so
  /// two writers creating it at once could both succeed, the second overwriting the first (two
  /// clones pushing their first ledger to one remote). Here the check is made under the lock,
  /// which every git and libgit2 writer takes.
  private func create(_ name: String, to target: ObjectID, message: String) throws(GitError) {
    let transaction = try Transaction(self)
    try transaction.lock(name)
    if try referenceTarget(name) != nil {
      throw GitError(
        code: GIT_EEXISTS.rawValue, errorClass: Int32(GIT_ERROR_REFERENCE.rawValue),
        message: "failed to write reference '\(name)': a reference with that name already exists.")
    }
    try transaction.setTarget(name, to: target, message: message)
    try transaction.commit()
  }

  /// Deletes `name` only if it still points at `expected`.
  public func deleteReference(_ name: String, expecting expected: ObjectID) throws(GitError) {
    var reference: OpaquePointer?
    try check(git_reference_lookup(&reference, pointer, name))
    defer { git_reference_free(reference) }
    guard let target = git_reference_target(reference), ObjectID(target) == expected else {
      throw GitError(
        code: GIT_EMODIFIED.rawValue, errorClass: Int32(GIT_ERROR_REFERENCE.rawValue),
        message: "reference '\(name)' no longer points at \(expected.short())")
    }
    try check(git_reference_delete(reference))
  }

  /// The reflog of `name`, newest entry first: old id, new id and message.
  public func reflog(_ name: String) throws(GitError) -> [(old: ObjectID, new: ObjectID, message: String)] {
    var log: OpaquePointer?
    try check(git_reflog_read(&log, pointer, name))
    defer { git_reflog_free(log) }
    return (0..<git_reflog_entrycount(log)).compactMap { index in
      guard let entry = git_reflog_entry_byindex(log, index) else { return nil }
      return (
        ObjectID(git_reflog_entry_id_old(entry)), ObjectID(git_reflog_entry_id_new(entry)),
        git_reflog_entry_message(entry).map { String(cString: $0) } ?? ""
      )
    }
  }
}
