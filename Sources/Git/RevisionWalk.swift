import Clibgit2

/// Walks commits from some starting points, hiding others, as `git rev-list` does.
public final class RevisionWalk: Sequence, IteratorProtocol {
  /// The order commits come out in.
  public struct Order: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Parents never before their children.
    public static let topological = Order(rawValue: GIT_SORT_TOPOLOGICAL.rawValue)
    /// By commit time, newest first.
    public static let time = Order(rawValue: GIT_SORT_TIME.rawValue)
    /// The chosen order reversed: oldest first.
    public static let reverse = Order(rawValue: GIT_SORT_REVERSE.rawValue)
  }

  private let repository: Repository
  let pointer: OpaquePointer
  /// The error that ended the walk early, if one did.
  public private(set) var error: GitError?

  /// A walk over the commits reachable from `starts` but not from `hidden`.
  public init(
    _ repository: Repository, from starts: [ObjectID], hiding hidden: [ObjectID] = [],
    order: Order = [.topological, .time]
  ) throws(GitError) {
    ensureLibgit2()
    var handle: OpaquePointer?
    try check(git_revwalk_new(&handle, repository.pointer))
    self.repository = repository
    self.pointer = handle!
    try check(git_revwalk_sorting(pointer, order.rawValue))
    for start in starts {
      var oid = start.oid
      try check(git_revwalk_push(pointer, &oid))
    }
    for hide in hidden {
      var oid = hide.oid
      try check(git_revwalk_hide(pointer, &oid))
    }
  }

  deinit {
    git_revwalk_free(pointer)
  }

  /// Only follow first parents, as `git log --first-parent`.
  public func firstParentOnly() {
    git_revwalk_simplify_first_parent(pointer)
  }

  public func next() -> ObjectID? {
    var oid = git_oid()
    let result = git_revwalk_next(&oid, pointer)
    if result == 0 { return ObjectID(oid) }
    if result != GIT_ITEROVER.rawValue { error = GitError.last(returned: result) }
    git_error_clear()
    return nil
  }
}
