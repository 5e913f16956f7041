import PromptgateCore
import Testing

/// Weakening marks that cannot be dodged by how a key is written.
@Suite struct GovernanceDiffTests {
  private func weakenings(_ old: String, _ new: String) -> [String] {
    GovernanceDiff.semantics(.runbook, path: "runbook.yaml", old: old, new: new).changes.compactMap(\.weakens)
  }

  @Test func aRoleWhoseNameNeedsQuotesStillGainsMembersVisibly() {
    let old = "roles:\n  \"prompt.owner\": [alice]\n"
    let new = "roles:\n  \"prompt.owner\": [alice, mallory]\n"
    #expect(weakenings(old, new) == ["mallory joins role prompt.owner"])
  }

  @Test func checkpointsCompareByNameEvenWhenNamesRepeat() {
    // Two checkpoints share a name, so the key paths are positional; the lowering still shows.
    let old = """
      governance:
        checkpoints:
          - { name: review, role: owner, approvals: 2 }
          - { name: review, role: owner, approvals: 2 }
      """
    let new = """
      governance:
        checkpoints:
          - { name: review, role: owner, approvals: 1 }
          - { name: review, role: owner, approvals: 2 }
      """
    #expect(weakenings(old, new) == ["checkpoint review lowered from 2 to 1 approvals"])
  }

  @Test func defaultsAreJudgedNotSpelling() {
    // separation_of_duties defaults to true: writing it out changes nothing; removing true is no change.
    #expect(weakenings("governance: { separation_of_duties: true }\n", "governance: {}\n").isEmpty)
    #expect(
      weakenings("governance: {}\n", "governance: { separation_of_duties: false }\n") == [
        "an author may approve their own change"
      ])
  }

  @Test func checkpointScopeNarrowed() {
    let old =
      "governance:\n  checkpoints:\n    - { name: r, role: o, paths: [\"prompts/**\", \"policies/**\"] }\n"
    let new = "governance:\n  checkpoints:\n    - { name: r, role: o, paths: [\"prompts/**\"] }\n"
    #expect(weakenings(old, new) == ["checkpoint r covers fewer paths"])
    let unscoped = "governance:\n  checkpoints:\n    - { name: r, role: o }\n"
    #expect(weakenings(unscoped, new) == ["checkpoint r covers fewer paths"])
    #expect(weakenings(new, unscoped).isEmpty)
  }

  @Test func fewerGatedPaths() {
    let old = "paths: { prompts: [\"prompts/**\", \"agents/**\"] }\n"
    let new = "paths: { prompts: [\"prompts/**\"] }\n"
    #expect(weakenings(old, new) == ["fewer files are gated as prompts"])
    #expect(weakenings(new, old).isEmpty)
  }

  @Test func signersByPrincipalAndFingerprint() {
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWD4TRKX142rTVriZLCWcbQug7fDQU2Sk8xrCjF+yy+"
    let fingerprint = "SHA256:XR+8z8rNK4Xv7P/v6c5Qsrco/MU53+JXc5DRPpDIMaE"
    let old = "alice@example.com valid-before=\"20270101\" \(key)\n"
    let new = "alice@example.com,bob@example.com valid-before=\"20260101\" \(key)\n"
    let changes = GovernanceDiff.semantics(
      .allowedSigners, path: ".promptgate/allowed_signers", old: old, new: new
    ).changes
    #expect(
      changes == [
        SemanticChange(
          kind: .signer, change: .changed, path: "alice@example.com \(fingerprint)",
          old: "ssh-ed25519 valid-before=20270101000000Z", new: "ssh-ed25519 valid-before=20260101000000Z"),
        SemanticChange(
          kind: .signer, change: .added, path: "bob@example.com \(fingerprint)",
          new: "ssh-ed25519 valid-before=20260101000000Z",
          weakens: "a key may now sign as bob@example.com; roles decide what it may approve or release"),
      ])
  }
}
