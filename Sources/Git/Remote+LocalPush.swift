import Clibgit2

extension Remote {
  /// Pushes to a repository on this machine (a path or `file://`) with a real compare-and-swap.
  ///
  /// libgit2's local transport moves the remote's references with force, whatever they hold by
  /// then (`git_reference_create(..., force)` in `transports/local.c`), so two writers pushing at
  /// once could overwrite each other. For these remotes promptgate does what `git receive-pack`
  /// does instead: writes one pack of the objects the remote lacks into its object store, then
  /// moves each reference only if it still holds the expected id (`git_reference_create_matching`
  /// under the reference's lock).
  func pushLocally(_ updates: [PushUpdate], to path: String) throws(PushError) {
    let remote: Repository
    do {
      remote = try Repository.openExactly(at: path)
      try sendObjects(reaching: updates.map(\.target), to: remote)
    } catch {
      throw .failed(error)
    }
    var rejections: [PushRejection] = []
    for update in updates {
      do {
        try remote.updateReference(
          update.reference, to: update.target, expecting: update.expected, message: "push by promptgate")
      } catch  where [.modified, .exists, .locked, .notFound].contains(error.code) {
        let current = try? remote.referenceTarget(update.reference)
        rejections.append(
          PushRejection(
            reference: update.reference,
            reason: "the remote holds \(current?.short() ?? "nothing"), not "
              + "\(update.expected?.short() ?? "nothing") as expected: another writer pushed first"))
      } catch {
        throw .failed(error)
      }
    }
    if !rejections.isEmpty { throw .rejected(rejections) }
  }

  /// Writes a pack of every object reachable from `targets` that `remote` lacks into its object
  /// store; the walk stops at the commits the remote's references already hold.
  private func sendObjects(reaching targets: [ObjectID], to remote: Repository) throws(GitError) {
    let missing = targets.filter { !remote.contains($0) }
    guard !missing.isEmpty else { return }
    var builder: OpaquePointer?
    try check(git_packbuilder_new(&builder, repository.pointer))
    defer { git_packbuilder_free(builder) }
    let walk = try RevisionWalk(repository, from: missing, order: [.time])
    for (_, id) in (try? remote.references(matching: "refs/*")) ?? [] where repository.contains(id) {
      // Tags and other non-commits cannot be hidden; the remote has them anyway.
      walk.hideIgnoringErrors(id)
    }
    try check(git_packbuilder_insert_walk(builder, walk.pointer))
    guard git_packbuilder_object_count(builder) > 0 else { return }
    try check(git_packbuilder_write(builder, remote.commonDirectory + "objects/pack", 0, nil, nil))
  }
}

extension Repository {
  /// Opens the repository exactly at `path` (a remote's folder), without searching upward.
  static func openExactly(at path: String) throws(GitError) -> Repository {
    ensureLibgit2()
    var handle: OpaquePointer?
    try check(git_repository_open_ext(&handle, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil))
    return Repository(pointer: handle!)
  }
}

extension RevisionWalk {
  /// Hides `id` and what it reaches, when it is a commit; anything else is left alone.
  func hideIgnoringErrors(_ id: ObjectID) {
    var oid = id.oid
    if git_revwalk_hide(pointer, &oid) < 0 { git_error_clear() }
  }
}
