import Foundation
import TestSupport
import Testing

/// Declared environments (SPEC §3): `environments:` in promotion order. An undeclared name is
/// refused before anything is recorded; production takes only what soaked in staging.
@Suite struct DeclaredEnvironmentTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  /// `promptgate` as if it were `offset` later (libfaketime), signed by the release-bot.
  private func later(_ offset: String, _ fixture: ApprovalFixture, _ arguments: [String]) throws
    -> ProcessResult
  {
    try run(
      "/usr/bin/faketime", ["-f", offset, CLI.executable, "-C", fixture.path, "--no-color"] + arguments,
      environment: ["PROMPTGATE_KEY": fixture.key("ci")])
  }

  private func ledgerHead(_ fixture: ApprovalFixture) -> String? {
    try? fixture.repository.scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/ledger")
  }

  /// The fixture whose first release declares staging, then production after an hour in staging,
  /// released to staging.
  private func declared() throws -> (ApprovalFixture, String) {
    let fixture = try ApprovalFixture()
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "improvement:",
        with: """
          environments:
            - { name: staging }
            - { name: production, after: staging, soak_minutes: 60 }
          improvement:
          """)
    }
    let first = try fixture.repository.commit("environments in promotion order")
    for (name, checkpoint) in [("alice", "prompt-review"), ("carol", "compliance-review")] {
      #expect(try fixture.approve(name, checkpoint, env: "staging", release: first).status == 0)
    }
    let staged = try promptgate(fixture, ["release", first, "--env", "staging"])
    #expect(staged.status == 0, "\(staged.stdout)\(staged.stderr)")
    return (fixture, first)
  }

  @Test func anUndeclaredEnvironmentIsRefusedNamingTheNearest() throws {
    let (fixture, first) = try declared()
    let before = ledgerHead(fixture)
    for command in [
      ["release", first, "--env", "prodution"], ["rollback", "--env", "prodution", "--reason", "x"],
      [
        "approve", first, "--env", "prodution", "--checkpoint", "prompt-review", "--key",
        fixture.key("alice"),
      ],
    ] {
      let refused = try promptgate(fixture, command)
      #expect(refused.status == 2, "\(command): \(refused.stderr)")
      #expect(
        refused.stderr.contains("`prodution` is not an environment runbook.yaml of "), "\(refused.stderr)")
      #expect(refused.stderr.contains("did you mean `production`?"), "\(refused.stderr)")
      #expect(ledgerHead(fixture) == before)
    }
  }

  @Test(.withFaketime) func productionTakesOnlyWhatSoakedInStaging() throws {
    let (fixture, first) = try declared()
    // At once: it has not soaked; the attempt is recorded as blocked and production does not move.
    let early = try promptgate(fixture, ["release", first, "--env", "production"])
    #expect(early.status == 1)
    #expect(early.stdout.contains("promotion-order"), "\(early.stdout)")
    #expect(
      early.stdout.contains("less than the 60 minutes it must soak there; it may come to production from "))
    // Two hours later it may: production judges it against staging's release, which is itself.
    let soaked = try later("+2h", fixture, ["release", first, "--env", "production"])
    #expect(soaked.status == 0, "\(soaked.stdout)\(soaked.stderr)")
    #expect(soaked.stdout.contains("released: "), "\(soaked.stdout)")

    // A change approved for production but never deployed in staging does not skip it.
    try fixture.repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "version: 1.1.0", with: "version: 1.2.0")
    }
    let next = try fixture.repository.commit("straight to production")
    // The ledger's clock has moved on two hours: the reviewer signs on it too.
    let approved = try later(
      "+150m", fixture,
      [
        "approve", next, "--env", "production", "--checkpoint", "prompt-review", "--key",
        fixture.key("alice"),
      ])
    #expect(approved.status == 0, "\(approved.stderr)")
    let skipped = try later("+3h", fixture, ["release", next, "--env", "production"])
    #expect(skipped.status == 1)
    #expect(
      skipped.stdout.contains(
        "\(next.prefix(7)) was never deployed in staging; release it to staging first (promptgate release "),
      "\(skipped.stdout)")

    // status shows the pipeline in promotion order, where a rollback would go and what may move on.
    let status = try later("+3h", fixture, ["status"])
    let staging = try #require(status.stdout.range(of: "\nstaging\n"))
    let production = try #require(status.stdout.range(of: "\nproduction\n"))
    #expect(staging.lowerBound < production.lowerBound, "\(status.stdout)")
    #expect(
      status.stdout.contains("  next       production may take \(first.prefix(7)) now"), "\(status.stdout)")
    #expect(!status.stdout.contains("warning"))
    // Everything recorded is judged again as it was, the promotion gate at its recorded time.
    #expect(try later("+3h", fixture, ["audit", "verify"]).status == 0)
  }

  @Test func statusWarnsWhenNothingIsDeclared() throws {
    let fixture = try ApprovalFixture()
    for (name, checkpoint) in [("alice", "prompt-review"), ("carol", "compliance-review")] {
      #expect(try fixture.approve(name, checkpoint, env: "staging", release: fixture.base).status == 0)
    }
    #expect(try promptgate(fixture, ["release", fixture.base, "--env", "staging"]).status == 0)
    let status = try promptgate(fixture, ["status"])
    #expect(
      status.stdout.contains(
        "warning: runbook.yaml declares no environments: any name is accepted, so a typo starts a new environment"
      ),
      "\(status.stdout)")
  }
}
