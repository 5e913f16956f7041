import Foundation
import TestSupport
import Testing

/// What a newcomer meets first: the README's tour, the starter runbook `init` writes, a first
/// `check` in a repository with no commits yet. Each once misled someone.
@Suite struct NewcomerTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// Every `promptgate` line of the README's tour runs as written against the demo repository
  /// `make demo` builds, and names it with `-C demo-repo`.
  @Test func theReadmeTourRunsAsWritten() throws {
    let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
    #expect(!readme.contains("SPEC §"), "users of a clone have no SPEC to look things up in")
    let tour = try #require(readme.range(of: "## A short tour"))
    let block = try #require(
      DocBlock.parse(String(readme[tour.upperBound...]), file: "README.md").first { $0.language == "sh" })
    let lines = block.code.split(separator: "\n").map(String.init).filter { $0.hasPrefix("promptgate ") }
    #expect(lines.count >= 3)
    let folder = try makeTemporaryFolder(prefix: "promptgate-tour")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(try run(Self.root + "/scripts/make-demo-repo.sh", [folder + "/demo-repo"]).status == 0)
    let summary = folder + "/step-summary.md"
    for line in lines {
      #expect(line.hasPrefix("promptgate -C demo-repo "), "\(line)")
      let command = "promptgate() { \"$PROMPTGATE\" \"$@\"; }; " + line
      let result = try run(
        "/bin/bash", ["-c", command], in: folder,
        environment: ["PROMPTGATE": CLI.executable, "GITHUB_STEP_SUMMARY": summary])
      #expect(result.status == 0, "\(line): \(result.stderr)")
    }
    #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("prompts/"))
  }

  /// The starter runbook passes as written, cites no file a user of a clone lacks, and shows
  /// the `response` a static-response fallback needs: switched to it as its comments show, it
  /// passes with the file and fails naming `response` without it.
  @Test func theStarterRunbookShowsEachFallbackAndTheOverrideRoles() throws {
    let scratch = try ScratchRepository()
    #expect(try CLI.run(["-C", scratch.path, "init", "--quiet"]).status == 0)
    let runbookPath = scratch.path + "/runbook.yaml"
    let starter = try String(contentsOfFile: runbookPath, encoding: .utf8)
    #expect(!starter.contains("SPEC"))
    #expect(starter.contains("# response: fallbacks/static.md"))
    #expect(starter.contains("override_roles: [service-manager]"))
    #expect(starter.contains("--override"))
    try scratch.write("prompts/hello.prompty", "---\nname: hello\nversion: 1.0.0\n---\nHello.\n")
    let first = try scratch.commit("starter")
    #expect(try fallbackGate(in: scratch, first)["status"] as? String == "pass")

    // As the comments say: the strategy line and its `response` uncommented, the queue gone.
    let switched =
      starter
      .replacingOccurrences(of: "\n    strategy: human-handoff", with: "\n    # was human-handoff")
      .replacingOccurrences(of: "\n    queue: support-queue\n", with: "\n")
      .replacingOccurrences(
        of: "\n    # strategy: static-response", with: "\n    strategy: static-response  "
      )
      .replacingOccurrences(
        of: "\n    # response: fallbacks/static.md", with: "\n    response: fallbacks/static.md  ")
    #expect(
      switched.contains("\n    strategy: static-response  ") && !switched.contains("queue: support-queue"))
    try scratch.write("runbook.yaml", switched)
    let missing = try scratch.commit("static response, file missing")
    let refused = try fallbackGate(in: scratch, missing)
    #expect(refused["status"] as? String == "fail")
    let problem = try #require((refused["diagnostics"] as? [[String: Any]])?.first?["message"] as? String)
    #expect(problem.contains("fallbacks/static.md"), "\(problem)")
    try scratch.write("fallbacks/static.md", "We will get back to you shortly.\n")
    let complete = try scratch.commit("static response file")
    #expect(try fallbackGate(in: scratch, complete)["status"] as? String == "pass")
  }

  /// The fallback-declared gate's verdict on `revision`, judged by its own rules (a first
  /// release: the starter's checkpoints still lack approvals, so the check as a whole fails).
  private func fallbackGate(in scratch: ScratchRepository, _ revision: String) throws -> [String: Any] {
    let result = try CLI.run(["-C", scratch.path, "check", revision, "--format", "json"])
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let gates = try #require(report["gates"] as? [[String: Any]])
    return try #require(gates.first { $0["id"] as? String == "fallback-declared" })
  }

  /// `check` in a repository with no commits says so, and does not send the user fetching a
  /// HEAD that does not exist.
  @Test func checkInARepositoryWithNoCommitsSaysSo() throws {
    let scratch = try ScratchRepository()
    let result = try CLI.run(["-C", scratch.path, "check"])
    #expect(result.status == 2)
    #expect(!result.stderr.contains("git fetch"), "\(result.stderr)")
    #expect(
      result.stderr
        == "promptgate: error: unknown revision 'HEAD': the repository has no commits yet; commit first\n")
    try scratch.git("commit", "-q", "--allow-empty", "-m", "root")
    try scratch.git("checkout", "-q", "--orphan", "fresh")
    let orphan = try CLI.run(["-C", scratch.path, "check"])
    #expect(orphan.status == 2)
    #expect(
      orphan.stderr
        == "promptgate: error: HEAD names a branch with no commits yet; commit first, or name a revision that exists\n"
    )
  }
}
