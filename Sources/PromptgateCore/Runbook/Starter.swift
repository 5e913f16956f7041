/// The files `promptgate init` writes: a commented runbook that passes the schema gate, and the
/// `.promptgate/` folder reviewers' keys go in.
public enum Starter {
  public static func files(serviceName: String) -> [(path: String, text: String)] {
    [
      (Runbook.path, runbook(serviceName: serviceName)),
      (".promptgate/allowed_signers", allowedSigners),
      (".promptgate/gates/README.md", gatesReadme),
    ]
  }

  static func runbook(serviceName: String) -> String {
    """
    # The runbook promptgate gates every release on. Four layers: what the service is, how it
    # stays reliable, who must approve what, and how it improves. Edit every value below; the
    # gates are read from the release before yours, so a change to this file is judged by the
    # rules it replaces.
    version: 1

    service:                              # layer 1: service definition
      name: \(serviceName)
      # client: Example Client Ltd        # optional: who the service is run for, named in reports
      scope: ["describe what the assistant answers"]
      out_of_scope: ["describe what it must refuse, e.g. legal advice"]
      inputs: { max_chars: 4000, languages: [en] }
      outputs: { format: markdown, max_tokens: 800 }
      escalation:
        - { when: "the customer asks for a human", to: support-queue }

    reliability:                          # layer 2: reliability
      slo: { latency_p95_ms: 2500, error_rate: 0.02 }
      fallback:                           # what users get while the assistant is down:
        strategy: human-handoff           #   human-handoff: hand over to `queue`
        queue: support-queue
        # strategy: static-response       #   static-response: answer with `response`, a file
        # response: fallbacks/static.md   #     in the repository, shipped with every release
        # strategy: previous-release      #   previous-release: go back to the release before
      rollback:
        owner: ai-operations-engineer     # a role below
        target: last-good
        triggers: ["error_rate > 0.05 for 10m"]
        max_recovery_minutes: 30
        steps: ["promptgate rollback --env production --reason <why>"]
      # evidence:                         # results each release needs, recorded by CI with promptgate evidence record
      #   - { kind: evaluation, min_pass_rate: 0.95, paths: ["prompts/**"], environments: [production] }
      #   - { kind: policy-tests, min_pass_rate: 1.0, paths: ["policies/**"], max_age_days: 7 }

    governance:                           # layer 3: governance
      data: { classification: internal, retention_days: 30 }
      checkpoints:
        - { name: prompt-review, role: prompt-owner, approvals: 1, paths: ["prompts/**"] }
        - { name: compliance-review, role: compliance-reviewer, approvals: 1,
            paths: ["policies/**", "runbook.yaml", ".promptgate/**"] }
        - { name: service-signoff, role: service-manager, approvals: 1, environments: [production] }
      separation_of_duties: true          # an author of a change cannot approve it
      approval_ttl_days: 14
      # A break-glass override ships a release its gates block; it must be signed by a holder of
      # one of these roles with a reason (promptgate release <rev> --env production --override
      # --reason "..." --key <key>) and is always reported as a compliance exception.
      # [] allows no override.
      override_roles: [service-manager]
      release_roles: [release-bot, ai-operations-engineer]  # who may sign a release (CI: release-bot)
      signed_commits: false               # true: commits of gated paths must be SSH-signed by a listed key
      evidence_roles: [evidence-bot]      # who may sign evaluation and test results (promptgate evidence record)

    improvement:                          # layer 4: improvement
      incidents: []                       # incidents a release answers, e.g. ["INC-1042"]
      review_cadence: monthly             # monthly | quarterly | yearly: status flags an overdue review
      review_roles: [service-manager]     # who signs promptgate review
      metrics_roles: [service-manager, ai-operations-engineer]  # who signs promptgate metrics import

    roles:                                # principals as in .promptgate/allowed_signers
      prompt-owner: [prompt-owner@example.com]
      compliance-reviewer: [compliance@example.com]
      service-manager: [service-manager@example.com]
      ai-operations-engineer: [ai-ops@example.com]
      release-bot: [release-bot@example.com]  # the CI pipeline's key, kept as a CI secret
      evidence-bot: [evidence-bot@example.com]  # CI's key for evaluation and test results, nothing else

    paths: { prompts: ["prompts/**"], policies: ["policies/**"] }

    """
  }

  static let allowedSigners = """
    # Reviewers' SSH public keys, in OpenSSH's allowed_signers format, one a line:
    #   alice@example.com namespaces="promptgate" ssh-ed25519 AAAAC3Nza...
    # promptgate signs every statement (approvals, releases, rollbacks, overrides) in the
    # namespace `promptgate`; commit signatures use `git`. The principal (first field) is what
    # runbook.yaml's roles list; CI's release-bot key goes here too. Changes to this file need
    # the approvals the base's rules require.

    """

  static let gatesReadme = """
    # This repository's own gates

    Add a gate as one YAML file here (`id`, `layer`, `severity`, `summary`, `kind` and the kind's
    parameters), as in promptgate's `gates/` folder. A gate with the id of a standard gate may only
    tighten it. Gates are always read from the base of a release, never from the release itself.

    """
}
