import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The incidents a release says it answers, named where the release is made rather than in the
/// runbook (a governance file, whose every change waits for a compliance review): an
/// `Incident: INC-7` trailer, as git writes trailers, on the released commit or on any commit
/// between what the environment runs and it (a merged branch's commits, a squash's body).
/// `improvement.incidents` of the release's runbook keeps counting too.
public enum IncidentTrailers {
  /// At most this many commits are read between base and release: an answer is a recent change.
  static let maximumCommits = 1000

  /// The incidents named by trailers of the commits reachable from `release` and not from
  /// `base`, in order of first mention, without duplicates.
  public static func named(release: Commit, base: Commit?, in repository: Repository) -> [String] {
    var names: [String] = []
    func add(_ found: [String]) {
      for name in found where !names.contains(name) { names.append(name) }
    }
    add(parse(release.message))
    guard let walk = try? RevisionWalk(repository, from: [release.id], hiding: base.map { [$0.id] } ?? [])
    else { return names }
    var read = 0
    for id in walk where id != release.id {
      read += 1
      if read > maximumCommits { break }
      if let commit = try? repository.commit(id) { add(parse(commit.message)) }
    }
    return names
  }

  /// The values of `Incident:` (or `Incidents:`) trailers in the message's last paragraph,
  /// split at commas: `Incident: INC-7, INC-9`.
  public static func parse(_ message: String) -> [String] {
    let paragraphs = message.replacingLiteral("\r\n", with: "\n").splittingLiteral("\n\n")
      .map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
    // The subject is never a trailer block: a one-paragraph message has none.
    guard paragraphs.count > 1, let last = paragraphs.last else { return [] }
    var names: [String] = []
    for line in last.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].trimmingWhitespace.lowercased()
      guard key == "incident" || key == "incidents" else { continue }
      for value in line[line.index(after: colon)...].split(separator: ",") {
        let name = value.trimmingWhitespace
        if !name.isEmpty, !names.contains(name) { names.append(name) }
      }
    }
    return names
  }
}
