import Foundation
import TestSupport
import Testing

/// SPEC §7: paths and every other text from the repository are printed quoted where they hold
/// control characters, in every format. A file name holding a newline and a GitHub workflow
/// command, or a terminal escape, must never become a line CI runs or a sequence a terminal
/// obeys.
@Suite struct HostileNamesTests {
  static let injected = "prompts/evil\n::error file=runbook.yaml::pwned.md"
  static let escape = "prompts/clear\u{1B}[2Jscreen.md"
  static let spaced = "policies/a b%c.yaml"

  /// A change adding the three names, the first carrying a secret so the gates name it too.
  private func hostile() throws -> (GatedRepository, String) {
    let repository = try GatedRepository()
    try repository.scratch.write(Self.injected, "key: sk-proj-4fJ9s8dKq2LmN7pQ3rT6vW1xY5zA0bC8\n")
    try repository.scratch.write(Self.escape, "Hello.\n")
    try repository.scratch.write(Self.spaced, "limits: { max_tokens: 10 }\n")
    return (repository, try repository.commit("hostile names"))
  }

  private func expectNothingForged(_ output: String, _ format: String) {
    #expect(!output.contains("\u{1B}"), "\(format): a raw escape character")
    #expect(
      !output.split(separator: "\n").contains { $0.hasPrefix("::error file=runbook.yaml::pwned") },
      "\(format): a forged workflow command:\n\(output)")
  }

  @Test func diffQuotesThemInEveryFormat() throws {
    let (repository, head) = try hostile()
    for format in ["text", "markdown", "json"] {
      let diff = try CLI.run(
        ["-C", repository.path, "diff", repository.base, head, "--no-color", "--format", format])
      #expect(diff.status == 0, "\(diff.stderr)")
      expectNothingForged(diff.stdout, format)
      if format != "json" {
        #expect(
          diff.stdout.contains(#""prompts/evil\n::error file=runbook.yaml::pwned.md""#), "\(diff.stdout)")
        #expect(diff.stdout.contains(#""prompts/clear\033[2Jscreen.md""#), "\(diff.stdout)")
        #expect(diff.stdout.contains("policies/a b%c.yaml"))
      }
    }
  }

  @Test func checkQuotesThemInEveryFormat() throws {
    let (repository, head) = try hostile()
    for format in ["text", "markdown", "github", "junit", "sarif", "json"] {
      let check = try CLI.run(
        ["-C", repository.path, "check", head, "--base", repository.base, "--no-color", "--format", format],
        unsetting: ["GITHUB_STEP_SUMMARY"])
      #expect(check.status == 1, "\(format): \(check.stderr)")
      expectNothingForged(check.stdout, format)
    }
    let text = try CLI.run(["-C", repository.path, "check", head, "--base", repository.base, "--no-color"])
    #expect(text.stdout.contains(#""prompts/evil\n::error file=runbook.yaml::pwned.md""#), "\(text.stdout)")
    // GitHub reads the file property back: newline and colon escaped as the runner expects.
    let github = try CLI.run(
      ["-C", repository.path, "check", head, "--base", repository.base, "--format", "github"],
      unsetting: ["GITHUB_STEP_SUMMARY"])
    #expect(github.stdout.contains("file=prompts/evil%0A%3A%3Aerror file=runbook.yaml%3A%3Apwned.md"))
    // SARIF's artifactLocation.uri is a URI reference (RFC 3986): every unsafe byte encoded.
    let sarif = try CLI.run(
      ["-C", repository.path, "check", head, "--base", repository.base, "--format", "sarif"])
    #expect(
      sarif.stdout.contains("prompts/evil%0A%3A%3Aerror%20file%3Drunbook.yaml%3A%3Apwned.md"),
      "\(sarif.stdout)")
    #expect(!sarif.stdout.contains("evil\\n"))
  }

  /// Errors and warnings quote what they name (a revision, a path, a reason another clone
  /// recorded): each stays one line on stderr, escaped as git escapes a quoted path.
  @Test func anErrorQuotingHostileTextStaysOneLine() throws {
    let (repository, _) = try hostile()
    let revision = "v1\u{1B}[2J\n::error file=runbook.yaml::pwned"
    let diff = try CLI.run(["-C", repository.path, "diff", revision, "HEAD"])
    #expect(diff.status == 2)
    expectNothingForged(diff.stderr, "stderr")
    #expect(diff.stderr.split(separator: "\n").count == 1, "\(diff.stderr)")
    #expect(
      diff.stderr.hasPrefix(
        #"promptgate: error: unknown revision 'v1\033[2J\n::error file=runbook.yaml::pwned'"#),
      "\(diff.stderr)")
  }
}
