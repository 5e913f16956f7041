import PromptgateCore

/// `report --format markdown`: tables for a pull request, a wiki page or a job summary. Ledger
/// text is escaped so a reason cannot break a table or inject a link or HTML.
struct ReportMarkdownFormatter {
  func format(_ report: Report) -> String {
    var out =
      "# " + (ReportDisplay.service(report).map { "Service report: \(escape($0))" } ?? "Release report")
      + "\n\n"
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
    if let summary = report.summary { out += "\n**In short:** \(summary.sentence).\n" }
    for environment in report.environments {
      out += "\n## \(escape(environment.name))\n\n"
      if !environment.measurements.isEmpty {
        out +=
          "### Measurements against the SLOs\n\n| period | metric | value | target | verdict | source |\n"
        out += "| --- | --- | --: | --: | --- | --- |\n"
        for result in environment.measurements {
          let verdict = result.met.map { $0 ? "met" : "**breached**" } ?? "–"
          let superseded =
            result.superseded.isEmpty
            ? ""
            : " (supersedes "
              + result.superseded.map {
                "\(ReportDisplay.measure($0.value, unit: result.unit)) of #\($0.sequence)"
              }
              .joined(separator: ", ") + ")"
          out +=
            "| \(result.period) | `\(code(result.metric))` | \(escape(ReportDisplay.measure(result.value, unit: result.unit))) "
          out +=
            "| \(escape(ReportDisplay.target(result))) | \(verdict) | \(escape(result.source)) #\(result.sequence)\(escape(superseded)) |\n"
        }
        out += "\n"
      }
      guard !environment.timeline.isEmpty else {
        if environment.measurements.isEmpty { out += "Nothing recorded in this range.\n" }
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
      if let share = ReportDisplay.evidenceShare(environment.total.evidence) {
        out += "\nShipped with full evidence: \(share) of the releases that required it.\n"
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
        let target = environment.maxRecoveryMinutes.map { " (target: \($0)m, `max_recovery_minutes`)" } ?? ""
        out +=
          "\n### Rollbacks\(target)\n\n| # | time | from | to | recovered in | counted from | target | incident | why |\n"
        out += "| --: | --- | --- | --- | --: | --- | --- | --- | --- |\n"
        for recovery in environment.recoveries {
          let start = ReportDisplay.countedFrom(recovery)
          out += "| \(recovery.sequence) | \(recovery.time) | `\(ReportDisplay.short(recovery.from))` "
          out +=
            "| `\(ReportDisplay.short(recovery.to))` | \(ReportDisplay.duration(recovery.seconds)) | \(start) "
          out += "| \(recovery.overTarget.map { $0 ? "**over**" : "within" } ?? "–") "
          out += "| \(recovery.incident.map(escape) ?? "–") | \(escape(recovery.reason)) |\n"
        }
      }
      if !environment.incidents.isEmpty {
        out +=
          "\n### Incidents\n\n| incident | started | recovered | answered by |\n| --- | --- | --- | --- |\n"
        for incident in environment.incidents {
          let started =
            (incident.startedAt ?? "unknown")
            + (incident.startSource == .incidentStart
              ? "" : " (bad release's deploy; no incident start given)")
          let answer =
            incident.answeredBy.map { "#\($0.sequence) `\(ReportDisplay.short($0.release))` (\($0.time))" }
            ?? "**open**"
          out += "| \(escape(incident.id ?? "rollback #\(incident.rollback)")) | \(escape(started)) "
          out += "| \(incident.recoveredAt) (#\(incident.rollback)) | \(answer) |\n"
        }
      }
    }
    if let reviews = report.reviews, !reviews.periods.isEmpty {
      out += "\n## Service reviews (\(reviews.cadence.rawValue))\n\n| period | status | review | actions |\n"
      out += "| --- | --- | --- | --- |\n"
      for period in reviews.periods {
        switch period.status {
        case .held:
          for review in period.reviews {
            out +=
              "| \(period.period) | held (#\(review.sequence), \(escape(review.actor))) | \(escape(review.summary)) "
            out +=
              "| \(review.actions.isEmpty ? "–" : review.actions.map(escape).joined(separator: "; ")) |\n"
          }
        case .missed: out += "| \(period.period) | **missed** (due by \(period.due)) | – | – |\n"
        case .due: out += "| \(period.period) | due by \(period.due) | – | – |\n"
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
  func escape(_ text: String) -> String {
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
    ReportDisplay.printable(text).replacingLiteral("`", with: "'").replacingLiteral(
      "|", with: "\\|")
  }
}

extension String {
  fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
