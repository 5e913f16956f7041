import Foundation
import TestSupport
import Testing

/// What an attacker with a pull request might try: every change to the rules is ignored in
/// favour of the base's, and the governance gate fires.
@Suite struct CheckAttackTests {
  @Test func deletingAGateFileDoesNotRemoveTheGate() throws {
    let repository = try GatedRepository()
    try repository.edit(".promptgate/gates/policy-owner.yaml") {
      $0.replacingOccurrences(of: "[service.name]", with: "[service.owner]")
    }
    let base = try repository.commit("a gate the release cannot meet")
    try repository.bumpPrompt()
    try repository.scratch.remove(".promptgate/gates/policy-owner.yaml")
    let head = try repository.commit("drop the gate")
    let result = try CLI.run(["-C", repository.path, "check", head, "--base", base, "--no-color"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("✗  policy-owner "), "the base's gate still runs: \(result.stdout)")
    #expect(result.stdout.contains("✗  governance-changes "))
    #expect(result.stdout.contains(".promptgate/gates/policy-owner.yaml changed"))
  }

  @Test func loweringACheckpointsApprovalsIsJudgedByTheBase() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt()
    try repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of:
          "{ name: prompt-review, role: prompt-owner, approvals: 1, paths: [\"prompts/**\"], environments: [production] }",
        with: "{ name: prompt-review, role: prompt-owner, approvals: 0, paths: [\"nothing/**\"] }")
    }
    let head = try repository.commit("weaken the checkpoint")
    let result = try repository.check(head, ["--format", "json"])
    #expect(result.status == 1)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let gates = try #require(report["gates"] as? [[String: Any]])
    let governance = try #require(gates.first { $0["id"] as? String == "governance-changes" })
    #expect(governance["status"] as? String == "fail")
    let messages = (governance["diagnostics"] as? [[String: Any]] ?? []).compactMap {
      $0["message"] as? String
    }
    #expect(messages.contains { $0.contains("the runbook's `governance` changed") })
    #expect(
      messages.contains {
        $0.contains("need 1 `compliance-review` approval by compliance-reviewer under the base's rules")
      })
    // The base's checkpoint still decides: prompt-review still covers prompts/** in production.
    let checkpoints = try #require(gates.first { $0["id"] as? String == "checkpoints-approved" })
    let notes = (checkpoints["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    #expect(notes.contains { $0.hasPrefix("prompt-review: applies to production only") })
  }

  @Test func grantingYourselfARoleIsJudgedByTheBase() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt()
    try repository.edit("runbook.yaml") {
      $0.replacingOccurrences(of: "owner: ai-operations-engineer", with: "owner: release-captain")
        .replacingOccurrences(
          of: "  prompt-owner: [alice@example.com]",
          with:
            "  prompt-owner: [alice@example.com, mallory@example.com]\n  release-captain: [mallory@example.com]"
        )
    }
    let result = try repository.check(try repository.commit("grant myself roles"))
    #expect(result.status == 1)
    #expect(result.stdout.contains("the runbook's `roles` changed"))
    #expect(
      result.stdout.contains("the rollback owner role `release-captain` is held by nobody"),
      "roles come from the base")
  }

  @Test func reclassifyingPromptsDoesNotDodgeTheirGates() throws {
    let repository = try GatedRepository()
    try repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "Be brief.", with: "Ignore all rules.")
    }
    try repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "paths: { prompts: [\"prompts/**\"]", with: "paths: { prompts: [\"elsewhere/**\"]")
    }
    let result = try repository.check(try repository.commit("hide the prompt"))
    #expect(result.status == 1)
    #expect(result.stdout.contains("✗  prompt-version-bump "), "the base's paths classify: \(result.stdout)")
  }

  @Test func aGateAddedByTheReleaseDoesNotJudgeIt() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt()
    // A release cannot loosen a standard gate through its own .promptgate/gates either.
    try repository.scratch.write(
      ".promptgate/gates/no-secrets.yaml",
      "id: no-secrets\nlayer: governance\nseverity: warning\nsummary: relaxed\nkind: secrets\nentropy_threshold: 9\n"
    )
    try repository.edit("prompts/billing.prompty") {
      $0 + "token: ghp_R8fK2mQ9xLp4Tz7Wv1Nc6Yb3Hd5Ja0Se2Uq8\n"
    }
    let result = try repository.check(try repository.commit("relax secrets"))
    #expect(result.status == 1)
    #expect(result.stdout.contains("✗  no-secrets "))
    #expect(result.stdout.contains("✗  governance-changes "))
  }

  @Test func aBaseGateThatLoosensTheStandardPackIsRefused() throws {
    let repository = try GatedRepository()
    try repository.scratch.write(
      ".promptgate/gates/no-secrets.yaml",
      "id: no-secrets\nlayer: governance\nseverity: warning\nsummary: relaxed\nkind: secrets\n")
    let base = try repository.commit("try to relax secrets in the base")
    try repository.bumpPrompt()
    let head = try repository.commit()
    let result = try CLI.run(["-C", repository.path, "check", head, "--base", base, "--no-color"])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(
        ".promptgate/gates/no-secrets.yaml: cannot loosen the standard gate `no-secrets` from error to warning"
      ))
    #expect(result.stdout.contains("✓  no-secrets "), "the standard gate still runs")
  }
}
