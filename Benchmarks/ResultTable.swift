import Foundation

/// Prints the results as a plain-text table, readable in a terminal and pasteable into
/// Markdown (docs/benchmarks.md keeps a copy).
enum ResultTable {
  static let headers = [
    "case", "files changed", "runs", "promptgate ms", "git ms", "promptgate/git",
    "promptgate RSS MiB", "git RSS MiB", "promptgate CPU ms", "git CPU ms", "git --numstat ms",
  ]

  static func render(_ results: [CaseResult]) -> String {
    let rows = results.map(row)
    var widths = headers.map(\.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      let padded = cells.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        // The case name reads left to right; figures line up on the right.
        return column == 0 ? cell + padding : padding + cell
      }
      return "| " + padded.joined(separator: " | ") + " |"
    }
    // Markdown's alignment row: the name to the left, the figures to the right.
    let rule = widths.enumerated().map { column, width in
      String(repeating: "-", count: column == 0 ? width + 2 : width + 1) + (column == 0 ? "" : ":")
    }
    return ([line(headers), "|" + rule.joined(separator: "|") + "|"] + rows.map(line)).joined(separator: "\n")
  }

  private static func row(_ result: CaseResult) -> [String] {
    let files: String =
      switch (result.promptgateFiles, result.gitFiles) {
      case (let promptgate?, let git?) where promptgate == git: "\(promptgate)"
      case (let promptgate?, let git?): "\(promptgate) (git \(git))"
      default: "-"
      }
    return [
      result.benchmark.name, files, "\(result.benchmark.runs)",
      milliseconds(result.promptgate.medianMilliseconds), milliseconds(result.git.medianMilliseconds),
      String(format: "%.2f×", result.ratio),
      mebibytes(result.promptgate), mebibytes(result.git),
      milliseconds(result.promptgate.medianCPUMilliseconds), milliseconds(result.git.medianCPUMilliseconds),
      result.gitNumstat.map { milliseconds($0.medianMilliseconds) } ?? "-",
    ]
  }

  /// "≤ 16.2" when the run's peak did not rise above what the benchmark could see.
  static func mebibytes(_ measurement: Measurement) -> String {
    (measurement.peakIsFloor ? "≤ " : "") + String(format: "%.1f", measurement.peakRSSMebibytes)
  }

  static func milliseconds(_ value: Double) -> String {
    value < 100 ? String(format: "%.1f", value) : String(format: "%.0f", value)
  }
}
