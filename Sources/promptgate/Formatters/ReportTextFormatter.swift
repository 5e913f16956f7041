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
    if let service = ReportDisplay.service(report) { out += "service \(service)\n" }
    if let summary = report.summary, !report.isEmpty { out += "in short: \(summary.sentence)\n" }
    if report.undatedEvents > 0 {
      out +=
        "\(report.undatedEvents) event(s) have no readable time and are left out; run promptgate audit verify\n"
    }
    if report.isEmpty {
      return out + ReportDisplay.emptyMessage(report) + "\n"
    }
    for environment in report.environments {
      out += "\n" + style.bold(ReportDisplay.printable(environment.name)) + "\n"
      out += measurements(environment)
      if !environment.measurements.isEmpty, !environment.timeline.isEmpty { out += "\n" }
      guard !environment.timeline.isEmpty else {
        if environment.measurements.isEmpty { out += "  nothing recorded in this range\n" }
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
      if let share = ReportDisplay.evidenceShare(environment.total.evidence) {
        out += "  shipped with full evidence: \(share) of the releases that required it\n"
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
          out += "\(ReportDisplay.short(recovery.to))  recovered in \(ReportDisplay.recovery(recovery))"
          if let verdict = ReportDisplay.recoveryTarget(recovery) {
            out += "  " + (recovery.overTarget == true ? style.red(verdict) : verdict)
          }
          if let incident = recovery.incident { out += "  \(ReportDisplay.printable(incident))" }
          out += "  why: \(ReportDisplay.printable(recovery.reason))\n"
        }
      }
      out += incidents(environment)
    }
    out += reviews(report)
    return out
  }

  private func measurements(_ environment: EnvironmentReport) -> String {
    guard !environment.measurements.isEmpty else { return "" }
    var rows = [["period", "metric", "value", "target", "", "source"]]
    for result in environment.measurements {
      let verdict = result.met.map { $0 ? "met" : "BREACHED" } ?? ""
      var source = "\(ReportDisplay.printable(result.source)) #\(result.sequence)"
      if !result.superseded.isEmpty {
        source +=
          " (supersedes "
          + result.superseded.map {
            "\(ReportDisplay.measure($0.value, unit: result.unit)) of #\($0.sequence)"
          }
          .joined(separator: ", ") + ")"
      }
      rows.append([
        result.period, ReportDisplay.printable(result.metric),
        ReportDisplay.measure(result.value, unit: result.unit),
        ReportDisplay.target(result), verdict, source,
      ])
    }
    var text = "  measurements against reliability.slo:\n" + table(rows, leftAligned: [0, 1, 4, 5])
    text = text.replacingLiteral("BREACHED", with: style.red("BREACHED"))
    return text
  }

  private func incidents(_ environment: EnvironmentReport) -> String {
    guard !environment.incidents.isEmpty else { return "" }
    var out = "  incidents:\n"
    for incident in environment.incidents {
      out += "    \(ReportDisplay.printable(incident.id ?? "rollback #\(incident.rollback)"))  "
      out += "started \(incident.startedAt ?? "unknown")"
      out +=
        incident.startSource == .incidentStart ? "" : " (no incident start given: the bad release's deploy)"
      out += ", recovered \(incident.recoveredAt) by rollback #\(incident.rollback)"
      if let answer = incident.answeredBy {
        out += ", answered by #\(answer.sequence) \(ReportDisplay.short(answer.release)) (\(answer.time))\n"
      } else {
        out += ", " + style.yellow("open") + ": no release has answered it yet\n"
      }
    }
    return out
  }

  private func reviews(_ report: Report) -> String {
    guard let reviews = report.reviews, !reviews.periods.isEmpty else { return "" }
    var out =
      "\n" + style.bold("service reviews")
      + " (\(reviews.cadence.rawValue), each due by the end of the next period)\n"
    for period in reviews.periods {
      switch period.status {
      case .held:
        for review in period.reviews {
          out +=
            "  \(period.period)  held #\(review.sequence) \(review.time) by \(ReportDisplay.printable(review.actor)): "
          out += ReportDisplay.printable(review.summary) + "\n"
          for action in review.actions { out += "           action: \(ReportDisplay.printable(action))\n" }
        }
      case .missed:
        out += "  \(period.period)  " + style.red("MISSED") + " (was due by \(period.due))\n"
      case .due:
        out += "  \(period.period)  due by \(period.due)\n"
      }
    }
    return out
  }

  /// Columns padded to their widest cell; the first left-aligned, the figures right-aligned.
  private func table(_ rows: [[String]], leftAligned: Set<Int> = [0]) -> String {
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    var out = ""
    for (index, row) in rows.enumerated() {
      var line = "  "
      for (column, cell) in row.enumerated() {
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        line +=
          leftAligned.contains(column)
          ? (column == 0 ? "" : "  ") + cell + padding : "  " + padding + cell
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += (index == 0 ? style.dim(line) : line) + "\n"
    }
    return out
  }
}
