import Foundation
import TestSupport
import Testing

/// `make demo` tells its story through scripts/demo-story.sh: run it for real, so the demo a
/// newcomer sees keeps working, and check the story's figures in the report.
@Suite struct DemoStoryTests {
  static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scripts").path

  // libfaketime's preloaded clock hooks deadlock with AddressSanitizer's start-up, so the leak
  // check (scripts/leak-check.sh sets PROMPTGATE_SANITIZED) leaves this one to the plain run.
  @Test(
    .enabled(if: which("faketime") != nil, "the demo story needs faketime (make test installs it)"),
    .enabled(
      if: ProcessInfo.processInfo.environment["PROMPTGATE_SANITIZED"] == nil,
      "faketime and AddressSanitizer do not start together"))
  func theDemoMonthEndsInAReportWithItsRollbacksAndItsException() throws {
    let folder = try makeTemporaryFolder(prefix: "promptgate-demo")
    let repo = folder + "/demo-repo"
    #expect(try run(Self.scripts + "/make-demo-repo.sh", [repo]).status == 0)
    let story = try run(
      Self.scripts + "/demo-story.sh", [repo, folder + "/keys"],
      environment: ["PROMPTGATE": CLI.executable, "SHOW": "1"])
    #expect(story.status == 0, "\(story.stdout)\(story.stderr)")
    #expect(story.stdout.contains("overridden: #21 override: sam@example.com"))
    // The failing evaluation blocks the prompt change; the fixed one, evaluated again, goes in.
    #expect(story.stdout.contains("records evaluation 85.0% (17 of 20 passed, 3 failed)"), "\(story.stdout)")
    #expect(story.stdout.contains("blocked: 1 gate failed: evidence-recorded"), "\(story.stdout)")
    #expect(story.stdout.contains("records evaluation 100% (20 of 20 passed, 0 failed)"), "\(story.stdout)")

    let result = try CLI.run([
      "-C", repo, "report", "--since", "2026-11-01", "--until", "2026-11-30", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let environments = try #require(report["environments"] as? [[String: Any]])
    func total(_ name: String) -> [String: Any]? {
      environments.first { $0["name"] as? String == name }?["total"] as? [String: Any]
    }
    let production = try #require(total("production"))
    #expect(production["releases"] as? Int == 4)
    #expect(production["overrides"] as? Int == 1)
    #expect(production["blocked"] as? Int == 2)
    #expect(production["rollbacks"] as? Int == 1)
    #expect(production["change_failure_rate"] as? Double == 0.25)
    // From the incident start (15:05) to the rollback (15:40).
    #expect((production["time_to_recovery"] as? [String: Any])?["median_seconds"] as? Int == 35 * 60)
    let staging = try #require(total("staging"))
    // From the release's deploy (10:00) to the rollback (16:00).
    #expect((staging["time_to_recovery"] as? [String: Any])?["worst_seconds"] as? Int == 6 * 3600)
    // One staging release needed evidence (the prompt change after the runbook asked for it), and had it.
    let evidence = staging["evidence"] as? [String: Any]
    #expect(evidence?["required"] as? Int == 1 && evidence?["complete"] as? Int == 1, "\(staging)")

    // The month's measurements against the SLOs, the over-target recovery, the incident the fix
    // answered (by its commit trailer), the review held, the client named.
    #expect((report["service"] as? [String: Any])?["client"] as? String == "Example Telecom")
    let productionReport = try #require(environments.first { $0["name"] as? String == "production" })
    let measured = productionReport["measurements"] as? [[String: Any]] ?? []
    func measurement(_ metric: String) -> [String: Any]? {
      measured.first { $0["metric"] as? String == metric }
    }
    #expect(measurement("resolution_rate")?["value"] as? Double == 0.874)
    #expect(measurement("resolution_rate")?["met"] as? Bool == true)
    #expect(measurement("csat")?["met"] as? Bool == true)
    #expect(measurement("error_rate")?["met"] as? Bool == false)
    #expect(measurement("latency_p95_ms")?["met"] as? Bool == true)
    let recovery = (productionReport["recoveries"] as? [[String: Any]])?.first
    #expect(recovery?["over_target"] as? Bool == true)
    let incident = (productionReport["incidents"] as? [[String: Any]])?.first
    #expect(incident?["id"] as? String == "INC-1042")
    #expect(incident?["open"] as? Bool == false)
    let reviews = (report["reviews"] as? [String: Any])?["periods"] as? [[String: Any]]
    #expect(reviews?.first { $0["period"] as? String == "2026-11" }?["status"] as? String == "held")
    let summary = try #require(report["summary"] as? [String: Any])
    #expect(summary["slo_judged"] as? Int == 6)
    #expect(summary["slo_met"] as? Int == 5)
    #expect(try CLI.run(["-C", repo, "audit", "verify"]).status == 0)
  }
}
