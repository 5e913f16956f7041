import PromptgateCore

/// What every format of a portfolio shows on top: a line per service.
enum PortfolioDisplay {
  struct Row {
    let service: String
    let client: String
    let slo: String
    let recoveries: String
    let exceptions: String
    let incidents: String
    let reviews: String
  }

  static func row(_ service: PortfolioReport.Service) -> Row {
    let report = service.report
    let summary = report.summary
    return Row(
      service: ReportDisplay.printable(report.service?.name ?? service.repository),
      client: ReportDisplay.printable(report.service?.client ?? "–"),
      slo: summary.map { $0.sloJudged == 0 ? "–" : "\($0.sloMet) of \($0.sloJudged)" } ?? "–",
      recoveries: summary.map { $0.recoveries == 0 ? "–" : "\($0.recoveriesOverTarget) of \($0.recoveries)" }
        ?? "–",
      exceptions: "\(summary?.exceptions ?? 0)", incidents: "\(summary?.incidentsOpen ?? 0)",
      reviews: "\(summary?.reviewsMissed ?? 0)")
  }

  /// "2 of 3 services met their targets; recoveries over target in billing-bot; exceptions in ..."
  static func sentence(_ portfolio: PortfolioReport) -> String {
    func names(_ filter: (ReportSummary) -> Bool) -> String {
      portfolio.services.filter { $0.report.summary.map(filter) ?? false }
        .map { ReportDisplay.printable($0.report.service?.name ?? $0.repository) }.joined(separator: ", ")
    }
    var parts = [
      "\(portfolio.servicesMeetingTargets) of \(portfolio.services.count) service\(portfolio.services.count == 1 ? "" : "s") met "
        + "\(portfolio.services.count == 1 ? "its" : "their") targets"
    ]
    let over = names { $0.recoveriesOverTarget > 0 }
    if !over.isEmpty { parts.append("recoveries over target in \(over)") }
    let breached = names { $0.sloMet < $0.sloJudged }
    if !breached.isEmpty { parts.append("SLOs breached in \(breached)") }
    let exceptions = names { $0.exceptions > 0 }
    parts.append(exceptions.isEmpty ? "no compliance exceptions" : "compliance exceptions in \(exceptions)")
    let missed = names { $0.reviewsMissed > 0 }
    if !missed.isEmpty { parts.append("reviews missed in \(missed)") }
    return parts.joined(separator: "; ")
  }
}

/// `report --repositories` as text and markdown: the portfolio's lines, then each service's report.
struct ReportPortfolioFormatter {
  let style: Style

  func text(_ portfolio: PortfolioReport) -> String {
    var out = style.bold("portfolio") + ": \(portfolio.services.count) services\n"
    out += "in short: \(PortfolioDisplay.sentence(portfolio))\n\n"
    var rows = [
      [
        "service", "client", "targets", "SLOs met", "recoveries over", "exceptions", "open incidents",
        "reviews missed",
      ]
    ]
    for service in portfolio.services {
      let row = PortfolioDisplay.row(service)
      rows.append([
        row.service, row.client, service.metTargets ? "met" : "MISSED", row.slo, row.recoveries,
        row.exceptions,
        row.incidents, row.reviews,
      ])
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    for row in rows {
      var line = "  "
      for (index, cell) in row.enumerated() {
        line += cell + String(repeating: " ", count: widths[index] - cell.count) + "  "
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    for service in portfolio.services {
      out += "\n" + style.bold("== \(ReportDisplay.service(service.report) ?? service.repository)") + "  "
      out += ReportDisplay.printable(service.repository) + "\n"
      out += ReportTextFormatter(style: style).format(service.report)
    }
    return out
  }

  func markdown(_ portfolio: PortfolioReport) -> String {
    var out = "# Portfolio report\n\n**In short:** \(PortfolioDisplay.sentence(portfolio)).\n\n"
    out +=
      "| service | client | targets | SLO measurements met | recoveries over target | compliance exceptions "
    out += "| open incidents | reviews missed |\n| --- | --- | --- | --: | --: | --: | --: | --: |\n"
    for service in portfolio.services {
      let row = PortfolioDisplay.row(service)
      out += "| \(cell(row.service)) | \(cell(row.client)) | \(service.metTargets ? "met" : "**missed**") "
      out += "| \(row.slo) | \(row.recoveries) | \(row.exceptions) | \(row.incidents) | \(row.reviews) |\n"
    }
    for service in portfolio.services {
      // Each service's report one heading level down.
      let single = ReportMarkdownFormatter().format(service.report)
      out +=
        "\n"
        + single.split(separator: "\n", omittingEmptySubsequences: false).map {
          $0.hasPrefix("#") ? "#" + $0 : String($0)
        }.joined(separator: "\n")
    }
    return out
  }

  private func cell(_ text: String) -> String { ReportMarkdownFormatter().escape(text) }
}
