import PromptgateCore

/// `report --format text`: a table of periods per environment, then what blocked releases, the
/// exceptions and the rollbacks behind the figures.
struct ReportTextFormatter {
  let style: Style

  func format(_ report: Report) -> String {
    var out =
      style.bold("promptgate report") + ": \(ReportDisplay.range(report)), by \(report.period.rawValue)"
    if let head = report.ledgerHead {
      out += "; ledger \(head.prefix(7)) (\(report.ledgerEvents) events)"
    }
    out += "\n"
    if report.undatedEvents > 0 {
      out +=
        "\(report.undatedEvents) event(s) have no readable time and are left out; run promptgate audit verify\n"
    }
    if report.isEmpty {
      return out + ReportDisplay.emptyMessage(report) + "\n"
    }
    for environment in report.environments {
      out += "\n" + style.bold(ReportDisplay.printable(environment.name)) + "\n"
      guard !environment.timeline.isEmpty else {
        out += "  nothing recorded in this range\n"
        continue
      }
      var rows = [
        [
          "period", "releases", "overrides", "blocked", "rollbacks", "failed", "failure rate",
          "recovery median",
          "recovery worst", "approval lead median",
        ]
      ]
      for figures in environment.periods + [environment.total] {
        rows.append([
          figures.label, "\(figures.releases)", "\(figures.overrides)", "\(figures.blocked)",
          "\(figures.rollbacks)",
          "\(figures.failedReleases)", ReportDisplay.rate(figures.changeFailureRate),
          ReportDisplay.median(figures.timeToRecovery),
          ReportDisplay.duration(figures.timeToRecovery.worstSeconds),
          ReportDisplay.median(figures.approvalLeadTime),
        ])
      }
      out += table(rows)
      if environment.total.evidence.required > 0 {
        let share = environment.total.evidence
        out +=
          "  evidence: \(share.complete) of the \(share.required) releases that required evidence shipped with all of "
        out += "it (\(ReportDisplay.rate(Double(share.complete) / Double(share.required))))\n"
      }
      if !environment.total.blockedGates.isEmpty {
        out += "  blocked by: "
        out +=
          environment.total.blockedGates.map { "\(ReportDisplay.printable($0.gate)) ×\($0.count)" }
          .joined(separator: ", ") + "\n"
      }
      if !environment.exceptions.isEmpty {
        out += "  compliance exceptions (overrides):\n"
        for exception in environment.exceptions {
          out += "    #\(exception.sequence)  \(exception.time)  \(ReportDisplay.short(exception.release))  "
          out += ReportDisplay.printable(exception.actor)
          if let role = exception.role { out += " (\(ReportDisplay.printable(role)))" }
          if !exception.overridden.isEmpty {
            out += "  overrode: \(ReportDisplay.printable(exception.overridden.joined(separator: ", ")))"
          }
          out += "  why: \(ReportDisplay.printable(exception.reason))\n"
        }
      }
      if !environment.recoveries.isEmpty {
        out += "  rollbacks:\n"
        for recovery in environment.recoveries {
          out += "    #\(recovery.sequence)  \(recovery.time)  \(ReportDisplay.short(recovery.from)) → "
          out +=
            "\(ReportDisplay.short(recovery.to))  recovered in \(ReportDisplay.duration(recovery.seconds))"
          switch recovery.startSource {
          case .incidentStart: out += " (from incident start \(recovery.startedAt ?? ""))"
          case .deploy: out += " (from its deploy)"
          case .unknown: out += " (its deploy is not in the ledger)"
          }
          if let incident = recovery.incident { out += "  \(ReportDisplay.printable(incident))" }
          out += "  why: \(ReportDisplay.printable(recovery.reason))\n"
        }
      }
    }
    return out
  }

  /// Columns padded to their widest cell; the first left-aligned, the figures right-aligned.
  private func table(_ rows: [[String]]) -> String {
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    var out = ""
    for (index, row) in rows.enumerated() {
      var line = "  "
      for (column, cell) in row.enumerated() {
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        line += column == 0 ? cell + padding : "  " + padding + cell
      }
      out += (index == 0 ? style.dim(line) : line) + "\n"
    }
    return out
  }
}
