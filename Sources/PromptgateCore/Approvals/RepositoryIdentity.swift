import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The id of a gated repository (SPEC §4): its root commit, reached by first parents.
///
/// Finding it walks the release's first-parent history, thousands of commits in a long-lived
/// repository, on every approve, release and rollback. The last answer is kept in
/// `.git/promptgate/repository-root.json` (a commit and its root): a walk that reaches that
/// commit stops there. It is a cache of what git's history already says, so a stale or edited
/// file can only name a commit the walk then never meets.
public enum RepositoryIdentity {
  public static func root(of commit: Commit, in repository: Repository) throws(PromptgateError) -> String {
    let file = Paths.appending("promptgate/repository-root.json", to: repository.commonDirectory)
    let remembered = remembered(in: file)
    var current = commit
    do {
      while let parent = current.parents.first {
        if let remembered, current.id == remembered.commit { return remembered.root }
        current = try repository.commit(parent)
      }
    } catch {
      throw PromptgateError(
        .input,
        "cannot find the root commit of \(commit.id.short()) (\(error.message)); in a shallow clone run "
          + "git fetch --unshallow")
    }
    let root = current.id.hex
    let json = JSONValue.object(["commit": .string(commit.id.hex), "root": .string(root)])
    try? FileManager.default.createDirectory(
      atPath: Paths.parent(of: file), withIntermediateDirectories: true)
    try? LedgerContinuity.atomicWrite(json.canonical, to: file)
    return root
  }

  private static func remembered(in file: String) -> (commit: ObjectID, root: String)? {
    guard let bytes = LocalFile.bytes(atPath: file),
      let json = try? JSONValue(parsing: bytes),
      let commit = json["commit"]?.string.flatMap(ObjectID.init(hex:)),
      let root = json["root"]?.string, ObjectID(hex: root) != nil
    else { return nil }
    return (commit, root)
  }
}

/// The trust anchor (SPEC §3): the repository id the ledger's first event recorded. Every later
/// event carries the same id (the audit checks each against the one before), so the head's id
/// is the anchor without walking the ledger. A release whose history does not hold that root is
/// refused: approvals and releases cannot be carried from one repository into another.
public enum RepositoryAnchor {
  /// The id the ledger is anchored to, or, for an empty ledger, the one `release` would anchor.
  public static func id(ledger: Ledger, release: Commit) throws(PromptgateError) -> String {
    if let head = try ledger.head() { return try ledger.record(head).event.repository }
    return try RepositoryIdentity.root(of: release, in: ledger.repository)
  }

  /// Refuses `release` when its history does not contain the anchor's root commit.
  public static func check(_ release: Commit, anchor: String, in repository: Repository)
    throws(PromptgateError)
  {
    if try RepositoryIdentity.root(of: release, in: repository) == anchor { return }
    // Several roots (unrelated histories merged): the anchor need only be among the ancestors.
    if let root = ObjectID(hex: anchor), repository.contains(root),
      release.id == root || repository.isDescendant(release.id, of: root)
    {
      return
    }
    throw PromptgateError(
      .blocked,
      "\(release.id.short())'s history does not contain \(anchor.prefix(7)), the root commit this repository's "
        + "ledger is anchored to (its first event): it belongs to another repository, and nothing recorded "
        + "for another repository counts here")
  }
}
