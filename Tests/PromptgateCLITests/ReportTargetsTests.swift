import Foundation
import TestSupport
import Testing

/// `report` judged against the runbook in force: recoveries beside `max_recovery_minutes`,
/// incidents with the release that answered them (named by a commit trailer), the service and
/// client named, a plain-words summary on top.
@Suite struct ReportTargetsTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  /// The base then the head released to staging (#3, #5).
  private func twoReleases() throws -> ApprovalFixture {
    let fixture = try ApprovalFixture()
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "  name: support-assistant", with: "  name: support-assistant\n  client: Acme Ltd")
    }
    let base = try fixture.repository.commit("name the client")
    #expect(try fixture.approve("alice", "prompt-review", env: "staging", release: base).status == 0)
    #expect(try fixture.approve("carol", "compliance-review", env: "staging", release: base).status == 0)
    #expect(try promptgate(fixture, ["release", base, "--env", "staging"]).status == 0)
    try fixture.repository.bumpPrompt(to: "1.1.0", line: "Be brief, kind and exact.")
    fixture.head = try fixture.repository.commit("billing: exact")
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let released = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(released.status == 0, "\(released.stdout)")
    return fixture
  }

  private func json(_ result: ProcessResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test func aRecoveryOverTargetIsFlaggedAndTheAnsweringReleaseLinked() throws {
    let fixture = try twoReleases()
    let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-35 * 60))
    let rollback = try promptgate(
      fixture,
      [
        "rollback", "--env", "staging", "--reason", "error rate 9%", "--incident", "INC-7",
        "--incident-start", start,
      ])
    #expect(rollback.status == 0, "\(rollback.stderr)")

    var report = try promptgate(fixture, ["report"])
    #expect(report.stdout.contains("service support-assistant for Acme Ltd"))
    #expect(report.stdout.contains("in short: no SLO measurements imported; 1 of 1 recovery over target"))
    #expect(
      report.stdout.contains("recovered in 35m from the incident start \(start)  OVER the 30m target"),
      "\(report.stdout)")
    #expect(report.stdout.contains("INC-7  started \(start), recovered"))
    #expect(report.stdout.contains("open: no release has answered it yet"))

    // The fix names the incident in a commit trailer, not in the runbook: no compliance review.
    try fixture.repository.bumpPrompt(to: "1.2.0", line: "Be brief and careful.")
    fixture.head = try fixture.repository.commit("billing: careful\n\nIncident: INC-7")
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let answer = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(answer.status == 0, "\(answer.stdout)\(answer.stderr)")
    #expect(try promptgate(fixture, ["audit", "verify"]).status == 0)

    report = try promptgate(fixture, ["report"])
    #expect(report.stdout.contains("answered by #"), "\(report.stdout)")
    #expect(report.stdout.contains(String(fixture.head.prefix(7))))
    let object = try json(try promptgate(fixture, ["report", "--format", "json"]))
    let service = object["service"] as? [String: Any]
    #expect(service?["client"] as? String == "Acme Ltd")
    let staging = (object["environments"] as? [[String: Any]])?.first { $0["name"] as? String == "staging" }
    #expect(staging?["max_recovery_minutes"] as? Int == 30)
    let recovery = (staging?["recoveries"] as? [[String: Any]])?.first
    #expect(recovery?["over_target"] as? Bool == true)
    #expect(recovery?["target_minutes"] as? Int == 30)
    let incident = (staging?["incidents"] as? [[String: Any]])?.first
    #expect(incident?["id"] as? String == "INC-7")
    #expect(incident?["open"] as? Bool == false)
    #expect((incident?["answered_by"] as? [String: Any])?["release"] as? String == fixture.head)
    let summary = object["summary"] as? [String: Any]
    #expect(summary?["recoveries_over_target"] as? Int == 1)
    #expect(summary?["incidents_open"] as? Int == 0)

    let markdown = try promptgate(fixture, ["report", "--format", "markdown"])
    #expect(markdown.stdout.contains("# Service report: support-assistant for Acme Ltd"))
    #expect(markdown.stdout.contains("| **over** |"))
    let html = try promptgate(fixture, ["report", "--format", "html"])
    #expect(html.stdout.contains("Acme Ltd"))
    #expect(html.stdout.contains("1 of 1 recovery over target"))
  }

  @Test func aRecoveryWithoutAnIncidentStartSaysWhatItWasMeasuredFrom() throws {
    let fixture = try twoReleases()
    let rollback = try promptgate(fixture, ["rollback", "--env", "staging", "--reason", "tone"])
    #expect(rollback.status == 0, "\(rollback.stderr)")
    let report = try promptgate(fixture, ["report"])
    #expect(
      report.stdout.contains(
        "from the bad release's deploy (no --incident-start given)  within the 30m target"))
    #expect(report.stdout.contains("rollback #"))
    let markdown = try promptgate(fixture, ["report", "--format", "markdown"])
    #expect(markdown.stdout.contains("bad release's deploy; no incident start given"))
  }

  @Test func aTrailerNamingAnotherIncidentDoesNotAnswer() throws {
    let fixture = try twoReleases()
    #expect(
      try promptgate(fixture, ["rollback", "--env", "staging", "--reason", "errors", "--incident", "INC-7"])
        .status
        == 0)
    try fixture.repository.bumpPrompt(to: "1.2.0", line: "Be brief and careful.")
    fixture.head = try fixture.repository.commit("billing: careful\n\nIncident: INC-8")
    #expect(try fixture.approve("alice", "prompt-review", env: "staging").status == 0)
    let blocked = try promptgate(fixture, ["release", fixture.head, "--env", "staging"])
    #expect(blocked.status == 1)
    #expect(blocked.stdout.contains("for INC-7; this release must name it: a trailer `Incident: <id>`"))
  }
}
