import Git

/// Opens repositories and resolves revisions, turning libgit2's errors into messages that say
/// what to do.
public enum RepositoryLookup {
  /// Opens the repository containing `path` (a work tree, a bare repository or a worktree).
  public static func open(at path: String) throws(PromptgateError) -> Repository {
    do {
      return try Repository.open(at: path)
    } catch {
      switch error.code {
      case .notFound:
        throw PromptgateError(
          .notARepository,
          "not a git repository (nor any parent folder): \(path); run promptgate inside one or pass -C <path>"
        )
      case .owner:
        let owned = quotedPath(in: error.message) ?? path
        throw .input(
          "the repository at \(owned) belongs to another user, so git refuses to open it; if you trust it, "
            + "run: git config --global --add safe.directory \(trimmingSlash(owned))")
      default:
        throw .input("cannot open a git repository at \(path): \(error.message)")
      }
    }
  }

  /// Resolves a revision as git does (`v1.2`, `main~3`, `HEAD^`, an id, `refs/...`) to a commit.
  public static func commit(_ revision: String, in repository: Repository) throws(PromptgateError) -> Commit {
    do {
      return try repository.resolveCommit(revision)
    } catch {
      switch error.code {
      case .notFound, .invalidSpec, .unbornBranch:
        if repository.isShallow {
          throw PromptgateError(
            .notFound,
            "unknown revision '\(revision)' in this shallow clone: its history was not fetched; "
              + "run: git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)")
        }
        if repository.isEmpty {
          throw PromptgateError(
            .notFound, "unknown revision '\(revision)': the repository has no commits yet; commit first")
        }
        if revision == "HEAD" && repository.isHeadUnborn {
          throw PromptgateError(
            .notFound, "HEAD names a branch with no commits yet; commit first, or name a revision that exists"
          )
        }
        throw PromptgateError(
          .notFound,
          "unknown revision '\(revision)': no branch, tag or commit by that name; "
            + "check the spelling, or fetch it (git fetch origin \(revision))")
      case .ambiguous:
        throw .input("revision '\(revision)' is ambiguous: give more digits of the id")
      case .peel:
        throw .input("revision '\(revision)' does not name a commit; give a commit, branch or tag")
      default:
        throw .input("cannot resolve revision '\(revision)': \(error.message)")
      }
    }
  }

  /// Wraps a libgit2 failure while reading an object that should be there (a corrupt or partial
  /// repository).
  public static func readFailure(_ error: GitError, reading what: String) -> PromptgateError {
    .input("cannot read \(what) from the repository: \(error.message); run git fsck to check it")
  }

  /// Wraps a libgit2 failure while writing: what could not be written, why in plain words
  /// (read-only, no space), and that nothing was recorded.
  public static func writeFailure(_ error: GitError, writing what: String) -> PromptgateError {
    let message = error.message.lowercased()
    let cause =
      if message.containsLiteral("no space left") || message.containsLiteral("disk quota") {
        "the disk is full (\(error.message)); free some space and run it again"
      } else if message.containsLiteral("read-only file system")
        || message.containsLiteral("permission denied")
      {
        "the repository cannot be written here (\(error.message)); check the permissions of its .git folder"
      } else {
        error.message
      }
    return .input("could not write \(what): \(cause); nothing was recorded")
  }

  private static func quotedPath(in message: String) -> String? {
    guard let start = message.firstIndex(of: "'"),
      let end = message[message.index(after: start)...].firstIndex(of: "'")
    else { return nil }
    return String(message[message.index(after: start)..<end])
  }

  private static func trimmingSlash(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  /// What to say of `reference`'s lock file when it stays: the same words wherever it shows.
  public static func staleLock(of reference: String, in repository: Repository) -> String {
    "\(lockFile(of: reference, in: repository)) exists; if no other promptgate or git command is running, "
      + "a crash left it behind: delete it"
  }

  /// The lock file git and libgit2 create beside a loose reference while they update it.
  public static func lockFile(of reference: String, in repository: Repository) -> String {
    let folder =
      repository.commonDirectory.hasSuffix("/")
      ? repository.commonDirectory : repository.commonDirectory + "/"
    return folder + reference + ".lock"
  }
}
