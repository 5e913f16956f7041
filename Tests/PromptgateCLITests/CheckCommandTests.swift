import Foundation
import TestSupport
import Testing

/// `promptgate check` end to end on repositories built here: what passes, what is blocked and
/// where, and the attacks a pull request could try.
@Suite struct CheckCommandTests {
  @Test func aCompleteReleasePasses() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt()
    let head = try repository.commit()
    let result = try repository.check(head)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("passed: "))
    #expect(result.stdout.contains("judged by the rules of the base \(repository.base.prefix(7))"))
    #expect(result.stdout.contains("prompt-review: applies to production only"))
    #expect(result.stderr.isEmpty)
  }

  @Test(arguments: [
    (
      "the fallback plan", "  fallback:\n    strategy: static-response\n    response: fallbacks/static.md\n",
      "", "fallback-declared",
      "runbook.yaml:10:1: no fallback plan"
    ),
    (
      "the rollback plan",
      "  rollback:\n    owner: ai-operations-engineer\n    target: last-good\n    triggers: [\"error_rate > 0.05 for 10m\"]\n"
        + "    max_recovery_minutes: 30\n    steps: [\"promptgate rollback --env production --reason ...\"]\n",
      "", "rollback-plan", "runbook.yaml:10:1: no rollback plan"
    ),
    (
      "the service scope", "  scope: [\"answer billing questions\"]\n", "", "service-definition",
      "runbook.yaml:2:1: `service.scope` is not declared"
    ),
    (
      "an SLO", "slo: { latency_p95_ms: 2500, error_rate: 0.02 }", "slo: { latency_p95_ms: 2500 }",
      "slo-declared",
      "runbook.yaml:11:3: the SLO `error_rate` is not declared"
    ),
  ])
  func removingAPartOfTheRunbookBlocksNamingTheGateAndLine(
    _ what: String, _ removed: String, _ replacement: String, _ gate: String, _ expected: String
  ) throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt()
    try repository.edit("runbook.yaml") { text in
      #expect(text.contains(removed), "the test removes \(what)")
      return text.replacingOccurrences(of: removed, with: replacement)
    }
    let result = try repository.check(try repository.commit())
    #expect(result.status == 1, "removing \(what): \(result.stdout)")
    #expect(result.stdout.contains("✗  \(gate) "), "removing \(what) fails \(gate)")
    #expect(result.stdout.contains(expected), "removing \(what): \(result.stdout)")
    #expect(
      result.stdout.hasSuffix("blocked: 1 gate failed: \(gate)\n"), "removing \(what): \(result.stdout)")
  }

  @Test func aPromptChangedWithoutAVersionBumpFails() throws {
    let repository = try GatedRepository()
    try repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "Be brief.", with: "Be very brief.")
    }
    let result = try repository.check(try repository.commit())
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(
        "prompts/billing.prompty:3:10: the prompt changed but its version 1.0.0 is not above the base's 1.0.0; "
          + "bump it (to 1.0.1 at least)"))
    #expect(result.stdout.contains("blocked: 1 gate failed: prompt-version-bump"))

    try repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.0.0", with: "version: 0.9.0")
    }
    let lowered = try repository.check(try repository.commit())
    #expect(lowered.stdout.contains("its version 0.9.0 is not above the base's 1.0.0"))
    try repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 0.9.0", with: "version: soon")
    }
    let invalid = try repository.check(try repository.commit())
    #expect(invalid.stdout.contains("`version: soon` is not a semantic version"))
  }

  @Test func anAPIKeyPastedIntoAPromptFailsWithItsLine() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt(line: "Be brief.\nUse the key AKIA4QW7RZ2KX9M3TB6P when calling billing.")
    let result = try repository.check(try repository.commit())
    #expect(result.status == 1)
    #expect(result.stdout.contains("✗  no-secrets "))
    #expect(result.stdout.contains("prompts/billing.prompty:9:13: "), "\(result.stdout)")
    #expect(!result.stdout.contains("AKIA4QW7RZ2KX9M3TB6P"), "the secret itself is never printed")
  }

  @Test func aFirstReleaseTrustsItsOwnFilesAndSaysSo() throws {
    let repository = try GatedRepository()
    let result = try CLI.run(["-C", repository.path, "check", repository.base, "--no-color"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(
      result.stdout.contains(
        "the repository's first release (the ledger records none): judged by its own rules"))
  }

  @Test func aReleaseWithoutARunbookIsBlocked() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/a.md", "hi\n")
    let head = try scratch.commit("no runbook")
    let result = try CLI.run(["-C", scratch.path, "check", head, "--no-color"])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains("runbook.yaml: the release has no readable runbook.yaml; run `promptgate init`"))
  }

  @Test func aBadRevisionIsAnInputError() throws {
    let repository = try GatedRepository()
    let result = try CLI.run(["-C", repository.path, "check", "HEAD", "--base", "nope"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("promptgate: error: unknown revision 'nope'"))
  }

  @Test func strictTurnsWarningsIntoFailures() throws {
    let repository = try GatedRepository()
    try repository.scratch.write(
      ".promptgate/gates/escalation-warning.yaml",
      "id: escalation-documented\nlayer: service\nseverity: warning\nsummary: Review cadence declared\n"
        + "kind: required-keys\nkeys: [improvement.owner]\n")
    let base = try repository.commit("add a warning gate")
    try repository.bumpPrompt()
    let head = try repository.commit()
    let loose = try CLI.run(["-C", repository.path, "check", head, "--base", base, "--no-color"])
    #expect(loose.status == 0, "\(loose.stdout)")
    #expect(loose.stdout.contains("!  escalation-documented"))
    #expect(loose.stdout.contains(", 1 warning"))
    let strict = try CLI.run(["-C", repository.path, "check", head, "--base", base, "--no-color", "--strict"])
    #expect(strict.status == 1)
    #expect(strict.stdout.contains("blocked: 1 gate failed: escalation-documented"))
  }
}
