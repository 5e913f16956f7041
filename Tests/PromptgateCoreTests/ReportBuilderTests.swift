import PromptgateCore
import Testing

/// ``ReportBuilder`` on events in hand: the rules a reader checks a figure by.
@Suite struct ReportBuilderTests {
  private func event(
    _ kind: LedgerEvent.Kind, _ sequence: Int, _ time: String, _ commit: String,
    details: [String: JSONValue] = [:]
  ) -> LedgerEvent {
    LedgerEvent(
      kind: kind, sequence: sequence, time: time, actor: "omar", environment: "production",
      release: LedgerEvent.Release(commit: commit, tree: "tree-" + commit), repository: "root",
      details: details)
  }

  private func from(_ commit: String) -> JSONValue {
    .object(["commit": .string(commit), "tree": .string("tree-" + commit)])
  }

  @Test func aReleaseFailsOnlyForWhatHappensAfterIt() throws {
    // A released, rolled back from, then forced back in by an override that stays good.
    let events = [
      event(.release, 1, "2026-10-01T10:00:00Z", "a"),
      event(.release, 2, "2026-10-02T10:00:00Z", "b"),
      event(.rollback, 3, "2026-10-02T11:00:00Z", "a", details: ["from": from("b"), "reason": .string("x")]),
      event(.override, 4, "2026-10-03T10:00:00Z", "b", details: ["reason": .string("forced")]),
      // A rollback from a release the ledger never saw deployed: its start is unknown.
      event(.rollback, 5, "2026-10-04T10:00:00Z", "a", details: ["from": from("z"), "reason": .string("y")]),
    ]
    let report = ReportBuilder.build(
      environments: [("production", events)], approvals: [:], options: ReportOptions())
    let production = try #require(report.environments.first)
    #expect(production.total.releases == 3)
    #expect(production.total.overrides == 1)
    #expect(production.total.failedReleases == 1)
    #expect(production.timeline.filter(\.failed).map(\.sequence) == [2])
    #expect(production.recoveries.map(\.startSource) == [.deploy, .unknown])
    #expect(production.recoveries.map(\.seconds) == [3_600, nil])
    #expect(production.total.timeToRecovery.count == 1)
    #expect(production.exceptions.map(\.reason) == ["forced"])
  }

  @Test func leadTimeCountsTheFirstApprovalBeforeTheReleaseInItsEnvironment() throws {
    func approval(_ sequence: Int, _ time: String, _ environment: String) -> LedgerEvent {
      LedgerEvent(
        kind: .approval, sequence: sequence, time: time, actor: "alice", environment: environment,
        release: LedgerEvent.Release(commit: "a", tree: "tree-a"), repository: "root")
    }
    let approvals = [
      "tree-a": [
        approval(1, "2026-10-01T00:00:00Z", "staging"), approval(2, "2026-10-01T06:00:00Z", "production"),
        approval(3, "2026-10-01T08:00:00Z", "production"),
        // After the release: not part of its lead time.
        approval(5, "2026-10-01T11:00:00Z", "production"),
      ]
    ]
    let report = ReportBuilder.build(
      environments: [("production", [event(.release, 4, "2026-10-01T10:00:00Z", "a")])], approvals: approvals,
      options: ReportOptions())
    // From the first production approval (06:00), not staging's or the one after the release.
    let lead = try #require(report.environments.first?.total.approvalLeadTime.medianSeconds)
    #expect(lead == 14_400)
  }

  @Test func unreadableAndHostileTimesNeitherCrashNorFloodThePeriods() throws {
    let events = [
      event(.release, 1, "0001-01-01T00:00:00Z", "a"),
      event(.release, 2, "yesterday", "b"),
      event(.release, 3, "9999-12-31T23:59:59Z", "c"),
    ]
    let report = ReportBuilder.build(
      environments: [("production", events)], approvals: [:], options: ReportOptions(period: .week))
    #expect(report.undatedEvents == 1)
    #expect(report.environments.first?.periods.map(\.label) == ["0001-W01", "9999-W52"])
    #expect(report.environments.first?.total.releases == 2)
  }
}
