import Foundation
import TestSupport
import Testing

/// `report --repositories <file>` / `--repository` (repeated): an MSP's portfolio, a line per
/// service on top saying which met its targets, then each service's report.
@Suite struct PortfolioTests {
  @Test func aPortfolioSaysWhichServicesMetTheirTargets() throws {
    let good = try ApprovalFixture.baseInStaging()
    let breached = try ApprovalFixture.baseInStaging()
    let csv = "\(breached.keys)/errors.csv"
    try
      "environment,period_start,period_end,metric,value,source\nstaging,2026-11,2026-11,error_rate,0.05,grafana\n"
      .write(toFile: csv, atomically: true, encoding: .utf8)
    let imported = try CLI.run(["-C", breached.path, "metrics", "import", csv, "--key", breached.key("sam")])
    #expect(imported.status == 0, "\(imported.stderr)")
    let list = "\(good.keys)/portfolio.txt"
    try "# our clients\n\(good.path)\n\n\(breached.path)\n".write(
      toFile: list, atomically: true, encoding: .utf8)

    let text = try CLI.run(["report", "--repositories", list, "--no-color"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("portfolio: 2 services"))
    #expect(
      text.stdout.contains("in short: 1 of 2 services met their targets; SLOs breached in support-assistant"))
    #expect(text.stdout.components(separatedBy: "== support-assistant").count - 1 == 2)

    let json = try CLI.run([
      "report", "--repository", good.path, "--repository", breached.path, "--format", "json",
    ])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["services_meeting_targets"] as? Int == 1)
    let services = object["services"] as? [[String: Any]] ?? []
    #expect(services.map { $0["met_targets"] as? Bool } == [true, false])
    #expect(services.last?["repository"] as? String == breached.path)

    let html = try CLI.run(["report", "--repositories", list, "--format", "html"])
    #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
    #expect(html.stdout.contains("<h1>Portfolio report</h1>"))
    #expect(html.stdout.components(separatedBy: "<section class=\"service\">").count - 1 == 2)
    let markdown = try CLI.run(["report", "--repositories", list, "--format", "markdown"])
    #expect(markdown.stdout.contains("# Portfolio report"))
    #expect(markdown.stdout.contains("## Service report: support-assistant"))
  }

  @Test func aPathThatIsNoRepositoryIsNamed() throws {
    let good = try ApprovalFixture.baseInStaging()
    let list = "\(good.keys)/portfolio.txt"
    try "\(good.path)\n/nonexistent/repo\n".write(toFile: list, atomically: true, encoding: .utf8)
    let result = try CLI.run(["report", "--repositories", list])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/repo"))
    let empty = "\(good.keys)/empty.txt"
    try "# nothing yet\n".write(toFile: empty, atomically: true, encoding: .utf8)
    let none = try CLI.run(["report", "--repositories", empty])
    #expect(none.status == 2)
    #expect(none.stderr.contains("lists no repository"))
  }
}
