import Foundation
import PromptgateCore
import Testing

@Suite struct RunbookTests {
  /// The runbook of SPEC §2, word for word.
  static let specRunbook = """
    version: 1
    service:                                # layer 1: service definition
      name: support-assistant
      scope: ["answer billing questions"]
      out_of_scope: ["legal advice"]
      inputs: { max_chars: 4000, languages: [en, nl] }
      outputs: { format: markdown, max_tokens: 800 }
      escalation:
        - { when: "customer asks for a human", to: tier-2-queue }
    reliability:                            # layer 2: reliability
      slo: { latency_p95_ms: 2500, error_rate: 0.02 }
      fallback:
        strategy: static-response           # previous-release | static-response | human-handoff
        response: fallbacks/static.md       # static-response: a file that must exist in the release
        queue: tier-2-queue                 # human-handoff: where requests go
      rollback:
        owner: ai-operations-engineer       # a role
        target: last-good                   # or a release commit id
        triggers: ["error_rate > 0.05 for 10m"]
        max_recovery_minutes: 30
        steps: ["promptgate rollback --env production --reason ..."]
    governance:                             # layer 3: governance
      data: { classification: confidential, retention_days: 30 }
      checkpoints:
        - { name: prompt-review, role: prompt-owner, approvals: 1, paths: ["prompts/**"] }
        - { name: compliance-review, role: compliance-reviewer, approvals: 1,
            paths: ["policies/**", "runbook.yaml", ".promptgate/**"] }
        - { name: service-signoff, role: service-manager, approvals: 1, environments: [production] }
      separation_of_duties: true            # an author of the change cannot approve it
      approval_ttl_days: 14
      override_roles: [service-manager]     # who may sign a break-glass override
    improvement:                            # layer 4: improvement
      incidents: ["INC-1042"]               # incidents this release answers
      review_cadence: monthly
    roles:                                  # who holds which role (principals as in allowed_signers)
      prompt-owner: [alice@example.com]
      compliance-reviewer: [carol@example.com]
      service-manager: [sam@example.com]
      ai-operations-engineer: [omar@example.com]
    paths: { prompts: ["prompts/**"], policies: ["policies/**"] }
    """

  @Test func readsTheSpecRunbook() throws {
    let loaded = Runbook.parse(Self.specRunbook)
    #expect(loaded.diagnostics == [])
    let runbook = try #require(loaded.runbook)
    #expect(runbook.version == 1)
    #expect(runbook.service?.scope == ["answer billing questions"])
    #expect(
      runbook.service?.escalation == [
        Runbook.Escalation(when: "customer asks for a human", to: "tier-2-queue")
      ])
    #expect(runbook.slo.map(\.name) == ["latency_p95_ms", "error_rate"])
    #expect(
      runbook.fallback
        == Runbook.Fallback(strategy: .staticResponse, response: "fallbacks/static.md", queue: "tier-2-queue")
    )
    #expect(runbook.rollback?.maxRecoveryMinutes == 30)
    #expect(
      runbook.governance?.checkpoints.map(\.name) == [
        "prompt-review", "compliance-review", "service-signoff",
      ])
    #expect(runbook.governance?.checkpoints[2].environments == ["production"])
    #expect(runbook.governance?.approvalTTLDays == 14)
    #expect(runbook.governance?.overrideRoles == ["service-manager"])
    #expect(runbook.incidents == ["INC-1042"])
    #expect(runbook.holds("carol@example.com", role: "compliance-reviewer"))
    #expect(!runbook.holds("alice@example.com", role: "compliance-reviewer"))
    #expect(runbook.paths.kind(of: "prompts/a.md") == .prompt)
    #expect(runbook.location(of: "reliability.rollback.owner") == SourceLocation(line: 17, column: 5))
    #expect(runbook.location(of: "reliability.rollback.missing") == SourceLocation(line: 16, column: 3))
  }

  @Test func aTypoGetsDidYouMean() {
    let text = Self.specRunbook.replacingOccurrences(
      of: "  rollback:\n    owner", with: "  rollbak:\n    owner")
    let diagnostics = Runbook.parse(text).diagnostics
    #expect(
      diagnostics == [
        Diagnostic(
          .error, "unknown key `reliability.rollbak`; did you mean `rollback`?", file: "runbook.yaml",
          at: SourceLocation(line: 16, column: 3))
      ])
  }

  @Test func wrongTypesMissingKeysAndVersions() {
    let diagnostics = Runbook.parse(
      """
      version: 2
      service:
        scope: billing
      reliability:
        fallback: { strategy: static-respnse }
        rollback: { max_recovery_minutes: soon }
      governance:
        checkpoints:
          - { name: x }
      """
    ).diagnostics.map(\.formatted)
    #expect(
      diagnostics == [
        "runbook.yaml:3:10: `service.scope` must be a list of strings; found `billing`",
        "runbook.yaml:5:25: `reliability.fallback.strategy` is `static-respnse`; it must be one of: previous-release, "
          + "static-response, human-handoff (did you mean `static-response`?)",
        "runbook.yaml:6:37: `reliability.rollback.max_recovery_minutes` must be a whole number; found `soon`",
        "runbook.yaml:9:7: `governance.checkpoints[0]` is missing the required key `role`",
        "runbook.yaml:1:10: runbook version 2 is not supported; this promptgate reads version 1",
      ])
    #expect(
      Runbook.parse("service: {}\n").diagnostics.map(\.message) == [
        "the document is missing the required key `version`"
      ])
  }

  /// The runbook's size limit, at its edge: one byte over 1 MiB is refused before it is
  /// parsed, exactly 1 MiB is read. (Built here rather than passed as an argument, which the
  /// test log would print whole.)
  @Test func aRunbookOverOneMiBIsRefusedAndOneOfExactly1MiBIsRead() {
    let head = "version: 1\n"
    let padding = String(repeating: "#", count: (1 << 20) - head.utf8.count - 1) + "\n"
    let atLimit = Runbook.parse(head + padding)
    #expect(!atLimit.diagnostics.contains { $0.message.contains("KiB") }, "\(atLimit.diagnostics)")
    let over = Runbook.parse(head + padding + "\n")
    #expect(over.runbook == nil)
    #expect(
      over.diagnostics.map(\.formatted) == [
        "runbook.yaml: the runbook is 1024 KiB; promptgate reads documents up to 1024 KiB"
      ])
  }

  @Test(arguments: [
    ("an alias bomb", RunbookTests.aliasBomb, "aliases"),
    ("deep nesting", "version: 1\nservice: " + String(repeating: "[", count: 10_000), "nests deeper"),
    ("duplicate keys", "version: 1\nservice: {}\nservice: {}\n", "repeats the key 'service'"),
    ("not a map", "- just\n- a list\n", "must be a map"),
    ("tabs", "version: 1\nservice:\n\tname: x\n", "not valid YAML"),
  ])
  func hostileYAMLGetsADiagnostic(_ name: String, _ text: String, _ expected: String) {
    let loaded = Runbook.parse(text)
    #expect(loaded.runbook == nil, "\(name)")
    #expect(loaded.diagnostics.count == 1, "\(name)")
    #expect(loaded.diagnostics.first?.message.contains(expected) == true, "\(name): \(loaded.diagnostics)")
    #expect(loaded.diagnostics.first?.file == "runbook.yaml")
  }

  static let aliasBomb: String = {
    var lines = ["version: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in 1...9 {
      lines.append(
        "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]")
    }
    return lines.joined(separator: "\n")
  }()
}
