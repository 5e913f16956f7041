import Clibgit2

extension Repository {
  /// True when `commit` is `ancestor` or has it in its history. False when either is missing.
  public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) -> Bool {
    if commit == ancestor { return true }
    var commitOID = commit.oid
    var ancestorOID = ancestor.oid
    let result = git_graph_descendant_of(pointer, &commitOID, &ancestorOID)
    if result < 0 { git_error_clear() }
    return result == 1
  }

  /// The best common ancestor of two commits, nil when they share no history.
  public func mergeBase(_ one: ObjectID, _ two: ObjectID) -> ObjectID? {
    var oneOID = one.oid
    var twoOID = two.oid
    var result = git_oid()
    guard git_merge_base(&result, pointer, &oneOID, &twoOID) == 0 else {
      git_error_clear()
      return nil
    }
    return ObjectID(result)
  }

  /// True when the object database holds `id`.
  public func contains(_ id: ObjectID) -> Bool {
    var odb: OpaquePointer?
    guard git_repository_odb(&odb, pointer) == 0 else {
      git_error_clear()
      return false
    }
    defer { git_odb_free(odb) }
    var oid = id.oid
    return git_odb_exists(odb, &oid) == 1
  }
}
