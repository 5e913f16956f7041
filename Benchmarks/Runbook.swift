/// The generated repositories' runbook.yaml: a valid one, so that promptgate classifies paths
/// by it as it would in a real repository, rather than warning and falling back to defaults.
enum Runbook {
  static let path = "runbook.yaml"

  /// The runbook, with the one value history edits now and then.
  static func text(latencyMilliseconds: Int) -> String {
    """
    version: 1
    service:
      name: generated-assistants
      scope: ["answer customer questions"]
      out_of_scope: ["legal advice"]
      inputs: { max_chars: 4000, languages: [en, nl, de] }
      outputs: { format: markdown, max_tokens: 800 }
      escalation:
        - { when: "customer asks for a human", to: tier-2-queue }
    reliability:
      slo: { latency_p95_ms: \(latencyMilliseconds), error_rate: 0.02 }
      fallback: { strategy: static-response, response: fallbacks/static.md }
      rollback:
        owner: ai-operations-engineer
        target: last-good
        triggers: ["error_rate > 0.05 for 10m"]
        max_recovery_minutes: 30
        steps: ["promptgate rollback --env production --reason ..."]
    governance:
      data: { classification: confidential, retention_days: 30 }
      checkpoints:
        - { name: prompt-review, role: prompt-owner, approvals: 1, paths: ["prompts/**"] }
        - { name: compliance-review, role: compliance-reviewer, approvals: 1,
            paths: ["policies/**", "runbook.yaml", ".promptgate/**"] }
      separation_of_duties: true
      approval_ttl_days: 14
      override_roles: [service-manager]
    improvement:
      incidents: []
      review_cadence: monthly
    roles:
      prompt-owner: [bench@example.com]
      compliance-reviewer: [carol@example.com]
      service-manager: [sam@example.com]
      ai-operations-engineer: [omar@example.com]
    paths: { prompts: ["prompts/**"], policies: ["policies/**"] }

    """
  }
}
