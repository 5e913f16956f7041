import Foundation
import TestSupport

/// A repository with a complete, gated first release: the SPEC runbook (its checkpoints scoped
/// to production, so `check` without an environment needs no approvals), prompts with front
/// matter, policies, a static fallback, and a repository gate of its own.
struct GatedRepository {
  let scratch: ScratchRepository
  let base: String

  var path: String { scratch.path }

  static let runbook = """
    version: 1
    service:
      name: support-assistant
      scope: ["answer billing questions"]
      out_of_scope: ["legal advice"]
      inputs: { max_chars: 4000, languages: [en, nl] }
      outputs: { format: markdown, max_tokens: 800 }
      escalation:
        - { when: "customer asks for a human", to: tier-2-queue }
    reliability:
      slo: { latency_p95_ms: 2500, error_rate: 0.02 }
      fallback:
        strategy: static-response
        response: fallbacks/static.md
      rollback:
        owner: ai-operations-engineer
        target: last-good
        triggers: ["error_rate > 0.05 for 10m"]
        max_recovery_minutes: 30
        steps: ["promptgate rollback --env production --reason ..."]
    governance:
      data: { classification: confidential, retention_days: 30 }
      checkpoints:
        - { name: prompt-review, role: prompt-owner, approvals: 1, paths: ["prompts/**"], environments: [production] }
        - { name: compliance-review, role: compliance-reviewer, approvals: 1,
            paths: ["policies/**", "runbook.yaml", ".promptgate/**"], environments: [production] }
      separation_of_duties: true
      approval_ttl_days: 14
      override_roles: [service-manager]
      release_roles: [release-bot, ai-operations-engineer]
    improvement:
      incidents: []
      review_cadence: monthly
    roles:
      prompt-owner: [alice@example.com]
      compliance-reviewer: [carol@example.com]
      service-manager: [sam@example.com]
      ai-operations-engineer: [omar@example.com]
      release-bot: [ci@example.com]
    paths: { prompts: ["prompts/**"], policies: ["policies/**"] }

    """

  static let prompt = """
    ---
    name: billing
    version: 1.0.0
    model:
      parameters: { temperature: 0.7 }
    ---
    You help {{ customer_name }} with billing questions.
    Be brief.

    """

  /// A repository gate: every policy must say who owns it.
  static let ownerGate = """
    id: policy-owner
    layer: governance
    severity: error
    summary: Policies name their owner
    kind: required-keys
    keys: [service.name]

    """

  init() throws {
    scratch = try ScratchRepository()
    try scratch.write("runbook.yaml", Self.runbook)
    try scratch.write("prompts/billing.prompty", Self.prompt)
    try scratch.write("policies/safety.yaml", "blocked_topics: [legal]\nlimits: { max_tokens: 800 }\n")
    try scratch.write("fallbacks/static.md", "We will get back to you shortly.\n")
    try scratch.write(".promptgate/gates/policy-owner.yaml", Self.ownerGate)
    try scratch.write(".promptgate/allowed_signers", "# reviewers\n")
    base = try scratch.commit("first release", author: Self.developer)
  }

  /// A copy of `other` in a folder of its own (``ScratchRepository/init(copying:)``).
  init(copying other: GatedRepository) throws {
    scratch = try ScratchRepository(copying: other.scratch)
    base = other.base
  }

  /// Rewrites a file of the release: `edit` gets the current text and returns the new one.
  func edit(_ path: String, _ edit: (String) -> String) throws {
    let current = (try? String(contentsOfFile: "\(scratch.path)/\(path)", encoding: .utf8)) ?? ""
    try scratch.write(path, edit(current))
  }

  /// A release that bumps the prompt properly: the good change everything else varies.
  func bumpPrompt(to version: String = "1.1.0", line: String = "Be brief and kind.") throws {
    try edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.0.0", with: "version: \(version)")
        .replacingOccurrences(of: "Be brief.", with: line)
    }
  }

  /// Who writes the fixture's commits: not one of the reviewers, so separation of duties lets
  /// them all approve unless a test says otherwise.
  static let developer = "Dev Eloper <dev@example.com>"

  func commit(_ message: String = "change") throws -> String {
    try scratch.commit(message, author: Self.developer)
  }

  /// Runs `promptgate check <head> --base <base>` with extra arguments.
  func check(_ head: String, _ arguments: [String] = []) throws -> ProcessResult {
    try CLI.run(["-C", scratch.path, "check", head, "--base", base, "--no-color"] + arguments)
  }
}
