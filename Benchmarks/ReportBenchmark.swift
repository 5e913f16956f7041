import Foundation
import PromptgateCore

// `promptgate report` reads every event of the environments it reports on (SPEC §8 asks for
// bounded cost and memory): this times it on a ledger of 20,000 events spread over a year, two
// environments, with every kind of event a report counts, and a month's measurements imported
// and a service review held at the start of each month.

/// Builds a year-long 20,000-event ledger with `git fast-import` and times `report` on it.
struct ReportBenchmark {
  let promptgate: String
  let git: String
  let folder: URL
  let environment: [String: String]

  static let events = 20_000
  /// Bump when the generated ledger changes, so an older one is rebuilt.
  static let version = "2"

  func run(runs: Int) throws(BenchError) -> [LedgerBenchmark.Row] {
    let repository = folder.appendingPathComponent("report-\(Self.events)")
    try makeRepository(repository)
    let scratch = folder.appendingPathComponent("scratch")
    let base = ["-C", repository.path, "report"]
    // The first command after a clone builds the ledger index under .git/promptgate.
    try? FileManager.default.removeItem(at: repository.appendingPathComponent(".git/promptgate"))
    var rows = [
      try time("report --format json, first run (builds the index)", base + ["--format", "json"], runs: 1)
    ]
    for (name, arguments) in [
      ("report (text, by month)", base),
      ("report --format json", base + ["--format", "json"]),
      ("report --format html", base + ["--format", "html"]),
      ("report --period week --format html", base + ["--period", "week", "--format", "html"]),
      (
        "report --env production --since 2026-06-01 --until 2026-06-30",
        base + ["--env", "production"]
          + ["--since", "2026-06-01", "--until", "2026-06-30"]
      ),
    ] {
      rows.append(try time(name, arguments, runs: runs))
    }
    // The figures must be the ledger's: 20,000 events, all in range.
    let json = try ChildProcess.output(
      promptgate, base + ["--format", "json"], environment: environment, scratch: scratch)
    guard json.contains("\"ledger_events\":\(Self.events)") else {
      throw .unexpectedOutput("report --format json did not count \(Self.events) events")
    }
    // And the year's measurements: eight for each month that ended.
    guard json.contains("\"measurements_in_range\":"), !json.contains("\"measurements_in_range\":0,")
    else {
      throw .unexpectedOutput("report --format json did not find the imported measurements")
    }
    return rows
  }

  private func time(_ name: String, _ arguments: [String], runs: Int) throws(BenchError)
    -> LedgerBenchmark.Row
  {
    var durations: [Double] = []
    var peak = 0.0
    let scratch = folder.appendingPathComponent("scratch")
    let err = scratch.appendingPathComponent("stderr.txt").path
    for _ in 0..<runs {
      let result = try ChildProcess.run(promptgate, arguments, environment: environment, stderr: err)
      try ChildProcess.requireSuccess(result, promptgate, arguments, stderrPath: err)
      let parts = result.wallTime.components
      durations.append(Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15)
      peak = max(peak, Double(result.peakRSSBytes) / 1_048_576)
    }
    durations.sort()
    return LedgerBenchmark.Row(
      name: name, events: Self.events, milliseconds: durations[durations.count / 2], peakMiB: peak)
  }

  /// A repository whose ledger tells a year of two environments, from a fixed seed: approvals,
  /// releases, blocked attempts naming their gates, overrides, rollbacks (some with an incident
  /// start) and marks, one every 26 minutes or so.
  private func makeRepository(_ repository: URL) throws(BenchError) {
    let marker = repository.appendingPathComponent(".git/bench-report-ready")
    if (try? String(contentsOf: marker, encoding: .utf8)) == Self.version { return }
    let scratch = folder.appendingPathComponent("scratch")
    try? FileManager.default.removeItem(at: repository)
    do {
      try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(repository.path, error.localizedDescription)
    }
    _ = try ChildProcess.output(
      git, ["-C", repository.path, "init", "-q", "-b", "main"], environment: environment, scratch: scratch)
    var random = SeededRandom(seed: 20_000)
    func hex() -> String {
      (0..<40).map { _ in String("0123456789abcdef".randomElement(using: &random)!) }.joined()
    }
    let gates = ["checkpoints-approved", "no-secrets", "prompt-version-bumped", "slo-declared"]
    var deployed: [String: [LedgerEvent.Release]] = ["staging": [], "production": []]
    var approved: [String: LedgerEvent.Release] = [:]
    var time = Timestamp.seconds(day: "2026-01-01")!
    var stream = ""
    var month = ReportPeriod.month.bucket(containing: time)
    var improvement: [LedgerEvent] = []
    for sequence in 1...Self.events {
      time += Int64.random(in: 60...3_060, using: &random)
      // A new month: last month's measurements come in, then its review.
      if time >= month.end, improvement.isEmpty {
        let measured = Timestamp.rfc3339(month.start)
        let ended = Timestamp.rfc3339(month.end)
        let measurements = ["staging", "production"].flatMap { environment in
          [
            ("resolution_rate", Double.random(in: 0.8...0.95, using: &random), "ratio"),
            ("csat", Double.random(in: 3.8...4.8, using: &random), "score"),
            ("latency_p95_ms", Double.random(in: 1800...2900, using: &random).rounded(), "ms"),
            ("error_rate", Double.random(in: 0.005...0.03, using: &random), "ratio"),
          ].map { metric, value, unit in
            JSONValue.object([
              "environment": .string(environment), "metric": .string(metric), "period_end": .string(ended),
              "period_start": .string(measured), "source": .string("bench"), "unit": .string(unit),
              "value": .string(String(format: "%.4f", value)),
            ])
          }
        }
        let signer: [String: JSONValue] = [
          "principal": .string("sam@example.com"), "repository": .string("bench"),
          "role": .string("service-manager"),
          "signed_at": .string(Timestamp.rfc3339(time)),
        ]
        improvement = [
          LedgerEvent(
            kind: .metrics, sequence: 0, time: "", actor: "sam@example.com", environment: nil, release: nil,
            repository: "bench",
            details: [
              "statement": .object(
                signer.merging([
                  "kind": .string("promptgate.metrics/v1"),
                  "file": .object(["name": .string("month.csv"), "sha256": .string(hex() + hex().prefix(24))]
                  ),
                  "measurements": .array(measurements),
                ]) { first, _ in first })
            ]),
          LedgerEvent(
            kind: .review, sequence: 0, time: "", actor: "sam@example.com", environment: nil, release: nil,
            repository: "bench",
            details: [
              "statement": .object(
                signer.merging([
                  "kind": .string("promptgate.review/v1"), "period": .string(month.label),
                  "summary": .string("Figures reviewed with the client"),
                  "actions": .array([.string("Keep going")]),
                ]) { first, _ in first })
            ]),
        ]
        month = ReportPeriod.month.next(after: month)
      }
      if !improvement.isEmpty {
        let draft = improvement.removeFirst()
        let event = LedgerEvent(
          kind: draft.kind, sequence: sequence, time: Timestamp.rfc3339(time), actor: draft.actor,
          environment: nil,
          release: nil, repository: "bench", details: draft.details)
        let json = event.json.canonicalString
        stream += "commit refs/promptgate/ledger\ncommitter Bench <bench@example.com> \(time) +0000\n"
        stream += "data \(event.summary.utf8.count + 1)\n\(event.summary)\n"
        stream += "deleteall\nM 100644 inline event.json\ndata \(json.utf8.count)\n\(json)\n\n"
        continue
      }
      let name = random.chance(0.5) ? "staging" : "production"
      let roll = Double.random(in: 0..<1, using: &random)
      var kind = LedgerEvent.Kind.release
      var release = LedgerEvent.Release(commit: hex(), tree: hex())
      var details: [String: JSONValue] = [:]
      let history = deployed[name]!
      if roll < 0.3 {
        kind = .approval
        approved[name] = release
      } else if roll < 0.45 {
        kind = .blocked
        details["failed"] = .array(
          (0..<Int.random(in: 1...2, using: &random)).map { _ in .string(random.pick(gates)) })
      } else if roll < 0.52, history.count >= 2 {
        kind = .rollback
        release = history[history.count - 2]
        let from = history[history.count - 1]
        details["from"] = .object(["commit": .string(from.commit), "tree": .string(from.tree)])
        details["reason"] = .string("error rate above the SLO")
        if random.chance(0.5) {
          details["incident_start"] = .string(
            Timestamp.rfc3339(time - Int64.random(in: 300...7_200, using: &random)))
        }
        deployed[name]!.removeLast()
      } else if roll < 0.55 {
        kind = .override
        details["reason"] = .string("customer escalation, fix needed before the review")
        deployed[name]!.append(release)
      } else if roll < 0.58, let last = history.last {
        kind = .markBad
        release = last
        details["reason"] = .string("found by the weekly review")
      } else {
        if let approval = approved.removeValue(forKey: name) { release = approval }
        deployed[name]!.append(release)
      }
      let event = LedgerEvent(
        kind: kind, sequence: sequence, time: Timestamp.rfc3339(time), actor: "Omar <omar@example.com>",
        environment: name, release: release, repository: "bench", details: details)
      let json = event.json.canonicalString
      stream += "commit refs/promptgate/ledger\ncommitter Bench <bench@example.com> \(time) +0000\n"
      stream += "data \(event.summary.utf8.count + 1)\n\(event.summary)\n"
      stream += "deleteall\nM 100644 inline event.json\ndata \(json.utf8.count)\n\(json)\n\n"
    }
    let input = scratch.appendingPathComponent("report-ledger.fast-import")
    do {
      try stream.write(to: input, atomically: true, encoding: .utf8)
    } catch {
      throw .cannotWrite(input.path, error.localizedDescription)
    }
    let err = scratch.appendingPathComponent("stderr.txt").path
    let arguments = ["-C", repository.path, "fast-import", "--quiet"]
    let result = try ChildProcess.run(
      git, arguments, environment: environment, stdin: input.path, stderr: err)
    try ChildProcess.requireSuccess(result, git, arguments, stderrPath: err)
    do {
      try Self.version.write(to: marker, atomically: true, encoding: .utf8)
    } catch {
      throw .cannotWrite(marker.path, error.localizedDescription)
    }
  }
}
