import Foundation
import TestSupport
import Testing

/// A diff as `git diff --name-status -M` prints it, rename scores included: what the diff
/// oracle suites compare promptgate's JSON with.
enum NameStatus {
  /// promptgate's `diff --format json`, in that form.
  static func promptgate(_ repository: String, _ base: String, _ head: String) throws -> [String] {
    let json = try CLI.diffJSON(["-C", repository, base, head])
    let files = try #require(json["files"] as? [[String: Any]])
    return files.map { file in
      let path = file["path"] as? String ?? "?"
      switch file["status"] as? String {
      case "added": return "A\t\(path)"
      case "deleted": return "D\t\(path)"
      case "modified": return "M\t\(path)"
      case "typechange": return "T\t\(path)"
      case "renamed":
        let score = String(format: "%03d", file["similarity"] as? Int ?? -1)
        return "R\(score)\t\(file["old_path"] as? String ?? "?")\t\(path)"
      default: return "?\t\(path)"
      }
    }
  }

  /// The oracle: git itself.
  static func git(_ repository: String, _ base: String, _ head: String) throws -> [String] {
    let result = try run("/usr/bin/git", ["-C", repository, "diff", "--name-status", "-M", base, head])
    #expect(result.status == 0, "git diff failed: \(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init)
  }
}
