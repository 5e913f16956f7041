import Foundation
import TestSupport
import Testing

/// `promptgate review` (SPEC §6): the service review `improvement.review_cadence` asks for,
/// signed by a service-manager; `status` says when the next is due and flags an overdue one.
@Suite struct ReviewTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  /// `promptgate` as if it were `offset` later (libfaketime).
  private func later(_ offset: String, _ fixture: ApprovalFixture, _ arguments: [String]) throws
    -> ProcessResult
  {
    try run(
      "/usr/bin/faketime", ["-f", offset, CLI.executable, "-C", fixture.path, "--no-color"] + arguments)
  }

  /// This month as `YYYY-MM`, and the end of the next one (when its review is due), UTC.
  private var thisMonth: (label: String, due: String) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let now = Date()
    let parts = calendar.dateComponents([.year, .month], from: now)
    let label = String(format: "%04d-%02d", parts.year!, parts.month!)
    let start = calendar.date(from: parts)!
    let due = calendar.date(
      byAdding: .day, value: -1, to: calendar.date(byAdding: .month, value: 2, to: start)!)!
    let day = calendar.dateComponents([.year, .month, .day], from: due)
    return (label, String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!))
  }

  @Test(.withFaketime) func statusSaysWhenTheReviewIsDueAndFlagsAnOverdueOne() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let month = thisMonth
    let status = try promptgate(fixture, ["status"])
    #expect(
      status.stdout.contains("review     monthly: none held yet; next: \(month.label), due by \(month.due)"))
    #expect(!status.stdout.contains("overdue"))
    // Seventy days on, this month's review is past due.
    let overdue = try later("+70d", fixture, ["status"])
    #expect(
      overdue.stdout.contains("warning: the monthly service review of \(month.label) is overdue"),
      "\(overdue.stdout)")
    #expect(overdue.stdout.contains("promptgate review --period <YYYY-MM> --summary <text>"))
    let json = try later("+70d", fixture, ["status", "--format", "json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let review = object?["review"] as? [String: Any]
    #expect(review?["overdue"] as? [String] == [month.label])

    let held = try promptgate(
      fixture,
      [
        "review", "--period", month.label, "--summary", "Resolution rate held; one recovery over target",
        "--action", "Alert on error_rate at 3%", "--action", "Rehearse the rollback", "--key",
        fixture.key("sam"),
      ])
    #expect(held.status == 0, "\(held.stderr)")
    #expect(held.stdout.contains("review: sam@example.com holds the service review of \(month.label)"))
    #expect(try promptgate(fixture, ["audit", "verify"]).status == 0)
    let after = try later("+70d", fixture, ["status"])
    #expect(!after.stdout.contains("review of \(month.label) is overdue"), "\(after.stdout)")
    #expect(after.stdout.contains("last held for \(month.label)"))

    let report = try promptgate(fixture, ["report", "--format", "json"])
    let reviews =
      (try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["reviews"]
      as? [String: Any]
    let period = (reviews?["periods"] as? [[String: Any]])?.first
    #expect(period?["period"] as? String == month.label)
    #expect(period?["status"] as? String == "held")
    let text = try promptgate(fixture, ["report"])
    #expect(text.stdout.contains("action: Rehearse the rollback"))
  }

  @Test func onlyAReviewRoleMaySignAndBadInputRecordsNothing() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let head = try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger")
    let month = thisMonth.label
    func review(_ arguments: [String], as signer: String = "sam") throws -> ProcessResult {
      try promptgate(fixture, ["review", "--key", fixture.key(signer)] + arguments)
    }
    let alice = try review(["--period", month, "--summary", "fine"], as: "alice")
    #expect(alice.status == 1)
    #expect(alice.stderr.contains("alice@example.com holds none of the roles that may sign a service review"))
    #expect(alice.stderr.contains("improvement.review_roles: service-manager"))
    let badMonth = try review(["--period", "2026-13", "--summary", "fine"])
    #expect(badMonth.status == 2)
    #expect(badMonth.stderr.contains("--period 2026-13 is not a month: write it as YYYY-MM"))
    let future = try review(["--period", "2999-01", "--summary", "fine"])
    #expect(future.status == 2)
    #expect(future.stderr.contains("has not begun"))
    let empty = try review(["--period", month, "--summary", "  "])
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("--summary is empty"))
    #expect(try fixture.repository.scratch.git("rev-parse", "refs/promptgate/ledger") == head)
  }
}
