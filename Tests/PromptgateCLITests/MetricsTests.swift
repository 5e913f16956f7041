import Foundation
import TestSupport
import Testing

/// `promptgate metrics import` (SPEC §6): measurements from a helpdesk or a monitoring export,
/// checked row by row, signed by a role of `improvement.metrics_roles` in the runbook in force,
/// one event per import, re-imports superseding visibly, bad files recording nothing.
@Suite struct MetricsTests {
  private func promptgate(_ fixture: ApprovalFixture, _ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", fixture.path, "--no-color"] + arguments)
  }

  private func ledgerHead(_ fixture: ApprovalFixture) -> String? {
    try? fixture.repository.scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/ledger")
  }

  /// Writes `text` to a file beside the repository and returns its path.
  private func file(_ fixture: ApprovalFixture, _ name: String, _ text: String) throws -> String {
    let path = "\(fixture.keys)/\(name)"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  private func importing(_ fixture: ApprovalFixture, _ path: String, as signer: String = "sam") throws
    -> ProcessResult
  {
    try promptgate(fixture, ["metrics", "import", path, "--key", fixture.key(signer)])
  }

  static let november = """
    environment,period_start,period_end,metric,value,source,unit
    staging,2026-11-01,2026-11-30,resolution_rate,87,helpdesk export,%
    staging,2026-11-01,2026-11-30,csat,4.4,helpdesk export,
    staging,2026-11-01,2026-11-30,latency_p95_ms,2.1,grafana,s
    staging,2026-11-01,2026-11-30,error_rate,0.031,grafana,
    staging,2026-11-01,2026-11-30,tickets_reopened,12,helpdesk export,tickets

    """

  private func reportJSON(_ fixture: ApprovalFixture) throws -> [String: Any] {
    let result = try promptgate(fixture, ["report", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  private func measurements(_ report: [String: Any], _ environment: String = "staging") -> [[String: Any]] {
    let environments = report["environments"] as? [[String: Any]] ?? []
    return environments.first { $0["name"] as? String == environment }?["measurements"] as? [[String: Any]]
      ?? []
  }

  @Test func aGoodFileIsRecordedSignedAndJudgedAgainstTheSLOs() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let path = try file(fixture, "november.csv", Self.november)
    let imported = try importing(fixture, path)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("imported 5 measurements for staging"))
    let sha = try run("/usr/bin/sha256sum", [path]).stdout.prefix(64)
    let event = try fixture.repository.scratch.git("show", "refs/promptgate/ledger:event.json")
    #expect(event.contains("\"kind\":\"metrics\""))
    #expect(event.contains("\"sha256\":\"\(sha)\""))
    #expect(event.contains("\"role\":\"service-manager\""))
    #expect(
      try fixture.repository.scratch.git("log", "-1", "--format=%s", "refs/promptgate/ledger")
        .contains("metrics: sam@example.com imports 5 measurements from november.csv"))
    #expect(try promptgate(fixture, ["audit", "verify"]).status == 0)

    let report = try reportJSON(fixture)
    let results = measurements(report)
    func result(_ metric: String) -> [String: Any]? { results.first { $0["metric"] as? String == metric } }
    // Units were converted: 87 % is 0.87, 2.1 s is 2100 ms.
    #expect(result("resolution_rate")?["value"] as? Double == 0.87)
    #expect(result("latency_p95_ms")?["value"] as? Double == 2100)
    #expect(result("latency_p95_ms")?["target"] as? Double == 2500)
    #expect(result("latency_p95_ms")?["met"] as? Bool == true)
    // error_rate 3.1 % against an SLO of 2 %: breached.
    #expect(result("error_rate")?["met"] as? Bool == false)
    #expect(result("error_rate")?["comparison"] as? String == "at most")
    // A metric the SLOs do not name is shown, not judged; an unknown name keeps its unit.
    #expect(result("csat")?["met"] is NSNull)
    #expect(result("tickets_reopened")?["unit"] as? String == "tickets")
    let summary = try #require(report["summary"] as? [String: Any])
    #expect(summary["slo_judged"] as? Int == 2)
    #expect(summary["slo_met"] as? Int == 1)

    let text = try promptgate(fixture, ["report"])
    #expect(text.stdout.contains("in short: 1 of 2 SLO measurements met their target"))
    #expect(text.stdout.contains("error_rate"))
    #expect(text.stdout.contains("BREACHED"))
    #expect(text.stdout.contains("87%"))
  }

  @Test func jsonLinesWorkTooAndABadLineNamesItsKey() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let good = try file(
      fixture, "month.jsonl",
      """
      {"environment": "staging", "period_start": "2026-11", "period_end": "2026-11", "metric": "csat", "value": 4.6, "source": "survey"}
      {"environment": "staging", "period_start": "2026-11", "period_end": "2026-11", "metric": "requests", "value": "1200", "source": "gateway"}

      """)
    let imported = try importing(fixture, good)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("imported 2 measurements"))
    let head = ledgerHead(fixture)
    let bad = try file(
      fixture, "bad.jsonl",
      """
      {"environment": "staging", "period_start": "2026-11", "period_end": "2026-11", "metric": "csat", "value": 4.6, "source": "survey"}
      {"environment": "staging", "period_start": "2026-11", "period_end": "2026-11", "metric": "requests", "value": 12.5, "source": "gateway"}

      """)
    let refused = try importing(fixture, bad)
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains(
        "bad.jsonl:2: requests is a whole number of 0 or more; 12.5 is not whole (key `value`)"))
    #expect(refused.stderr.contains("nothing was recorded"))
    #expect(ledgerHead(fixture) == head)
  }

  /// Every bad file is refused with its file, line and column, and records nothing.
  @Test(arguments: [
    (
      "unit", "staging,2026-11-01,2026-11-30,latency_p95_ms,2300,grafana,kg",
      "bad.csv:2:7: latency_p95_ms is measured in ms; `kg` is not a unit for it (use ms, s)"
    ),
    (
      "csat range", "staging,2026-11-01,2026-11-30,csat,92,survey,",
      "bad.csv:2:5: csat is a score from 1 to 5; 92 is out of range: a percentage of satisfied customers"
    ),
    (
      "percentage", "staging,2026-11-01,2026-11-30,resolution_rate,87,helpdesk,",
      "bad.csv:2:5: resolution_rate is a fraction from 0 to 1 (0.87 for 87 %); 87 is out of range: it looks like a "
        + "percentage; write 0.87, or give the unit %"
    ),
    (
      "environment", "stagin,2026-11-01,2026-11-30,csat,4.2,survey,",
      "bad.csv:2:1: `stagin` is not an environment of this service: did you mean `staging`?"
    ),
    (
      "date", "staging,2026-11-31,2026-11-30,csat,4.2,survey,",
      "bad.csv:2:2: `2026-11-31` is not a date"
    ),
    (
      "backwards", "staging,2026-11-10,2026-11-01,csat,4.2,survey,",
      "bad.csv:2:3: the period ends (2026-11-01) before it starts (2026-11-10)"
    ),
    (
      "number", "staging,2026-11-01,2026-11-30,csat,4.2%,survey,",
      "bad.csv:2:5: `4.2%` is not a number: write the number, and % in the `unit` column"
    ),
    (
      "not a number", "staging,2026-11-01,2026-11-30,csat,nan,survey,",
      "bad.csv:2:5: `nan` is not a number"
    ),
    (
      "no source", "staging,2026-11-01,2026-11-30,csat,4.2,,",
      "bad.csv:2:6: `source` is empty"
    ),
    (
      "duplicate",
      "staging,2026-11-01,2026-11-30,csat,4.2,survey,\nstaging,2026-11-01,2026-11-30,csat,4.3,survey,",
      "bad.csv:3: csat of staging for 2026-11-01 to 2026-11-30 is given twice (also line 2): keep one"
    ),
    (
      "fields", "staging,2026-11-01,2026-11-30,csat,4.2",
      "bad.csv:2: this row has 5 fields and the header 7"
    ),
  ])
  func aBadRowIsNamedAndNothingIsRecorded(_ case: (String, String, String)) throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let head = ledgerHead(fixture)
    let path = try file(
      fixture, "bad.csv", "environment,period_start,period_end,metric,value,source,unit\n\(`case`.1)\n")
    let result = try importing(fixture, path)
    #expect(result.status == 2, "\(`case`.0): \(result.stdout)")
    #expect(result.stderr.contains(`case`.2), "\(`case`.0): \(result.stderr)")
    #expect(result.stderr.contains("nothing was recorded"), "\(`case`.0)")
    #expect(!result.stderr.contains("Fatal error"))
    #expect(ledgerHead(fixture) == head, "\(`case`.0)")
  }

  @Test func aHeaderWithATypoIsNamed() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let path = try file(
      fixture, "typo.csv",
      "environment,period_start,period_end,metrik,value,source\nstaging,2026-11-01,2026-11-30,csat,4,x\n")
    let result = try importing(fixture, path)
    #expect(result.status == 2)
    #expect(result.stderr.contains("typo.csv:1:4: unknown column `metrik`: did you mean `metric`?"))
  }

  @Test func aFiftyMegabyteFileIsRefusedClearlyBeforeItIsRead() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let head = ledgerHead(fixture)
    let path = "\(fixture.keys)/huge.csv"
    var text = "environment,period_start,period_end,metric,value,source\n"
    let row = "staging,2026-11-01,2026-11-30,requests,1200,gateway\n"
    text += String(repeating: row, count: 50 * 1024 * 1024 / row.utf8.count + 1)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let result = try importing(fixture, path)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "huge.csv is 50.0 MB; one import is one signed ledger event and holds at most 8.0 MB"))
    #expect(result.stderr.contains("split the file"))
    #expect(ledgerHead(fixture) == head)
  }

  @Test func reImportingSupersedesTheEarlierValueVisibly() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let first = try file(
      fixture, "first.csv",
      "environment,period_start,period_end,metric,value,source\nstaging,2026-11,2026-11,error_rate,0.031,grafana\n"
    )
    #expect(try importing(fixture, first).status == 0)
    let corrected = try file(
      fixture, "corrected.csv",
      "environment,period_start,period_end,metric,value,source\nstaging,2026-11,2026-11,error_rate,0.012,grafana\n"
    )
    let again = try importing(fixture, corrected, as: "omar")
    // omar (ai-operations-engineer) is not in the default metrics roles (the review roles).
    #expect(again.status == 1)
    #expect(again.stderr.contains("omar@example.com holds none of the roles that may sign a metrics import"))
    let result = try importing(fixture, corrected)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("supersedes error_rate of staging for 2026-11: 0.031 (imported by #"))
    #expect(result.stdout.contains("is now 0.012"))
    let results = measurements(try reportJSON(fixture))
    #expect(results.count == 1)
    #expect(results.first?["value"] as? Double == 0.012)
    #expect(results.first?["met"] as? Bool == true)
    let superseded = results.first?["superseded"] as? [[String: Any]]
    #expect(superseded?.first?["value"] as? Double == 0.031)
    #expect(try promptgate(fixture, ["report"]).stdout.contains("(supersedes 3.1% of #"))
  }

  /// Several months read as a trend in the page: a metric a row, a month a column.
  @Test func severalMonthsReadAsATrendInThePage() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let path = try file(
      fixture, "quarter.csv",
      """
      environment,period_start,period_end,metric,value,source
      staging,2026-09,2026-09,error_rate,0.01,grafana
      staging,2026-10,2026-10,error_rate,0.03,grafana
      staging,2026-11,2026-11,error_rate,0.015,grafana

      """)
    #expect(try importing(fixture, path).status == 0)
    let html = try promptgate(fixture, ["report", "--format", "html"]).stdout
    #expect(html.contains("<th>Metric</th><th>Target</th><th>2026-09</th><th>2026-10</th><th>2026-11</th>"))
    #expect(html.contains("<span class=\"bad\">3% ✗</span>"))
    let summary = try #require(try reportJSON(fixture)["summary"] as? [String: Any])
    #expect(summary["slo_met"] as? Int == 2)
    #expect(summary["slo_judged"] as? Int == 3)
  }

  @Test func onlyTheRolesOfTheRunbookInForceMaySign() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let path = try file(fixture, "november.csv", Self.november)
    let head = ledgerHead(fixture)
    // dave is listed in allowed_signers and holds no role; mallory is listed nowhere.
    let dave = try importing(fixture, path, as: "dave")
    #expect(dave.status == 1)
    #expect(dave.stderr.contains("dave@example.com holds none of the roles that may sign a metrics import"))
    let mallory = try importing(fixture, path, as: "mallory")
    #expect(mallory.status == 1)
    #expect(mallory.stderr.contains("is not listed in .promptgate/allowed_signers"))
    // A branch that grants alice the right is not in force: only a deployed runbook is.
    try fixture.repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "  review_cadence: monthly", with: "  review_cadence: monthly\n  metrics_roles: [prompt-owner]")
    }
    _ = try fixture.repository.commit("let prompt owners import metrics")
    let alice = try importing(fixture, path, as: "alice")
    #expect(alice.status == 1)
    #expect(alice.stderr.contains("alice@example.com holds none of the roles"))
    #expect(ledgerHead(fixture) == head)
    // Without a key it is a usage error.
    let unsigned = try CLI.run(
      ["-C", fixture.path, "metrics", "import", path], environment: ["PROMPTGATE_KEY": ""])
    #expect(unsigned.status == 2)
    #expect(unsigned.stderr.contains("a metrics import is signed: give --key"))
  }

  /// The report finds imports through a cache beside the ledger: editing or removing it costs
  /// time, never adds or hides a measurement.
  @Test func anEditedIndexCannotChangeTheFigures() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let first = try file(
      fixture, "first.csv",
      "environment,period_start,period_end,metric,value,source\nstaging,2026-11,2026-11,error_rate,0.01,grafana\n"
    )
    #expect(try importing(fixture, first).status == 0)
    #expect(measurements(try reportJSON(fixture)).count == 1)
    let scratch = fixture.repository.scratch
    let index = "\(scratch.path)/.git/promptgate/improvement-index.json"
    let text = try String(contentsOfFile: index, encoding: .utf8)
    // Point the cache at the first release's event instead of the import.
    let release = try scratch.git("rev-parse", "refs/promptgate/ledger~1")
    let imported = try scratch.git("rev-parse", "refs/promptgate/ledger")
    try text.replacingOccurrences(of: imported, with: release).write(
      toFile: index, atomically: true, encoding: .utf8)
    let results = measurements(try reportJSON(fixture))
    #expect(results.count == 1)
    #expect(results.first?["value"] as? Double == 0.01)
    // A cache that does not match is dropped; gone, it is rebuilt.
    #expect(!FileManager.default.fileExists(atPath: index))
    #expect(measurements(try reportJSON(fixture)).count == 1)
    // The import listed twice does not count twice.
    let rebuilt = try String(contentsOfFile: index, encoding: .utf8)
    try rebuilt.replacingOccurrences(of: imported, with: imported + imported).write(
      toFile: index, atomically: true, encoding: .utf8)
    #expect(measurements(try reportJSON(fixture)).count == 1)
    #expect(!FileManager.default.fileExists(atPath: index))
  }

  /// An insider who can push refs/promptgate/* appends a metrics event signed with a key that
  /// holds no role, claiming the service-manager's role: the audit names it.
  @Test func aForgedImportFailsTheAudit() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    let scratch = fixture.repository.scratch
    let root = try scratch.git("rev-list", "--max-parents=0", "HEAD")
    let head = try scratch.git("rev-parse", "refs/promptgate/ledger")
    let previous = try scratch.git("show", "refs/promptgate/ledger:event.json")
    let sequence =
      (try JSONSerialization.jsonObject(with: Data(previous.utf8)) as? [String: Any])?["sequence"] as? Int
      ?? 0
    let time = ISO8601DateFormatter().string(from: Date())
    let statement: [String: Any] = [
      "file": ["name": "forged.csv", "sha256": String(repeating: "0", count: 64)],
      "kind": "promptgate.metrics/v1",
      "measurements": [
        [
          "environment": "staging", "metric": "csat", "period_end": "2026-12-01T00:00:00Z",
          "period_start": "2026-11-01T00:00:00Z", "source": "made up", "unit": "score", "value": "5",
        ]
      ],
      "principal": "dave@example.com", "repository": root, "role": "service-manager", "signed_at": time,
    ]
    let canonical = try JSONSerialization.data(
      withJSONObject: statement, options: [.sortedKeys, .withoutEscapingSlashes])
    let statementFile = "\(fixture.keys)/statement.json"
    try canonical.write(to: URL(fileURLWithPath: statementFile))
    let signed = try run(
      "/usr/bin/ssh-keygen", ["-Y", "sign", "-n", "promptgate", "-f", fixture.key("dave"), statementFile])
    #expect(signed.status == 0, "\(signed.stderr)")
    let event: [String: Any] = [
      "actor": "dave@example.com", "details": ["statement": statement], "environment": NSNull(),
      "kind": "metrics",
      "release": NSNull(), "repository": root, "sequence": sequence + 1, "time": time,
    ]
    let eventFile = "\(fixture.keys)/event.json"
    try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes])
      .write(to: URL(fileURLWithPath: eventFile))
    let eventBlob = try scratch.git("hash-object", "-w", eventFile)
    let signatureBlob = try scratch.git("hash-object", "-w", statementFile + ".sig")
    let listing = "\(fixture.keys)/tree.txt"
    try "100644 blob \(eventBlob)\tevent.json\n100644 blob \(signatureBlob)\tevent.sig\n".write(
      toFile: listing, atomically: true, encoding: .utf8)
    let tree = try run("/bin/sh", ["-c", "git -C '\(fixture.path)' mktree < '\(listing)'"]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let commit = try scratch.git("commit-tree", tree, "-p", head, "-m", "#\(sequence + 1) metrics: forged")
    _ = try scratch.git("update-ref", "refs/promptgate/ledger", commit, head)
    let audit = try promptgate(fixture, ["audit", "verify"])
    #expect(audit.status == 1)
    #expect(
      audit.stdout.contains("dave@example.com does not hold the role service-manager"), "\(audit.stdout)")
  }
}
