import PromptgateCore

/// `check --format markdown`: a verdict, a table of gates and the failures, for pull requests
/// and job summaries.
struct CheckMarkdownFormatter {
  func format(_ report: CheckReport, names: CheckNames) -> String {
    let verdict = report.passed ? "✅ passed" : "⛔ blocked"
    var out = "## promptgate check `\(names.release)`: \(verdict)\n\n"
    out += "Release `\(report.release.commit.prefix(7))`"
    if let base = report.base { out += ", base `\(base.commit.prefix(7))`" }
    out += ". " + report.notes.joined(separator: " ") + "\n\n"
    out += "| | Gate | Layer | Result |\n| --- | --- | --- | --- |\n"
    for gate in report.gates {
      let (mark, result) =
        switch gate.status {
        case .pass: ("✅", "pass")
        case .notApplicable: ("➖", "not applicable")
        case .fail: report.blockingFailures.contains(gate) ? ("❌", "**fail**") : ("⚠️", "warning")
        }
      out += "| \(mark) | `\(gate.id)` | \(gate.layer.rawValue) | \(result) |\n"
    }
    for gate in report.gates where gate.status == .fail {
      out += "\n### `\(gate.id)`: \(gate.summary)\n\n"
      for diagnostic in gate.diagnostics {
        out += "- \(escape(diagnostic.formatted))\n"
      }
    }
    return out
  }

  private func escape(_ text: String) -> String {
    text.replacingLiteral("|", with: "\\|").replacingLiteral("<", with: "&lt;")
  }
}
