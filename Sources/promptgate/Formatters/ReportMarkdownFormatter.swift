import PromptgateCore

/// `report --format markdown`: tables for a pull request, a wiki page or a job summary. Ledger
/// text is escaped so a reason cannot break a table or inject a link or HTML.
struct ReportMarkdownFormatter {
  func format(_ report: Report) -> String {
    var out = "# Release report\n\n"
    out += "Covers \(ReportDisplay.range(report)), by \(report.period.rawValue)"
    if let head = report.ledgerHead {
      out += "; from ledger `\(head.prefix(12))` (\(report.ledgerEvents) events)"
    }
    out += ".\n"
    if report.undatedEvents > 0 {
      out += "\n\(report.undatedEvents) event(s) have no readable time and are left out.\n"
    }
    if report.isEmpty {
      return out + "\n" + ReportDisplay.emptyMessage(report).capitalizedFirst + ".\n"
    }
    for environment in report.environments {
      out += "\n## \(escape(environment.name))\n\n"
      guard !environment.timeline.isEmpty else {
        out += "Nothing recorded in this range.\n"
        continue
      }
      out += "| period | releases | overrides | blocked | rollbacks | failed | change failure rate "
      out += "| time to recovery (median / worst) | approval lead time (median / worst) |\n"
      out += "| --- | --: | --: | --: | --: | --: | --: | --: | --: |\n"
      for figures in environment.periods + [environment.total] {
        let label = figures.label == "total" ? "**total**" : figures.label
        out +=
          "| \(label) | \(figures.releases) | \(figures.overrides) | \(figures.blocked) | \(figures.rollbacks) "
        out += "| \(figures.failedReleases) | \(ReportDisplay.rate(figures.changeFailureRate)) "
        out += "| \(durations(figures.timeToRecovery)) | \(durations(figures.approvalLeadTime)) |\n"
      }
      if !environment.total.blockedGates.isEmpty {
        out += "\n### Blocked release attempts, by gate\n\n| gate | attempts blocked |\n| --- | --: |\n"
        for gate in environment.total.blockedGates {
          out += "| `\(code(gate.gate))` | \(gate.count) |\n"
        }
      }
      out += "\n### Compliance exceptions\n\n"
      if environment.exceptions.isEmpty {
        out += "None: every release passed its gates.\n"
      } else {
        out += "| # | time | release | who | overrode | why |\n| --: | --- | --- | --- | --- | --- |\n"
        for exception in environment.exceptions {
          out += "| \(exception.sequence) | \(exception.time) | `\(ReportDisplay.short(exception.release))` "
          out += "| \(escape(exception.actor))\(exception.role.map { " (\(escape($0)))" } ?? "") "
          out +=
            "| \(exception.overridden.isEmpty ? "–" : exception.overridden.map { "`\(code($0))`" }.joined(separator: ", ")) "
          out += "| \(escape(exception.reason)) |\n"
        }
      }
      if !environment.recoveries.isEmpty {
        out += "\n### Rollbacks\n\n| # | time | from | to | recovered in | counted from | incident | why |\n"
        out += "| --: | --- | --- | --- | --: | --- | --- | --- |\n"
        for recovery in environment.recoveries {
          let start = ReportDisplay.countedFrom(recovery)
          out += "| \(recovery.sequence) | \(recovery.time) | `\(ReportDisplay.short(recovery.from))` "
          out +=
            "| `\(ReportDisplay.short(recovery.to))` | \(ReportDisplay.duration(recovery.seconds)) | \(start) "
          out += "| \(recovery.incident.map(escape) ?? "–") | \(escape(recovery.reason)) |\n"
        }
      }
    }
    return out
  }

  private func durations(_ summary: DurationSummary) -> String {
    summary.count == 0
      ? "–" : "\(ReportDisplay.median(summary)) / \(ReportDisplay.duration(summary.worstSeconds))"
  }

  /// Markdown's active characters escaped, HTML as entities, one line.
  private func escape(_ text: String) -> String {
    var out = ""
    for character in ReportDisplay.printable(text) {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\\", "`", "*", "_", "[", "]", "|", "#", "!", "(", ")", "~": out += "\\\(character)"
      default: out.append(character)
      }
    }
    return out
  }

  /// Text for inside a code span: no backticks or pipes can close it or the table.
  private func code(_ text: String) -> String {
    ReportDisplay.printable(text).replacingOccurrences(of: "`", with: "'").replacingOccurrences(
      of: "|", with: "\\|")
  }
}

extension String {
  fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
