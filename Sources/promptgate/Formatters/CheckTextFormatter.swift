import PromptgateCore

/// `check` for a person: gates grouped by layer, failures with their file, line and fix.
struct CheckTextFormatter {
  let style: Style

  func format(_ report: CheckReport, names: CheckNames) -> String {
    var out =
      style.bold("promptgate check \(names.release)") + style.dim(" (\(report.release.commit.prefix(7)))")
    if let base = report.base, let name = names.base {
      out +=
        " against \(name)"
        + (name == String(base.commit.prefix(7)) ? "" : style.dim(" (\(base.commit.prefix(7)))"))
    }
    out += "\n"
    for note in report.notes {
      out += style.dim(note) + "\n"
    }
    var layer: GateDefinition.Layer?
    let width = report.gates.map(\.id.count).max() ?? 0
    for gate in report.gates {
      if gate.layer != layer {
        layer = gate.layer
        out += "\n" + style.bold(gate.layer.rawValue) + "\n"
      }
      let padding = String(repeating: " ", count: width - gate.id.count + 2)
      out += "  \(symbol(gate, report))  \(gate.id)\(padding)\(style.dim(gate.summary))\n"
      switch gate.status {
      case .pass:
        // Which evidence a release passed with is part of the verdict (SPEC §5).
        guard gate.kind == "evidence" else { continue }
        for diagnostic in gate.diagnostics {
          out += "       " + style.dim(diagnostic.formatted) + "\n"
        }
      case .notApplicable:
        for diagnostic in gate.diagnostics {
          out += "       " + style.dim("not applicable: \(diagnostic.formatted)") + "\n"
        }
      case .fail:
        for diagnostic in gate.diagnostics {
          let line = diagnostic.formatted
          out += "       " + (diagnostic.severity == .note ? style.dim(line) : line) + "\n"
        }
      }
    }
    out += "\n"
    let blocking = report.blockingFailures
    let warnings = report.warnings
    if blocking.isEmpty {
      out += style.green("passed") + ": \(report.gates.filter { $0.status == .pass }.count) gates pass"
      out += warnings.isEmpty ? "" : ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
      out += "\n"
    } else {
      out += style.red("blocked") + ": \(blocking.count) gate\(blocking.count == 1 ? "" : "s") failed: "
      out += blocking.map(\.id).joined(separator: ", ") + "\n"
    }
    return out
  }

  private func symbol(_ gate: GateResult, _ report: CheckReport) -> String {
    switch gate.status {
    case .pass: return style.green("✓")
    case .notApplicable: return style.dim("–")
    case .fail: return report.blockingFailures.contains(gate) ? style.red("✗") : style.yellow("!")
    }
  }
}
