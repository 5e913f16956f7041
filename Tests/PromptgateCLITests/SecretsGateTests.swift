import Foundation
import TestSupport
import Testing

/// The secrets gate through `check`: every shipped file is scanned, and only the base's
/// `.promptgate/secrets-baseline` can acknowledge a finding.
@Suite struct SecretsGateTests {
  static let token = "ghp_R8fK2mQ9xLp4Tz7Wv1Nc6Yb3Hd5Ja0Se2Uq8"

  /// The fingerprint `check` prints for the token in a finding's message.
  static func fingerprint(in output: String) -> String? {
    output.firstMatch(of: /github-token ([0-9a-f]{16})\)/).map { String($0.1) }
  }

  @Test func theFallbackResponseAndTheRunbookAreScanned() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt()
    try repository.edit("fallbacks/static.md") { $0 + "Escalate with token \(Self.token).\n" }
    try repository.edit("runbook.yaml") { $0 + "# ci token: \(Self.token)\n" }
    let result = try repository.check(try repository.commit())
    #expect(result.status == 1)
    #expect(result.stdout.contains("fallbacks/static.md:2:21: "), "\(result.stdout)")
    #expect(result.stdout.contains("runbook.yaml:"), "\(result.stdout)")
    #expect(!result.stdout.contains(Self.token))
  }

  @Test func theBaseBaselineAcknowledgesAFindingWithItsReason() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt(line: "Be brief.\nTest vector: \(Self.token)")
    let blocked = try repository.check(try repository.commit("add the vector"))
    #expect(blocked.status == 1)
    let fingerprint = try #require(Self.fingerprint(in: blocked.stdout), "\(blocked.stdout)")
    #expect(
      blocked.stdout.contains(
        "acknowledge it in .promptgate/secrets-baseline (a governance change): \(fingerprint) prompts/billing.prompty <reason>"
      ))

    // Acknowledged in the base, the same content passes the gate and says why.
    let withBaseline = try GatedRepository()
    try withBaseline.scratch.write(
      ".promptgate/secrets-baseline",
      "# acknowledged findings\n\(fingerprint) prompts/billing.prompty published test vector of the token format\n"
    )
    let base = try withBaseline.commit("acknowledge the vector")
    try withBaseline.bumpPrompt(line: "Be brief.\nTest vector: \(Self.token)")
    let head = try withBaseline.commit("add the vector")
    let result = try CLI.run(["-C", withBaseline.path, "check", head, "--base", base, "--no-color"])
    #expect(result.stdout.contains("✓  no-secrets "), "\(result.stdout)")
    let json = try CLI.run(["-C", withBaseline.path, "check", head, "--base", base, "--format", "json"])
    #expect(
      json.stdout.contains(
        "is acknowledged by .promptgate/secrets-baseline line 2: published test vector of the token format"),
      "\(json.stdout)")
  }

  /// The attack: a release that adds its own finding to the baseline is still blocked.
  @Test func aReleaseCannotAcknowledgeItsOwnFinding() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt(line: "Be brief.\nTest vector: \(Self.token)")
    let first = try repository.check(try repository.commit("add the vector"))
    let fingerprint = try #require(Self.fingerprint(in: first.stdout))
    try repository.scratch.write(
      ".promptgate/secrets-baseline", "\(fingerprint) prompts/billing.prompty trust me\n")
    let result = try repository.check(try repository.commit("and acknowledge it"))
    #expect(result.status == 1)
    #expect(result.stdout.contains("✗  no-secrets "))
    #expect(result.stdout.contains("✗  governance-changes "))
  }

  @Test func aBadBaselineLineIsNamedAndAcknowledgesNothing() throws {
    let repository = try GatedRepository()
    try repository.scratch.write(".promptgate/secrets-baseline", "3F2A prompts/billing.prompty because\n")
    let base = try repository.commit("a bad baseline")
    try repository.bumpPrompt()
    let head = try repository.commit()
    let result = try CLI.run(["-C", repository.path, "check", head, "--base", base, "--no-color"])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(
        ".promptgate/secrets-baseline:1:1: `3F2A` is not a fingerprint (16 lowercase hex digits); write "
          + "`<fingerprint> <path> <reason>`, the fingerprint as the secrets gate prints it"),
      "\(result.stdout)")
  }
}
