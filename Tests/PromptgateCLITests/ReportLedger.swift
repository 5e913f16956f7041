import Foundation
import PromptgateCore
import TestSupport

/// A ledger written through PromptgateCore with chosen times, so every figure of a report can
/// be worked out by hand. The commits and trees are made up: a report reads only the ledger.
///
/// production, by month:
/// - 2026-10: blocked C1 (checkpoints-approved, no-secrets); C1 released 3h after its first
///   production approval; C2 released 1h after its approval and rolled back from 30m later;
///   C3 released by override (past checkpoints-approved, a `<script>` reason); blocked C4 (checkpoints-approved).
///   Releases 3, overrides 1, blocked 2, rollbacks 1, failed 1 (C2), recovery 30m, lead 3h & 1h.
/// - 2026-11: C4 released, rolled back a day later with an incident that began 2h before the
///   rollback (recovery 2h, not 24h); C5 released and marked bad; C6 released.
///   Releases 3, failed 2 (C4, C5), rollbacks 1, marked bad 1, recovery 2h.
/// staging: C1 released 2026-10-01T10:00Z, approved for staging at 08:00 (lead 2h); that
/// approval must not count for production.
struct ReportLedger {
  let scratch: ScratchRepository
  var path: String { scratch.path }

  static func commit(_ name: String) -> LedgerEvent.Release {
    let digit = String(name.last ?? "0")
    return LedgerEvent.Release(
      commit: String(repeating: digit, count: 39) + "c", tree: String(repeating: digit, count: 39) + "t")
  }

  /// A reason that would clear a terminal printed as is.
  static let rollbackReason = "errors\u{1B}[2J"
  static let overrideReason = "<script>alert(1)</script> hotfix for \"billing\" | now"

  init() throws {
    scratch = try ScratchRepository()
    try scratch.write("README", "report fixture\n")
    try scratch.commit("root")
    let ledger = Ledger(try RepositoryLookup.open(at: scratch.path))
    let release = LedgerEvent.Kind.release
    let events: [(LedgerEvent.Kind, String, String, String, [String: JSONValue])] = [
      (.approval, "2026-10-01T08:00:00Z", "staging", "C1", [:]),
      (release, "2026-10-01T10:00:00Z", "staging", "C1", [:]),
      (.approval, "2026-10-05T09:00:00Z", "production", "C1", [:]),
      (
        .blocked, "2026-10-05T10:00:00Z", "production", "C1",
        ["failed": .array([.string("checkpoints-approved"), .string("no-secrets")])]
      ),
      (release, "2026-10-05T12:00:00Z", "production", "C1", [:]),
      (.approval, "2026-10-12T10:00:00Z", "production", "C2", [:]),
      (.approval, "2026-10-12T10:30:00Z", "production", "C2", [:]),
      (release, "2026-10-12T11:00:00Z", "production", "C2", [:]),
      (
        .rollback, "2026-10-12T11:30:00Z", "production", "C1",
        ["from": Self.json("C2"), "reason": .string(Self.rollbackReason)]
      ),
      (
        .override, "2026-10-20T08:00:00Z", "production", "C3",
        [
          "statement": .object(["reason": .string(Self.overrideReason), "role": .string("service-manager")]),
          "failed": .array([.string("checkpoints-approved")]),
        ]
      ),
      (
        .blocked, "2026-10-20T09:00:00Z", "production", "C4",
        ["failed": .array([.string("checkpoints-approved")])]
      ),
      (release, "2026-11-02T10:00:00Z", "production", "C4", [:]),
      (
        .rollback, "2026-11-03T10:00:00Z", "production", "C3",
        [
          "from": Self.json("C4"), "reason": .string("wrong prices"), "incident": .string("INC-7"),
          "incident_start": .string("2026-11-03T08:00:00Z"),
        ]
      ),
      (release, "2026-11-10T10:00:00Z", "production", "C5", [:]),
      (.markBad, "2026-11-11T10:00:00Z", "production", "C5", ["reason": .string("leaks")]),
      (release, "2026-11-20T10:00:00Z", "production", "C6", [:]),
    ]
    for (kind, time, environment, name, details) in events {
      let actor = kind == .override ? "Sam <sam@example.com>" : "Omar <omar@example.com>"
      try ledger.append(independent: false) { slot in
        (
          LedgerEvent(
            kind: kind, sequence: slot.sequence, time: time, actor: actor, environment: environment,
            release: Self.commit(name), repository: "root", details: details),
          nil
        )
      }
    }
  }

  private static func json(_ name: String) -> JSONValue {
    let release = commit(name)
    return .object(["commit": .string(release.commit), "tree": .string(release.tree)])
  }

  /// `promptgate report` here, with `arguments`.
  func report(_ arguments: [String]) throws -> ProcessResult {
    try CLI.run(["-C", path, "report", "--no-color"] + arguments)
  }

  /// `report --format json`, decoded.
  func json(_ arguments: [String] = []) throws -> [String: Any] {
    let result = try report(arguments + ["--format", "json"])
    guard result.status == 0,
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    else { throw CLIFailure(result: result) }
    return object
  }
}

extension [String: Any] {
  /// The report's environment `name`.
  func environment(_ name: String) -> [String: Any]? {
    (self["environments"] as? [[String: Any]])?.first { $0["name"] as? String == name }
  }

  /// The period labelled `label` of an environment, or its total.
  func period(_ label: String) -> [String: Any]? {
    if label == "total" { return self["total"] as? [String: Any] }
    return (self["periods"] as? [[String: Any]])?.first { $0["label"] as? String == label }
  }

  func int(_ key: String) -> Int? { self[key] as? Int }

  /// A duration summary's member: `count`, `median_seconds` or `worst_seconds`.
  func duration(_ key: String, _ member: String) -> Int? { (self[key] as? [String: Any])?[member] as? Int }
}
