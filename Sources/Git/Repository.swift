import Clibgit2

/// An open git repository: a work tree's, a bare one, or a linked worktree's.
///
/// The one owner of its `git_repository` handle, freed in `deinit`. Not `Sendable`: libgit2
/// handles stay on the task that opened them.
public final class Repository {
  let pointer: OpaquePointer

  init(pointer: OpaquePointer) {
    self.pointer = pointer
  }

  deinit {
    git_repository_free(pointer)
  }

  /// Opens the repository that contains `path`, searching upward as git does.
  ///
  /// Finds a work tree's `.git`, a bare repository, or a linked worktree's `.git` file.
  /// libgit2 refuses a repository owned by another user (`GitError.Code.owner`) unless
  /// `safe.directory` allows it.
  public static func open(at path: String) throws(GitError) -> Repository {
    ensureLibgit2()
    var handle: OpaquePointer?
    do {
      try check(git_repository_open_ext(&handle, path, 0, nil))
    } catch  where error.code == .notFound && error.message.utf8.firstRange(of: "safe.directory".utf8) != nil
    {
      // libgit2 1.5 reports the ownership refusal as a missing `safe.directory` setting when
      // none is configured at all; it is the same refusal as GIT_EOWNER.
      let root = discover(from: path) ?? path
      throw GitError(
        code: GIT_EOWNER.rawValue, errorClass: error.errorClass,
        message: "repository path '\(root)' is not owned by current user")
    }
    return Repository(pointer: handle!)
  }

  /// The folder git would open for `path` (a work tree's root, or a bare repository), found
  /// without opening it; nil when there is none.
  static func discover(from path: String) -> String? {
    var buffer = git_buf()
    defer { git_buf_dispose(&buffer) }
    guard git_repository_discover(&buffer, path, 0, nil) == 0, let pointer = buffer.ptr else {
      git_error_clear()
      return nil
    }
    let found = String(cString: pointer)
    return found.hasSuffix("/.git/") ? String(found.dropLast(5)) : found
  }

  /// Creates a new repository at `path` (a work tree's `.git`, or bare).
  public static func create(at path: String, bare: Bool = false) throws(GitError) -> Repository {
    ensureLibgit2()
    var handle: OpaquePointer?
    try check(git_repository_init(&handle, path, bare ? 1 : 0))
    return Repository(pointer: handle!)
  }

  /// The git directory: `.git/` of a work tree, the repository itself when bare, or a linked
  /// worktree's own folder under the main repository's `worktrees/`.
  public var gitDirectory: String {
    String(cString: git_repository_path(pointer))
  }

  /// The directory shared by every worktree of the repository (where refs and objects live).
  public var commonDirectory: String {
    String(cString: git_repository_commondir(pointer))
  }

  /// The work tree's root, nil for a bare repository.
  public var workingDirectory: String? {
    git_repository_workdir(pointer).map { String(cString: $0) }
  }

  public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

  /// True for a shallow clone: some commits' parents were not fetched.
  public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

  /// True when HEAD names a branch that has no commit yet (a new repository, or an orphan
  /// branch).
  public var isHeadUnborn: Bool { git_repository_head_unborn(pointer) == 1 }

  /// True when the repository has no commits yet: HEAD is unborn and no reference exists.
  /// Not `git_repository_is_empty`, which also asks that HEAD name the configured default
  /// branch, and so calls a `git init -b main` repository without `init.defaultBranch` not empty.
  public var isEmpty: Bool {
    guard isHeadUnborn else { return false }
    var iterator: OpaquePointer?
    guard git_reference_iterator_new(&iterator, pointer) == 0 else { return false }
    defer { git_reference_iterator_free(iterator) }
    var name: UnsafePointer<CChar>?
    return git_reference_next_name(&name, iterator) == GIT_ITEROVER.rawValue
  }
}
