import Foundation
import TestSupport
import Testing

/// `promptgate diff` as a user runs it: formats, colour, and every bad-input path.
@Suite struct DiffCommandTests {
  /// A release history: a prompt with front matter, a YAML and a JSON policy, a runbook that
  /// moves prompts to `ai/prompts/**`.
  private func releases() throws -> (ScratchRepository, String, String) {
    let scratch = try ScratchRepository()
    try scratch.write(
      "runbook.yaml", "version: 1\npaths: { prompts: [\"ai/prompts/**\"], policies: [\"ai/policies/**\"] }\n")
    try scratch.write(
      "ai/prompts/billing.prompty",
      "---\nversion: 1.0.0\nmodel:\n  parameters: { temperature: 0.7 }\n---\nHello {{ name }}\n")
    try scratch.write("ai/policies/safety.yaml", "limits: { max_tokens: 800 }\ntopics: [legal]\n")
    try scratch.write("ai/policies/routing.json", #"{"queue": "tier-1"}"#)
    try scratch.write("prompts/not-a-prompt-here.md", "x\n")
    let base = try scratch.commit("base")
    try scratch.write(
      "ai/prompts/billing.prompty",
      "---\nversion: 1.1.0\nmodel:\n  parameters: { temperature: 0.2 }\n---\nHello {{ name }}, {{ tier }}\n")
    try scratch.write("ai/policies/safety.yaml", "limits: { max_tokens: 1200 }\ntopics: [legal, crypto]\n")
    try scratch.write("ai/policies/routing.json", #"{"queue": "tier-2"}"#)
    try scratch.write("prompts/not-a-prompt-here.md", "y\n")
    let head = try scratch.commit("head")
    return (scratch, base, head)
  }

  @Test func textShowsFieldsVariablesAndKeysByTheRunbookPaths() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    let expected = """
      prompts (1)
        M  ai/prompts/billing.prompty    +3 -3
             ~ version: 1.0.0 → 1.1.0
             ~ model.parameters.temperature: 0.7 → 0.2
             ~ section (preamble)
                 ~ Hello {{ name }}{+, {{ tier }}+}
             + variable {{ tier }}

      policies (2)
        M  ai/policies/routing.json      +1 -1
             ~ queue: tier-1 → tier-2
        M  ai/policies/safety.yaml       +2 -2
             ~ limits.max_tokens: 800 → 1200
             + topics[]: crypto

      other files (1)
        M  prompts/not-a-prompt-here.md  +1 -1

      4 files changed, 7 insertions(+), 7 deletions(-)

      """
    #expect(result.stdout.hasSuffix(expected), "got:\n\(result.stdout)")
    #expect(
      result.stdout.hasPrefix("promptgate diff \(base) \(head)  (\(base.prefix(7)) → \(head.prefix(7)))"))
    #expect(!result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
  }

  @Test func jsonHasTheFieldsTheSpecNames() throws {
    let (scratch, base, head) = try releases()
    let json = try CLI.diffJSON(["-C", scratch.path, base, head])
    let baseTree = try scratch.git("rev-parse", "\(base)^{tree}")
    #expect((json["base"] as? [String: String]) == ["commit": base, "tree": baseTree])
    #expect((json["head"] as? [String: String])?["commit"] == head)
    let files = try #require(json["files"] as? [[String: Any]])
    let prompt = try #require(files.first { $0["path"] as? String == "ai/prompts/billing.prompty" })
    for key in ["path", "old_path", "status", "kind", "additions", "deletions", "binary", "changes"] {
      #expect(prompt.keys.contains(key), "missing \(key)")
    }
    #expect(prompt["old_path"] is NSNull)
    #expect(prompt["kind"] as? String == "prompt")
    let changes = try #require(prompt["changes"] as? [[String: Any]])
    #expect(
      changes.contains {
        $0["kind"] as? String == "field" && $0["path"] as? String == "model.parameters.temperature"
          && $0["old"] as? String == "0.7" && $0["new"] as? String == "0.2"
          && $0["change"] as? String == "changed"
      })
    #expect(changes.contains { $0["kind"] as? String == "variable" && $0["path"] as? String == "tier" })
  }

  @Test func markdownIsATableAndSections() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["diff", base, head, "--format", "markdown", "-C", scratch.path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("| Status | File | Kind | Lines |"))
    #expect(result.stdout.contains("| modified | `ai/policies/safety.yaml` | policy | +2 −2 |"))
    #expect(result.stdout.contains("- `model.parameters.temperature`: `0.7` → `0.2`"))
    #expect(result.stdout.contains("- variable `{{ tier }}` added"))
  }

  @Test func colourOnATerminalOnlyAndNeverWithNoColor() throws {
    guard let script = which("script") else { return }
    let (scratch, base, head) = try releases()
    let command = "\(CLI.executable) -C \(scratch.path) diff \(base) \(head)"
    let onTerminal = try run(
      script, ["-qec", command, "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": ""])
    #expect(onTerminal.stdout.contains("\u{1B}[33mM\u{1B}[0m"), "a terminal gets colour")
    let noColor = try run(
      script, ["-qec", command, "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": "1"])
    #expect(noColor.status == 0)
    #expect(!noColor.stdout.contains("\u{1B}["), "NO_COLOR turns it off")
    let flag = try run(
      script, ["-qec", command + " --no-color", "/dev/null"], environment: ["TERM": "xterm"])
    #expect(!flag.stdout.contains("\u{1B}["), "--no-color turns it off")
  }

  @Test func sameContentSaysSo() throws {
    let (scratch, _, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", head, head])
    #expect(result.status == 0)
    #expect(result.stdout.contains("No changes: both releases have the same content"))
  }

  @Test func anUnknownRevisionIsOneLineAndExitTwo() throws {
    let (scratch, base, _) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, "v9.9"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr
        == "promptgate: error: unknown revision 'v9.9': no branch, tag or commit by that name; check the spelling, or fetch it (git fetch origin v9.9)\n"
    )
  }

  @Test func outsideARepositoryIsOneLineAndExitTwo() throws {
    let folder = try makeTemporaryFolder(prefix: "promptgate-plain")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let result = try CLI.run(["diff", "HEAD~1", "HEAD"], in: folder)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("promptgate: error: not a git repository"))
    #expect(result.stderr.contains("-C <path>"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func aShallowCloneSaysHowToFetchHistory() throws {
    let (scratch, _, _) = try releases()
    let clone = try makeTemporaryFolder(prefix: "promptgate-shallow")
    defer { try? FileManager.default.removeItem(atPath: clone) }
    try scratch.git("clone", "-q", "--depth", "1", "file://\(scratch.path)", clone + "/c")
    let result = try CLI.run(["-C", clone + "/c", "diff", "HEAD~1", "HEAD"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("shallow clone"))
    #expect(result.stderr.contains("git fetch --unshallow"))
    #expect(result.stderr.contains("fetch-depth: 0"))
  }

  @Test func aRepositoryOfAnotherUserNamesSafeDirectory() throws {
    guard getuid() == 0 else { return }  // Only root can hand a folder to another user.
    let (scratch, base, head) = try releases()
    try run("/bin/chown", ["-R", "65534:65534", scratch.path])
    let result = try CLI.run(
      ["diff", base, head], in: scratch.path + "/ai/prompts", environment: ["HOME": scratch.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("belongs to another user"))
    let resolvedRoot = URL(fileURLWithPath: scratch.path).resolvingSymlinksInPath().path
    #expect(
      result.stderr.contains("git config --global --add safe.directory \(resolvedRoot)\n")
        || result.stderr.contains("git config --global --add safe.directory \(scratch.path)\n"),
      "\(result.stderr)")
  }

  @Test func usageErrorsExitTwo() throws {
    let missing = try CLI.run(["diff"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("Missing expected argument '<base>'"))
    let format = try CLI.run(["diff", "a", "b", "--format", "yaml"])
    #expect(format.status == 2)
    #expect(format.stderr.contains("--format"))
  }

  @Test func globalOptionsGoBeforeOrAfterTheSubcommand() throws {
    let (scratch, base, head) = try releases()
    let before = try CLI.run(["-C", scratch.path, "--no-color", "diff", base, head])
    let after = try CLI.run(["diff", base, head, "-C", scratch.path, "--no-color"])
    #expect(before.status == 0)
    #expect(before.stdout == after.stdout)
  }

  @Test func helpIsStable() throws {
    let result = try CLI.run(["diff", "--help"])
    #expect(result.status == 0)
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Golden/diff-help.txt")
    if let mismatch = try Golden.mismatch(result.stdout, golden: golden.path) {
      Issue.record(Comment(rawValue: mismatch))
    }
  }
}
