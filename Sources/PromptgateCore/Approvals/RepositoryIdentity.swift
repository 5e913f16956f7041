import Foundation
import Git

/// The id of a gated repository (SPEC §4): its root commit, reached by first parents.
///
/// Finding it walks the release's first-parent history, thousands of commits in a long-lived
/// repository, on every approve, release and rollback. The last answer is kept in
/// `.git/promptgate/repository-root.json` (a commit and its root): a walk that reaches that
/// commit stops there. It is a cache of what git's history already says, so a stale or edited
/// file can only name a commit the walk then never meets.
public enum RepositoryIdentity {
  public static func root(of commit: Commit, in repository: Repository) throws(PromptgateError) -> String {
    let file = URL(fileURLWithPath: repository.commonDirectory)
      .appendingPathComponent("promptgate/repository-root.json").path
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
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try? LedgerState.atomicWrite(json.canonical, to: file)
    return root
  }

  private static func remembered(in file: String) -> (commit: ObjectID, root: String)? {
    guard let data = FileManager.default.contents(atPath: file),
      let json = try? JSONValue(parsing: Array(data)),
      let commit = json["commit"]?.string.flatMap(ObjectID.init(hex:)),
      let root = json["root"]?.string, ObjectID(hex: root) != nil
    else { return nil }
    return (commit, root)
  }
}
