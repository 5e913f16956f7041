import Foundation
import PromptgateCore
import TestSupport
import Testing

/// `promptgate report`: figures checked against a ledger of known times (``ReportLedger``).
@Suite struct ReportTests {
  @Test func monthlyFiguresMatchTheLedger() throws {
    let ledger = try ReportLedger()
    let report = try ledger.json()
    #expect(report["empty"] as? Bool == false)
    #expect(report["period"] as? String == "month")
    #expect(report["ledger_events"] as? Int == 16)
    let production = try #require(report.environment("production"))
    #expect(
      (production["periods"] as? [[String: Any]])?.map { $0["label"] as? String } == ["2026-10", "2026-11"])

    let october = try #require(production.period("2026-10"))
    #expect(october.int("releases") == 3)
    #expect(october.int("overrides") == 1)
    #expect(october.int("blocked") == 2)
    #expect(october.int("rollbacks") == 1)
    #expect(october.int("failed_releases") == 1)
    #expect(abs((october["change_failure_rate"] as? Double ?? -1) - 1.0 / 3) < 1e-9)
    #expect(october.duration("time_to_recovery", "count") == 1)
    #expect(october.duration("time_to_recovery", "median_seconds") == 1_800)
    #expect(october.duration("time_to_recovery", "worst_seconds") == 1_800)
    // C1: 3h after its first production approval (not the staging one, 4 days before); C2: 1h.
    #expect(october.duration("approval_lead_time", "count") == 2)
    #expect(october.duration("approval_lead_time", "median_seconds") == 7_200)
    #expect(october.duration("approval_lead_time", "worst_seconds") == 10_800)
    let gates = try #require(october["blocked_gates"] as? [[String: Any]])
    #expect(gates.map { $0["gate"] as? String } == ["checkpoints-approved", "no-secrets"])
    #expect(gates.map { $0["count"] as? Int } == [2, 1])

    let november = try #require(production.period("2026-11"))
    #expect(november.int("releases") == 3)
    #expect(november.int("failed_releases") == 2)
    #expect(abs((november["change_failure_rate"] as? Double ?? -1) - 2.0 / 3) < 1e-9)
    #expect(november.int("rollbacks") == 1)
    #expect(november.int("marked_bad") == 1)
    #expect(november.duration("time_to_recovery", "median_seconds") == 7_200)
    #expect(november.duration("approval_lead_time", "count") == 0)

    let total = try #require(production.period("total"))
    #expect(total.int("releases") == 6)
    #expect(total.int("failed_releases") == 3)
    #expect(total["change_failure_rate"] as? Double == 0.5)
    #expect(total.duration("time_to_recovery", "median_seconds") == 4_500)
    #expect(total.duration("time_to_recovery", "worst_seconds") == 7_200)

    let exceptions = try #require(production["exceptions"] as? [[String: Any]])
    #expect(exceptions.count == 1)
    #expect(exceptions.first?["actor"] as? String == "Sam <sam@example.com>")
    #expect(exceptions.first?["reason"] as? String == ReportLedger.overrideReason)
    #expect(exceptions.first?["release"] as? String == ReportLedger.commit("C3").commit)
    #expect(exceptions.first?["role"] as? String == "service-manager")
    #expect(exceptions.first?["overridden"] as? [String] == ["checkpoints-approved"])
    let recoveries = try #require(production["recoveries"] as? [[String: Any]])
    #expect(recoveries.map { $0["start_source"] as? String } == ["deploy", "incident-start"])
    #expect(recoveries.map { $0["seconds"] as? Int } == [1_800, 7_200])
    #expect(recoveries.last?["started_at"] as? String == "2026-11-03T08:00:00Z")
    #expect(recoveries.last?["incident"] as? String == "INC-7")

    let staging = try #require(report.environment("staging"))
    #expect(staging.period("total")?.int("releases") == 1)
    #expect(staging.period("total")?.duration("approval_lead_time", "median_seconds") == 7_200)
  }

  @Test func weeksAreISOWeeksWithEmptyWeeksShown() throws {
    let ledger = try ReportLedger()
    let production = try #require(
      try ledger.json(["--period", "week", "--env", "production"]).environment("production"))
    let periods = try #require(production["periods"] as? [[String: Any]])
    // The oracle: Foundation's ISO 8601 calendar, one label for each week from 5 to 20 November.
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let first = try Date("2026-10-05T12:00:00Z", strategy: .iso8601)
    let expected = (0..<7).map { week in
      let parts = calendar.dateComponents(
        [.yearForWeekOfYear, .weekOfYear], from: first.addingTimeInterval(Double(week) * 7 * 86_400))
      return String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!)
    }
    #expect(periods.map { $0["label"] as? String } == expected)
    #expect(periods.first?["start"] as? String == "2026-10-05T00:00:00Z")
    #expect(periods.map { $0["releases"] as? Int } == [1, 1, 1, 0, 1, 1, 1])
    #expect(periods.map { $0["rollbacks"] as? Int } == [0, 1, 0, 0, 1, 0, 0])
    #expect(periods.map { $0["failed_releases"] as? Int } == [0, 1, 0, 0, 1, 1, 0])
    #expect(periods.map { $0["blocked"] as? Int } == [1, 0, 1, 0, 0, 0, 0])
  }

  @Test func sinceUntilAndEnvNarrowTheReport() throws {
    let ledger = try ReportLedger()
    // Whole days, both included; a release later marked bad (outside the range) still failed.
    let november = try ledger.json(["--since", "2026-11-01", "--until", "2026-11-10"])
    #expect((november["environments"] as? [[String: Any]])?.map { $0["name"] as? String } == ["production"])
    let total = try #require(november.environment("production")?.period("total"))
    #expect(total.int("releases") == 2)
    #expect(total.int("failed_releases") == 2)
    #expect(total.int("marked_bad") == 0)
    #expect(total.int("rollbacks") == 1)
    #expect(november["since"] as? String == "2026-11-01T00:00:00Z")
    #expect(november["until"] as? String == "2026-11-10T23:59:59Z")
    // Instants, offsets included, are exact bounds.
    let instant = try ledger.json(["--since", "2026-11-02T11:00:00+01:00", "--until", "2026-11-10T09:59:59Z"])
    #expect(instant.environment("production")?.period("total")?.int("releases") == 1)
    #expect(instant.environment("production")?.period("total")?.int("rollbacks") == 1)

    let staging = try ledger.json(["--env", "staging"])
    #expect((staging["environments"] as? [[String: Any]])?.map { $0["name"] as? String } == ["staging"])
    #expect(staging.environment("staging")?.period("total")?.int("releases") == 1)
    #expect(staging["events_in_range"] as? Int == 1)
  }

  @Test func badDatesAndNamesAreOneLineInputErrors() throws {
    let ledger = try ReportLedger()
    for (arguments, flag) in [
      (["--since", "2026-13-01"], "--since"), (["--until", "soon"], "--until"),
      (["--since", "2026-02-29"], "--since"), (["--until", "2026-11-01T25:00:00Z"], "--until"),
    ] {
      let result = try ledger.report(arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stdout.isEmpty)
      #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
      #expect(result.stderr.contains("\(flag) \(arguments[1]) is not a date: write YYYY-MM-DD"))
    }
    let reversed = try ledger.report(["--since", "2026-11-02", "--until", "2026-11-01"])
    #expect(reversed.status == 2)
    #expect(reversed.stderr.contains("--since 2026-11-02 is after --until 2026-11-01"))
    let environment = try ledger.report(["--env", "Prod/../x"])
    #expect(environment.status == 2)
    #expect(environment.stderr.contains("is not an environment name"))
  }

  @Test func nothingToReportIsSaidNotFailed() throws {
    let empty = try ScratchRepository()
    try empty.commit("root")
    let none = try CLI.run(["-C", empty.path, "report"])
    #expect(none.status == 0, "\(none.stderr)")
    #expect(none.stdout.contains("the ledger is empty"))
    let ledger = try ReportLedger()
    for format in ["text", "markdown", "html"] {
      let later = try ledger.report(["--since", "2027-01-01", "--format", format])
      #expect(later.status == 0)
      #expect(later.stdout.contains("o release, blocked attempt, rollback or mark-bad recorded"), "\(format)")
    }
    let json = try ledger.json(["--since", "2027-01-01"])
    #expect(json["empty"] as? Bool == true)
    #expect((json["environments"] as? [Any])?.isEmpty == true)
    let named = try ledger.json(["--since", "2027-01-01", "--env", "production"])
    #expect(named.environment("production")?.period("total")?.int("releases") == 0)
  }

  @Test func textMarkdownAndHTMLShowTheFiguresAndEscapeTheLedger() throws {
    let ledger = try ReportLedger()
    let text = try ledger.report([])
    #expect(text.status == 0)
    let october = text.stdout.split(separator: "\n").first { $0.hasPrefix("  2026-10") }
    #expect(
      october?.split(separator: " ", omittingEmptySubsequences: true)
        == ["2026-10", "3", "1", "2", "1", "1", "33.3%", "30m", "30m", "2h", "00m"])
    #expect(text.stdout.contains("blocked by: checkpoints-approved ×2, no-secrets ×1"))
    #expect(text.stdout.contains("from the incident start 2026-11-03T08:00:00Z"))
    // Control characters from the ledger are shown, not acted on.
    #expect(!text.stdout.contains("\u{1B}"))
    #expect(text.stdout.contains("why: errors\\u{1b}[2J"))

    let markdown = try ledger.report(["--format", "markdown"])
    #expect(markdown.status == 0)
    #expect(markdown.stdout.contains("| period | releases | overrides | blocked | rollbacks | failed |"))
    #expect(markdown.stdout.contains("| 2026-10 | 3 | 1 | 2 | 1 | 1 | 33.3% | 30m / 30m | 2h 00m / 3h 00m |"))
    #expect(markdown.stdout.contains("| **total** | 6 | 1 | 2 | 2 | 3 | 50% | 1h 15m / 2h 00m |"))
    #expect(
      markdown.stdout.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt; hotfix for \"billing\" \\| now"))
    #expect(!markdown.stdout.contains("<script>"))
    #expect(!markdown.stdout.contains("\u{1B}"))

    let html = try ledger.report(["--format", "html"])
    #expect(html.status == 0)
    #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
    #expect(
      html.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt; hotfix for &quot;billing&quot; | now"))
    #expect(!html.stdout.lowercased().contains("<script"))
    #expect(!html.stdout.contains("\u{1B}"))
    #expect(
      html.stdout.contains(
        "<td>Sam &lt;sam@example.com&gt; (service-manager)</td><td><code>checkpoints-approved</code>"))
    // Self-contained: inline SVG, nothing fetched.
    #expect(html.stdout.contains("<svg class=\"timeline\""))
    #expect(!html.stdout.contains("src="))
    #expect(!html.stdout.contains("url("))
    #expect(!html.stdout.contains("@import"))
    #expect(html.stdout.contains("default-src 'none'"))
    // A table of periods, the blocked gates, the exceptions, the rollbacks, the incidents: each closed.
    #expect(html.stdout.components(separatedBy: "<table").count - 1 == 6)
    #expect(html.stdout.components(separatedBy: "</table>").count - 1 == 6)
  }

  @Test func rollbackIncidentStartIsValidatedRecordedAndCounted() throws {
    let fixture = try ApprovalFixture()
    let scratch = fixture.repository.scratch
    func promptgate(_ arguments: [String]) throws -> ProcessResult {
      try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
    }
    #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: fixture.base).status == 0)
    #expect(
      try fixture.approve("carol", "compliance-review", env: "staging", release: fixture.base).status == 0)
    #expect(try promptgate(["release", fixture.base, "--env", "staging"]).status == 0)
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    #expect(try promptgate(["release", fixture.head, "--env", "staging"]).status == 0)
    let before = try scratch.git("rev-parse", "refs/promptgate/ledger")

    let future = Ledger.timestamp(Date().addingTimeInterval(3_600))
    for (start, message) in [
      (future, "--incident-start \(future) is after the rollback"),
      ("yesterday", "--incident-start yesterday is not an RFC 3339 time"),
      ("2026-11-26", "--incident-start 2026-11-26 is not an RFC 3339 time"),
    ] {
      let refused = try promptgate(
        ["rollback", "--env", "staging", "--reason", "errors", "--incident-start", start])
      #expect(refused.status == 2, "\(start)")
      #expect(refused.stderr.contains(message), "\(refused.stderr)")
      #expect(refused.stderr.split(separator: "\n").count == 1)
    }
    #expect(try scratch.git("rev-parse", "refs/promptgate/ledger") == before)

    let began = Date().addingTimeInterval(-3_600)
    let rollback = try promptgate([
      "rollback", "--env", "staging", "--reason", "errors", "--incident-start", Ledger.timestamp(began),
    ])
    #expect(rollback.status == 0, "\(rollback.stderr)")
    let event = try #require(
      try JSONSerialization.jsonObject(
        with: Data(try scratch.git("show", "refs/promptgate/ledger:event.json").utf8)) as? [String: Any])
    let statement = (event["details"] as? [String: Any])?["statement"] as? [String: Any]
    #expect(statement?["incident_start"] as? String == Ledger.timestamp(began))

    let report = try #require(
      try JSONSerialization.jsonObject(
        with: Data(try promptgate(["report", "--format", "json"]).stdout.utf8)) as? [String: Any])
    let staging = try #require(report.environment("staging"))
    let total = try #require(staging.period("total"))
    #expect(total.int("releases") == 2)
    #expect(total.int("failed_releases") == 1)
    #expect(total["change_failure_rate"] as? Double == 0.5)
    #expect(total.duration("approval_lead_time", "count") == 2)
    let recovery = try #require((staging["recoveries"] as? [[String: Any]])?.first)
    #expect(recovery["start_source"] as? String == "incident-start")
    let seconds = try #require(recovery["seconds"] as? Int)
    #expect((3_600...3_900).contains(seconds))

    // A break-glass override of the rolled-back release is a compliance exception, with who,
    // the role, why and what it went past, as `release --override` signed it.
    let override = try promptgate([
      "release", fixture.head, "--env", "staging", "--override", "--reason", "<b>hotfix</b> now", "--key",
      fixture.key("sam"),
    ])
    #expect(override.status == 0, "\(override.stdout)\(override.stderr)")
    let after = try #require(
      try JSONSerialization.jsonObject(
        with: Data(try promptgate(["report", "--format", "json", "--env", "staging"]).stdout.utf8))
        as? [String: Any])
    let exception = try #require((after.environment("staging")?["exceptions"] as? [[String: Any]])?.first)
    #expect(exception["actor"] as? String == "sam@example.com")
    #expect(exception["role"] as? String == "service-manager")
    #expect(exception["reason"] as? String == "<b>hotfix</b> now")
    #expect((exception["overridden"] as? [String])?.isEmpty == false, "\(exception)")
    #expect(after.environment("staging")?.period("total")?.int("overrides") == 1)
    #expect(after.environment("staging")?.period("total")?.int("releases") == 3)
    let html = try promptgate(["report", "--format", "html"])
    #expect(html.stdout.contains("&lt;b&gt;hotfix&lt;/b&gt; now"))
    #expect(try promptgate(["audit", "verify"]).status == 0)
  }
}
