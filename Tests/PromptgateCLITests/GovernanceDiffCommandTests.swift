import Foundation
import TestSupport
import Testing

/// `promptgate diff` on governance files: the runbook by key path, signers by principal and
/// fingerprint, gates by id; what weakens governance is marked, and `check` names it too.
@Suite struct GovernanceDiffCommandTests {
  static let alice = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWD4TRKX142rTVriZLCWcbQug7fDQU2Sk8xrCjF+yy+"
  static let bob = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ670wd3l9CtjX99gcjIgjYcGEiwk4vvin1L59uBGhei"
  static let mallory = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP2qU0K/YiwPVfSXXoJgCkVkuqs73mzchPVwZnQY1Ul0"

  static let environments = """
    environments:
      - { name: staging }
      - { name: canary, after: staging, soak_minutes: 60 }
      - { name: production, after: canary, release_roles: [release-bot] }

    """

  /// The gated fixture plus environments, signers, a revoked key; then a release that weakens
  /// every rule it can.
  private func weakening() throws -> (GatedRepository, String, String) {
    let repository = try GatedRepository()
    try repository.edit("runbook.yaml") { $0 + Self.environments }
    try repository.scratch.write(
      ".promptgate/allowed_signers",
      "alice@example.com namespaces=\"promptgate\" \(Self.alice)\ncarol@example.com \(Self.bob)\n")
    try repository.scratch.write(".promptgate/revoked_keys", "\(Self.mallory)\n")
    let base = try repository.commit("governed base")
    try repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "prompt-owner: [alice@example.com]",
        with: "prompt-owner: [alice@example.com, mallory@example.com]"
      )
      .replacingOccurrences(of: "separation_of_duties: true", with: "separation_of_duties: false")
      .replacingOccurrences(of: "approval_ttl_days: 14", with: "approval_ttl_days: 90")
      .replacingOccurrences(
        of: "override_roles: [service-manager]", with: "override_roles: [service-manager, prompt-owner]"
      )
      .replacingOccurrences(
        of: "role: prompt-owner, approvals: 1, paths: [\"prompts/**\"]",
        with: "role: prompt-owner, approvals: 0, paths: [\"prompts/**\"]"
      )
      .replacingOccurrences(
        of:
          "    - { name: compliance-review, role: compliance-reviewer, approvals: 1,\n        paths: [\"policies/**\", \"runbook.yaml\", \".promptgate/**\"], environments: [production] }\n",
        with: ""
      )
      .replacingOccurrences(
        of: "  - { name: staging }\n  - { name: canary, after: staging, soak_minutes: 60 }\n",
        with: "  - { name: canary, soak_minutes: 5 }\n  - { name: staging }\n"
      )
      .replacingOccurrences(
        of: "release_roles: [release-bot] }", with: "release_roles: [release-bot, prompt-owner] }")
    }
    try repository.scratch.write(
      ".promptgate/allowed_signers",
      "alice@example.com \(Self.alice)\ncarol@example.com \(Self.bob)\nmallory@example.com \(Self.mallory)\n")
    try repository.scratch.write(".promptgate/revoked_keys", "")
    try repository.edit(".promptgate/gates/policy-owner.yaml") {
      $0.replacingOccurrences(of: "severity: error", with: "severity: warning")
    }
    let head = try repository.commit("loosen everything")
    return (repository, base, head)
  }

  @Test func textGolden() throws {
    let (repository, base, head) = try weakening()
    let result = try CLI.run(["-C", repository.path, "diff", base, head])
    #expect(result.status == 0)
    try DiffGolden.expect(result.stdout, matches: "diff-governance.txt")
  }

  @Test func markdownGolden() throws {
    let (repository, base, head) = try weakening()
    let result = try CLI.run(["-C", repository.path, "diff", base, head, "--format", "markdown"])
    #expect(result.status == 0)
    try DiffGolden.expect(result.stdout, matches: "diff-governance.md")
  }

  @Test func jsonGolden() throws {
    let (repository, base, head) = try weakening()
    let result = try CLI.run(["-C", repository.path, "diff", base, head, "--format", "json", "--pretty"])
    #expect(result.status == 0)
    try DiffGolden.expect(result.stdout, matches: "diff-governance.json")
  }

  @Test func fingerprintsAreSSHKeygens() throws {
    let (repository, base, head) = try weakening()
    let json = try CLI.diffJSON([base, head, "-C", repository.path])
    let files = try #require(json["files"] as? [[String: Any]])
    let signers = try #require(files.first { $0["path"] as? String == ".promptgate/allowed_signers" })
    let added = (signers["changes"] as? [[String: Any]] ?? []).filter { $0["change"] as? String == "added" }
    let folder = try makeTemporaryFolder(prefix: "fingerprint")
    try (Self.mallory + "\n").write(toFile: "\(folder)/k.pub", atomically: true, encoding: .utf8)
    let keygen = try TestSupport.run(
      which("ssh-keygen") ?? "/usr/bin/ssh-keygen", ["-l", "-f", "\(folder)/k.pub"])
    let fingerprint = try #require(keygen.stdout.split(separator: " ").dropFirst().first)
    #expect(added.map { $0["path"] as? String } == ["mallory@example.com \(fingerprint)"])
  }

  @Test func theGovernanceGateNamesWhatWeakens() throws {
    let (repository, base, head) = try weakening()
    let result = try CLI.run([
      "-C", repository.path, "check", head, "--base", base, "--no-color", "--format", "json",
    ])
    #expect(result.status == 1)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let gates = try #require(report["gates"] as? [[String: Any]])
    let governance = try #require(gates.first { $0["id"] as? String == "governance-changes" })
    let messages = (governance["diagnostics"] as? [[String: Any]] ?? []).compactMap {
      $0["message"] as? String
    }
    let message = try #require(messages.first)
    for reason in [
      "runbook.yaml: mallory@example.com joins role prompt-owner",
      "runbook.yaml: an author may approve their own change",
      "runbook.yaml: checkpoint prompt-review lowered from 1 to 0 approvals",
      "runbook.yaml: checkpoint compliance-review removed",
      "runbook.yaml: environments reordered: the promotion order changed",
      ".promptgate/allowed_signers: a key may now sign as mallory@example.com",
      ".promptgate/revoked_keys: the key is no longer revoked: it may sign again",
      ".promptgate/gates/policy-owner.yaml: the gate no longer blocks at error",
    ] {
      #expect(message.contains(reason), "\(reason) missing from: \(message)")
    }
  }

  @Test func tighteningIsNotMarked() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt()
    try repository.edit("runbook.yaml") {
      $0.replacingOccurrences(of: "approval_ttl_days: 14", with: "approval_ttl_days: 7")
        .replacingOccurrences(
          of: "role: prompt-owner, approvals: 1", with: "role: prompt-owner, approvals: 2"
        )
        .replacingOccurrences(of: "override_roles: [service-manager]", with: "override_roles: []")
    }
    try repository.scratch.write(".promptgate/revoked_keys", "\(Self.mallory)\n")
    let head = try repository.commit("tighten")
    let json = try CLI.diffJSON([repository.base, head, "-C", repository.path])
    let files = try #require(json["files"] as? [[String: Any]])
    let governance = files.filter {
      ($0["path"] as? String).map { $0 == "runbook.yaml" || $0.hasPrefix(".promptgate/") } ?? false
    }
    let changes = governance.flatMap { $0["changes"] as? [[String: Any]] ?? [] }
    #expect(changes.count == 4, "\(changes)")
    #expect(changes.allSatisfy { $0["weakens"] is NSNull })
  }

  @Test func anUnreadableRunbookIsANoteNotACrash() throws {
    let repository = try GatedRepository()
    try repository.edit("runbook.yaml") { $0 + "governance: [unclosed\n" }
    let head = try repository.commit("broken")
    let result = try CLI.run(["-C", repository.path, "diff", repository.base, head, "--no-color"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("keys not compared: the new runbook at line"))
  }
}
