import Clibgit2

/// A commit read out of the object database, as plain values.
public struct Commit: Hashable, Sendable {
  public let id: ObjectID
  public let tree: ObjectID
  public let parents: [ObjectID]
  public let author: Signature
  public let committer: Signature
  /// The full message, as git stores it (usually ending in a newline).
  public let message: String

  /// The first line of the message.
  public var summary: String {
    message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
      ?? ""
  }
}

extension Repository {
  /// Reads the commit `id`.
  public func commit(_ id: ObjectID) throws(GitError) -> Commit {
    var oid = id.oid
    var handle: OpaquePointer?
    try check(git_commit_lookup(&handle, pointer, &oid))
    defer { git_commit_free(handle) }
    return Commit(handle!)
  }

  /// Resolves any revision a git user types (`v1.2`, `main~3`, `HEAD^`, a short or full id,
  /// `refs/...`) to the commit it names, peeling annotated tags.
  public func resolveCommit(_ revision: String) throws(GitError) -> Commit {
    ensureLibgit2()
    var object: OpaquePointer?
    try check(git_revparse_single(&object, pointer, revision))
    defer { git_object_free(object) }
    var peeled: OpaquePointer?
    try check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT))
    defer { git_object_free(peeled) }
    return Commit(peeled!)
  }

  /// Writes a commit and returns its id; no reference moves.
  public func writeCommit(
    tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String
  ) throws(GitError) -> ObjectID {
    var treeOID = tree.oid
    var treeHandle: OpaquePointer?
    try check(git_tree_lookup(&treeHandle, pointer, &treeOID))
    defer { git_tree_free(treeHandle) }

    var parentHandles: [OpaquePointer?] = []
    defer { parentHandles.forEach { git_commit_free($0) } }
    for parent in parents {
      var parentOID = parent.oid
      var handle: OpaquePointer?
      try check(git_commit_lookup(&handle, pointer, &parentOID))
      parentHandles.append(handle)
    }

    let authorSignature = try author.makeGitSignature()
    defer { git_signature_free(authorSignature) }
    let committerSignature = try committer.makeGitSignature()
    defer { git_signature_free(committerSignature) }

    var result = git_oid()
    try check(
      git_commit_create(
        &result, pointer, nil, authorSignature, committerSignature, "UTF-8", message,
        treeHandle, parentHandles.count, &parentHandles))
    return ObjectID(result)
  }
}

extension Commit {
  /// Copies everything out of a `git_commit` (or a `git_object` that is one).
  init(_ handle: OpaquePointer) {
    id = ObjectID(git_commit_id(handle))
    tree = ObjectID(git_commit_tree_id(handle))
    parents = (0..<git_commit_parentcount(handle)).compactMap { index in
      git_commit_parent_id(handle, index).map { ObjectID($0) }
    }
    author = Signature(git_commit_author(handle))
    committer = Signature(git_commit_committer(handle))
    message = git_commit_message(handle).map { String(cString: $0) } ?? ""
  }
}
