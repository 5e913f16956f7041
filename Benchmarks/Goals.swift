import Foundation

/// SPEC §8's goals as issue 16 restates them (and issue 14's for a 1 MiB prose prompt), each measured in this run and printed against its
/// goal: `make bench` answers "is it met?" without arithmetic.
enum Goals {
  /// What one goal compares.
  enum Measure {
    /// promptgate's median wall time over `git diff --numstat -M`'s on the same commits, the same
    /// reading work.
    case ratioToNumstat(Double)
    /// promptgate's median wall time, in ms.
    case milliseconds(Double)
    /// promptgate's peak RSS, in MiB: under this.
    case peakMebibytes(Double)
    /// A diff's median wall time, start-up included, in ms: under this (issue 14).
    case diffMilliseconds(Double)
  }

  static let all: [(name: String, measure: Measure)] = [
    ("100 files, 20k repo", .ratioToNumstat(1.5)),
    ("100 files, 2k repo", .ratioToNumstat(1.5)),
    ("1 file, 2k repo", .ratioToNumstat(2)),
    ("start-up only (--version)", .milliseconds(4)),
    ("check, 100 files, 20k repo", .ratioToNumstat(2)),
    ("first to last commit, 20k repo", .peakMebibytes(64)),
    (ProseBenchmark.rewrittenCase, .diffMilliseconds(100)),
  ]

  /// One row per goal: the case, what was measured, the goal, met or not; then how many were met.
  static func render(_ results: [CaseResult]) -> String {
    let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.benchmark.name, $0) })
    var rows: [[String]] = []
    var met = 0
    for (name, measure) in all {
      guard let result = byName[name] else { continue }
      let promptgate = result.promptgate.medianMilliseconds
      let measured: String
      let goal: String
      let holds: Bool
      switch measure {
      case .ratioToNumstat(let limit):
        guard let numstat = result.gitNumstat?.medianMilliseconds else { continue }
        let ratio = promptgate / max(numstat, 0.001)
        measured = String(format: "%.2f× (%.1f / %.1f ms)", ratio, promptgate, numstat)
        goal = String(format: "≤ %.1f× git diff --numstat -M", limit)
        holds = ratio <= limit
      case .milliseconds(let limit):
        measured = String(
          format: "%.1f ms (git --version %.1f ms)", promptgate, result.git.medianMilliseconds)
        goal = String(format: "≤ %.0f ms", limit)
        holds = promptgate <= limit
      case .peakMebibytes(let limit):
        let peak = result.promptgate.peakRSSMebibytes
        measured = (result.promptgate.peakIsFloor ? "≤ " : "") + String(format: "%.1f MiB peak RSS", peak)
        goal = String(format: "< %.0f MiB", limit)
        holds = peak < limit
      case .diffMilliseconds(let limit):
        measured = String(
          format: "%.1f ms (CPU %.1f ms; git diff --numstat -M %.1f ms)", promptgate,
          result.promptgate.medianCPUMilliseconds, result.gitNumstat?.medianMilliseconds ?? 0)
        goal = String(format: "< %.0f ms", limit)
        holds = promptgate < limit
      }
      if holds { met += 1 }
      rows.append([name, measured, goal, holds ? "met" : "MISSED"])
    }
    let headers = ["goal (SPEC §8, issue 16)", "promptgate measured", "goal", "verdict"]
    var widths = headers.map(\.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      "| "
        + cells.enumerated().map { column, cell in
          cell + String(repeating: " ", count: widths[column] - cell.count)
        }.joined(separator: " | ") + " |"
    }
    let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
    return ([line(headers), rule] + rows.map(line) + ["\(met) of \(rows.count) goals met."])
      .joined(separator: "\n")
  }
}
