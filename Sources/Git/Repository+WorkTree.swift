import Clibgit2

/// The checked-out branch and the work tree: what a command that moves a branch must respect,
/// as git does, so it never leaves a work tree silently out of step with its branch.
extension Repository {
  /// The branch HEAD points to (`refs/heads/main`), nil when HEAD is detached.
  public func checkedOutBranch() throws(GitError) -> String? {
    ensureLibgit2()
    var head: OpaquePointer?
    try check(git_reference_lookup(&head, pointer, "HEAD"))
    defer { git_reference_free(head) }
    guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC,
      let target = git_reference_symbolic_target(head)
    else { return nil }
    return String(cString: target)
  }

  /// True when a tracked file differs from HEAD, in the index or the work tree (untracked files
  /// and submodules aside).
  public func hasUncommittedChanges() throws(GitError) -> Bool {
    ensureLibgit2()
    guard !isBare else { return false }
    var options = git_status_options()
    try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)))
    options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    options.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
    var list: OpaquePointer?
    try check(git_status_list_new(&list, pointer, &options))
    defer { git_status_list_free(list) }
    return git_status_list_entrycount(list) > 0
  }

  /// Brings the index and the work tree from `previous` (the tree they held) to HEAD's tree
  /// after HEAD's branch moved; a file with changes of its own is never overwritten (the
  /// checkout fails instead).
  public func checkOutHead(from previous: ObjectID) throws(GitError) {
    ensureLibgit2()
    var baseline: OpaquePointer?
    var oid = previous.oid
    try check(git_tree_lookup(&baseline, pointer, &oid))
    defer { git_tree_free(baseline) }
    var options = git_checkout_options()
    try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)))
    options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
    options.baseline = baseline
    try check(git_checkout_head(pointer, &options))
  }
}
