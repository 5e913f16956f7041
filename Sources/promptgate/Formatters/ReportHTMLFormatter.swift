import PromptgateCore

/// `report --format html`: one self-contained page a service manager can mail to a client —
/// inline CSS and SVG charts, no scripts, no fonts or images to fetch, and a content security
/// policy that forbids both. Every string from the ledger (actors, reasons, gate ids) is escaped.
struct ReportHTMLFormatter {
  func format(_ report: Report) -> String {
    let title = ReportDisplay.service(report).map { "Service report: \($0)" } ?? "Release report"
    return head(title)
      + "<header><h1>\(escape(title))</h1>\n<p class=\"sub\">\(escape(summaryLine(report)))</p></header>\n"
      + body(report) + footer(report)
  }

  /// An MSP's portfolio on one page: a line per service on top, then each service's report.
  func format(_ portfolio: PortfolioReport) -> String {
    var out = head("Portfolio report") + "<header><h1>Portfolio report</h1>\n<p class=\"sub\">"
    out += "\(portfolio.services.count) service\(portfolio.services.count == 1 ? "" : "s")</p></header>\n"
    out +=
      "<p class=\"summary\"><strong>In short:</strong> \(escape(PortfolioDisplay.sentence(portfolio))).</p>\n"
    out += "<section><table class=\"list\"><thead><tr><th>Service</th><th>Client</th><th>Targets</th>"
    out += "<th>SLO measurements met</th><th>Recoveries over target</th><th>Compliance exceptions</th>"
    out += "<th>Open incidents</th><th>Reviews missed</th></tr></thead><tbody>\n"
    for service in portfolio.services {
      let row = PortfolioDisplay.row(service)
      out += "<tr><td>\(escape(row.service))</td><td>\(escape(row.client))</td><td>"
      out += service.metTargets ? "<span class=\"ok\">met</span>" : "<span class=\"bad\">missed</span>"
      out +=
        "</td><td>\(row.slo)</td><td>\(row.recoveries)</td><td>\(row.exceptions)</td><td>\(row.incidents)</td>"
      out += "<td>\(row.reviews)</td></tr>\n"
    }
    out += "</tbody></table></section>\n"
    for service in portfolio.services {
      let name = ReportDisplay.service(service.report) ?? service.repository
      out +=
        "<section class=\"service\"><h1>\(escape(name))</h1>\n<p class=\"sub\">\(escape(service.repository)) · "
      out += "\(escape(summaryLine(service.report)))</p>\n\(body(service.report))</section>\n"
    }
    return out
      + "<footer>Computed by promptgate from each repository's signed ledger.</footer>\n</body>\n</html>\n"
  }

  private func head(_ title: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escape(title))</title>
    <style>\(Self.css)</style>
    </head>
    <body>

    """
  }

  /// Everything of one report below its heading.
  private func body(_ report: Report) -> String {
    var out = ""
    if report.undatedEvents > 0 {
      out +=
        "<p class=\"note\">\(report.undatedEvents) event(s) have no readable time and are left out.</p>\n"
    }
    if report.isEmpty {
      return out + "<p class=\"empty\">\(escape(ReportDisplay.emptyMessage(report).capitalizedFirst)).</p>\n"
    }
    if let summary = report.summary {
      out += "<p class=\"summary\"><strong>In short:</strong> \(escape(summary.sentence)).</p>\n"
    }
    out += cards(report)
    if report.environments.contains(where: { !$0.timeline.isEmpty }) {
      out += "<section><h2>Timeline of releases and rollbacks</h2>\n\(timeline(report))\(legend)</section>\n"
    }
    for environment in report.environments
    where !environment.timeline.isEmpty || !environment.measurements.isEmpty {
      out += section(environment)
    }
    out += reviews(report)
    return out
  }

  private func summaryLine(_ report: Report) -> String {
    var line = "Covers \(ReportDisplay.range(report)), by \(report.period.rawValue)"
    if let environment = report.environmentFilter { line += ", environment \(environment)" }
    if let head = report.ledgerHead { line += " · ledger \(head.prefix(12)), \(report.ledgerEvents) events" }
    return line
  }

  private func footer(_ report: Report) -> String {
    """
    <footer>Computed by promptgate from the signed, tamper-evident ledger refs/promptgate/ledger\
    \(report.ledgerHead.map { " at \(escape(String($0)))" } ?? ""). A release <em>failed</em> if it was \
    later rolled back from or marked bad; time to recovery runs from the bad release's deploy (or the \
    incident start the rollback recorded) to the rollback; approval lead time from the first approval \
    of the release's content to the release.</footer>
    </body>
    </html>

    """
  }

  // MARK: Summary

  private func cards(_ report: Report) -> String {
    var out = "<section class=\"cards\">\n"
    for environment in report.environments {
      let total = environment.total
      out += "<div class=\"card\"><h3>\(escape(environment.name))</h3><dl>"
      out += "<dt>Releases</dt><dd>\(total.releases)</dd>"
      out += "<dt>Change failure rate</dt><dd>\(ReportDisplay.rate(total.changeFailureRate))</dd>"
      out += "<dt>Rollbacks</dt><dd>\(total.rollbacks)</dd>"
      out += "<dt>Time to recovery (median)</dt><dd>\(ReportDisplay.median(total.timeToRecovery))</dd>"
      out += "<dt>Blocked attempts</dt><dd>\(total.blocked)</dd>"
      out += "<dt>Compliance exceptions</dt><dd>\(total.overrides)</dd>"
      out += "<dt>Approval lead time (median)</dt><dd>\(ReportDisplay.median(total.approvalLeadTime))</dd>"
      if let share = ReportDisplay.evidenceShare(total.evidence) {
        out += "<dt>Shipped with full evidence</dt><dd>\(share)</dd>"
      }
      out += "</dl></div>\n"
    }
    return out + "</section>\n"
  }

  private func measurements(_ environment: EnvironmentReport) -> String {
    guard !environment.measurements.isEmpty else { return "" }
    var periods: [String] = []
    for result in environment.measurements where !periods.contains(result.period) {
      periods.append(result.period)
    }
    if periods.count > 1 { return measurementTrend(environment.measurements, periods: periods) }
    var out = "<h3>Measurements against the SLOs</h3>\n<table class=\"list\"><thead><tr><th>Period</th>"
    out += "<th>Metric</th><th>Value</th><th>Target</th><th>Verdict</th><th>Source</th></tr></thead><tbody>\n"
    for result in environment.measurements {
      let verdict =
        result.met.map { $0 ? "<span class=\"ok\">met</span>" : "<span class=\"bad\">breached</span>" } ?? "–"
      var source = "\(escape(result.source)) (#\(result.sequence))"
      if !result.superseded.isEmpty {
        source +=
          "<br><small>supersedes "
          + result.superseded.map {
            "\(escape(ReportDisplay.measure($0.value, unit: result.unit))) of #\($0.sequence)"
          }
          .joined(separator: ", ") + "</small>"
      }
      out += "<tr><td>\(escape(result.period))</td><td><code>\(escape(result.metric))</code></td>"
      out += "<td>\(escape(ReportDisplay.measure(result.value, unit: result.unit)))</td>"
      out +=
        "<td>\(escape(ReportDisplay.target(result)))</td><td>\(verdict)</td><td class=\"text\">\(source)</td></tr>\n"
    }
    return out + "</tbody></table>\n"
  }

  /// Several periods: one row a metric, one column a period, so a trend reads left to right; a
  /// breached value is marked, its source and any value it superseded are in its tooltip.
  private func measurementTrend(_ results: [MeasurementResult], periods: [String]) -> String {
    var metrics: [String] = []
    for result in results where !metrics.contains(result.metric) { metrics.append(result.metric) }
    metrics.sort()
    var out =
      "<h3>Measurements against the SLOs</h3>\n<div class=\"scroll\"><table class=\"trend\"><thead><tr>"
    out += "<th>Metric</th><th>Target</th>"
    out += periods.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
    for metric in metrics {
      let row = results.filter { $0.metric == metric }
      let target = row.last.map { ReportDisplay.target($0) } ?? "–"
      out += "<tr><td><code>\(escape(metric))</code></td><td>\(escape(target))</td>"
      for period in periods {
        guard let result = row.last(where: { $0.period == period }) else {
          out += "<td>–</td>"
          continue
        }
        var title = "\(result.source) (#\(result.sequence))"
        if !result.superseded.isEmpty {
          title +=
            "; supersedes "
            + result.superseded.map {
              "\(ReportDisplay.measure($0.value, unit: result.unit)) of #\($0.sequence)"
            }
            .joined(separator: ", ")
        }
        let value = escape(ReportDisplay.measure(result.value, unit: result.unit))
        let cell = result.met == false ? "<span class=\"bad\">\(value) ✗</span>" : value
        out += "<td title=\"\(escape(title))\">\(cell)</td>"
      }
      out += "</tr>\n"
    }
    return out
      + "</tbody></table></div>\n<p class=\"none\">✗ breached its target; hover a value for its source.</p>\n"
  }

  private func incidents(_ environment: EnvironmentReport) -> String {
    guard !environment.incidents.isEmpty else { return "" }
    var out = "<h3>Incidents</h3>\n<table class=\"list\"><thead><tr><th>Incident</th><th>Started</th>"
    out += "<th>Recovered</th><th>Answered by</th></tr></thead><tbody>\n"
    for incident in environment.incidents {
      let started =
        (incident.startedAt ?? "unknown")
        + (incident.startSource == .incidentStart
          ? "" : " (the bad release's deploy; no incident start given)")
      let answer =
        incident.answeredBy.map {
          "release #\($0.sequence) <code>\(escape(ReportDisplay.short($0.release)))</code> (\(escape($0.time)))"
        } ?? "<span class=\"bad\">open</span>"
      out +=
        "<tr><td>\(escape(incident.id ?? "rollback #\(incident.rollback)"))</td><td>\(escape(started))</td>"
      out +=
        "<td>\(escape(incident.recoveredAt)) (rollback #\(incident.rollback))</td><td>\(answer)</td></tr>\n"
    }
    return out + "</tbody></table>\n"
  }

  private func reviews(_ report: Report) -> String {
    guard let reviews = report.reviews, !reviews.periods.isEmpty else { return "" }
    var out =
      "<section><h2>Service reviews (\(reviews.cadence.rawValue))</h2>\n<table class=\"list\"><thead><tr>"
    out += "<th>Period</th><th>Status</th><th>Summary</th><th>Actions</th></tr></thead><tbody>\n"
    for period in reviews.periods {
      switch period.status {
      case .held:
        for review in period.reviews {
          out +=
            "<tr><td>\(escape(period.period))</td><td><span class=\"ok\">held</span> #\(review.sequence), "
          out += "\(escape(review.actor))</td><td class=\"text\">\(escape(review.summary))</td>"
          out += "<td class=\"text\">\(review.actions.map(escape).joined(separator: "<br>"))</td></tr>\n"
        }
      case .missed:
        out += "<tr><td>\(escape(period.period))</td><td><span class=\"bad\">missed</span> (due by "
        out += "\(escape(period.due)))</td><td>–</td><td>–</td></tr>\n"
      case .due:
        out +=
          "<tr><td>\(escape(period.period))</td><td>due by \(escape(period.due))</td><td>–</td><td>–</td></tr>\n"
      }
    }
    return out + "</tbody></table></section>\n"
  }

  private func section(_ environment: EnvironmentReport) -> String {
    var out = "<section><h2>\(escape(environment.name))</h2>\n"
    out += measurements(environment)
    guard !environment.timeline.isEmpty else { return out + "</section>\n" }
    out += "<table><thead><tr><th>Period</th><th>Releases</th><th>Overrides</th><th>Blocked</th>"
    out +=
      "<th>Rollbacks</th><th>Failed</th><th>Change failure rate</th><th>Time to recovery<br>median / worst</th>"
    out += "<th>Approval lead time<br>median / worst</th></tr></thead><tbody>\n"
    for figures in environment.periods + [environment.total] {
      out += figures.label == "total" ? "<tr class=\"total\">" : "<tr>"
      out += "<td>\(escape(figures.label))</td><td>\(figures.releases)</td><td>\(figures.overrides)</td>"
      out += "<td>\(figures.blocked)</td><td>\(figures.rollbacks)</td><td>\(figures.failedReleases)</td>"
      out += "<td>\(ReportDisplay.rate(figures.changeFailureRate))</td>"
      out +=
        "<td>\(durations(figures.timeToRecovery))</td><td>\(durations(figures.approvalLeadTime))</td></tr>\n"
    }
    out += "</tbody></table>\n<div class=\"charts\">\n"
    out += "<figure><figcaption>Releases per period</figcaption>\n"
    out += barChart(
      labels: environment.periods.map(\.label),
      series: [
        ("releases", "#2e7d32", environment.periods.map { Double($0.releases) }),
        ("failed", "#c62828", environment.periods.map { Double($0.failedReleases) }),
        ("blocked", "#9e9e9e", environment.periods.map { Double($0.blocked) }),
      ], value: { "\(Int($0))" })
    out += "</figure>\n<figure><figcaption>Time to recovery per period</figcaption>\n"
    if environment.total.timeToRecovery.count == 0 {
      out += "<p class=\"none\">No rollback in this range.</p>"
    } else {
      out += barChart(
        labels: environment.periods.map(\.label),
        series: [
          ("median", "#c62828", environment.periods.map { Double($0.timeToRecovery.medianSeconds ?? 0) }),
          ("worst", "#ef9a9a", environment.periods.map { Double($0.timeToRecovery.worstSeconds ?? 0) }),
        ], value: { ReportDisplay.duration(Int64($0)) }, durations: true)
    }
    out += "</figure>\n</div>\n"
    if !environment.total.blockedGates.isEmpty {
      out += "<h3>Blocked release attempts, by gate</h3>\n<table class=\"list\"><thead><tr><th>Gate</th>"
      out += "<th>Attempts blocked</th></tr></thead><tbody>\n"
      for gate in environment.total.blockedGates {
        out += "<tr><td><code>\(escape(gate.gate))</code></td><td>\(gate.count)</td></tr>\n"
      }
      out += "</tbody></table>\n"
    }
    out += "<h3>Compliance exceptions</h3>\n"
    if environment.exceptions.isEmpty {
      out += "<p class=\"none\">None: every release passed its gates.</p>\n"
    } else {
      out +=
        "<table class=\"list\"><thead><tr><th>#</th><th>Time</th><th>Release</th><th>Who</th><th>Overrode</th>"
      out += "<th>Why</th></tr></thead>"
      out += "<tbody>\n"
      for exception in environment.exceptions {
        out += "<tr><td>\(exception.sequence)</td><td>\(escape(exception.time))</td>"
        out += "<td><code>\(escape(ReportDisplay.short(exception.release)))</code></td>"
        out += "<td>\(escape(exception.actor))\(exception.role.map { " (\(escape($0)))" } ?? "")</td>"
        out += "<td>\(exception.overridden.map { "<code>\(escape($0))</code>" }.joined(separator: ", "))</td>"
        out += "<td class=\"text\">\(escape(exception.reason))</td></tr>\n"
      }
      out += "</tbody></table>\n"
    }
    if !environment.recoveries.isEmpty {
      let target = environment.maxRecoveryMinutes.map { " (target \($0) minutes)" } ?? ""
      out +=
        "<h3>Rollbacks\(target)</h3>\n<table class=\"list\"><thead><tr><th>#</th><th>Time</th><th>From → to</th>"
      out +=
        "<th>Recovered in</th><th>Counted from</th><th>Target</th><th>Incident</th><th>Why</th></tr></thead><tbody>\n"
      for recovery in environment.recoveries {
        let start = ReportDisplay.countedFrom(recovery)
        out += "<tr><td>\(recovery.sequence)</td><td>\(escape(recovery.time))</td>"
        out += "<td><code>\(escape(ReportDisplay.short(recovery.from)))</code> → "
        out += "<code>\(escape(ReportDisplay.short(recovery.to)))</code></td>"
        out += "<td>\(ReportDisplay.duration(recovery.seconds))</td><td>\(escape(start))</td>"
        out +=
          "<td>\(recovery.overTarget.map { $0 ? "<span class=\"bad\">over</span>" : "<span class=\"ok\">within</span>" } ?? "–")</td>"
        out +=
          "<td>\(escape(recovery.incident ?? "–"))</td><td class=\"text\">\(escape(recovery.reason))</td></tr>\n"
      }
      out += "</tbody></table>\n"
    }
    out += incidents(environment)
    return out + "</section>\n"
  }

  private func durations(_ summary: DurationSummary) -> String {
    summary.count == 0
      ? "–" : "\(ReportDisplay.median(summary)) / \(ReportDisplay.duration(summary.worstSeconds))"
  }

  // MARK: Charts

  /// Every environment on one time axis: releases, overrides, blocked attempts, rollbacks and
  /// marks. Period boundaries are grid lines named at the top (`2026-W45`, `2026-11`); dates a
  /// person reads (`Mon 2 Nov`) run along the bottom; markers close in time are stacked above and
  /// below their lane instead of covering each other.
  private func timeline(_ report: Report) -> String {
    let environments = report.environments.filter { !$0.timeline.isEmpty }
    let times = environments.flatMap { $0.timeline.map(\.seconds) }
    let periods = environments.flatMap(\.periods)
    guard let earliest = times.min(), let latest = times.max() else { return "" }
    let from = min(
      earliest, periods.compactMap { $0.start.flatMap(Timestamp.seconds(rfc3339:)) }.min() ?? earliest)
    let to = max(latest, periods.compactMap { $0.end.flatMap(Timestamp.seconds(rfc3339:)) }.max() ?? latest)
    let width = 1_200.0
    let left = 110.0
    let right = 16.0
    let top = 30.0
    let level = 15.0
    let row = 5 * level + 8
    let height = top + Double(environments.count) * row + 30
    let span = Double(max(to - from, 1))
    func x(_ seconds: Int64) -> Double { left + (width - left - right) * Double(seconds - from) / span }
    var svg = "<div class=\"scroll\"><svg class=\"timeline\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
    svg +=
      "preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"Timeline of releases and rollbacks\">\n"
    let bottom = height - 24
    // Days as ticks when there are few enough to tell apart, labelled as far apart as fits.
    let days = (to - from) / 86_400
    let dayWidth = (width - left - right) / Double(max(days, 1))
    if days <= 120 {
      let labelEvery = [1, 2, 7, 14, 28].first { Double($0) * dayWidth >= 64 } ?? 28
      var day = from - from % 86_400
      var index = 0
      while day <= to {
        if day >= from {
          let position = x(day)
          svg +=
            "<line x1=\"\(n(position))\" y1=\"\(n(bottom - 4))\" x2=\"\(n(position))\" y2=\"\(n(bottom))\" "
          svg += "class=\"tick\"/>"
          let isMonday = (day / 86_400 + 3) % 7 == 0
          if labelEvery >= 7 ? isMonday && index % (labelEvery / 7) == 0 : index % labelEvery == 0 {
            let anchor = position > width - right - 30 ? "end" : "middle"
            svg +=
              "<text x=\"\(n(position))\" y=\"\(n(bottom + 15))\" class=\"axis\" text-anchor=\"\(anchor)\">"
            svg += "\(escape(Self.readableDay(day)))</text>"
          }
          if labelEvery >= 7 ? isMonday : true { index += 1 }
        }
        day += 86_400
      }
      svg += "\n"
    }
    // Period boundaries, each named once at the top.
    var seen = Set<String>()
    var lastLabel = -Double.infinity
    for period in periods where seen.insert(period.label).inserted {
      guard let start = period.start.flatMap(Timestamp.seconds(rfc3339:)) else { continue }
      let position = x(max(start, from))
      svg +=
        "<line x1=\"\(n(position))\" y1=\"\(n(top - 14))\" x2=\"\(n(position))\" y2=\"\(n(bottom))\" class=\"grid\"/>\n"
      if days > 120, position - lastLabel >= 70 {
        svg += "<text x=\"\(n(position + 3))\" y=\"\(n(bottom + 15))\" class=\"axis\">"
        svg += "\(escape(Self.readableDay(start, withYear: true)))</text>\n"
      }
      if position - lastLabel >= 70 {
        svg +=
          "<text x=\"\(n(position + 3))\" y=\"\(n(top - 4))\" class=\"period\">\(escape(period.label))</text>\n"
        lastLabel = position
      }
    }
    for (index, environment) in environments.enumerated() {
      let y = top + Double(index) * row + row / 2
      svg +=
        "<text x=\"0\" y=\"\(n(y + 5))\" class=\"label\">\(escape(String(environment.name.prefix(14))))</text>\n"
      svg +=
        "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(width - right))\" y2=\"\(n(y))\" class=\"lane\"/>\n"
      // Each marker takes the first free level (on the lane, above, below, ...) where no marker
      // within 18 units of it sits already.
      var placed: [Int: [Double]] = [:]
      for entry in environment.timeline.sorted(by: { ($0.seconds, $0.sequence) < ($1.seconds, $1.sequence) })
      {
        let position = x(entry.seconds)
        let levels = [0, -1, 1, -2, 2]
        let free =
          levels.first { level in !(placed[level] ?? []).contains { abs($0 - position) < 18 } }
          ?? levels.min { (placed[$0]?.count ?? 0) < (placed[$1]?.count ?? 0) } ?? 0
        placed[free, default: []].append(position)
        svg += marker(entry, x: position, y: y + Double(free) * level)
      }
    }
    return svg + "</svg></div>\n"
  }

  private static let months = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  /// `2 Nov`, or `2 Nov 2026`: a date as a client reads it.
  static func readableDay(_ seconds: Int64, withYear: Bool = false) -> String {
    let parts = Timestamp.day(seconds).split(separator: "-")
    guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
    else {
      return Timestamp.day(seconds)
    }
    return "\(day) \(months[month - 1])" + (withYear ? " \(parts[0])" : "")
  }

  private func marker(_ entry: TimelineEntry, x: Double, y: Double) -> String {
    let title =
      "<title>#\(entry.sequence) \(entry.kind.rawValue) \(escape(ReportDisplay.short(entry.release))) "
      + "\(escape(entry.time))\(entry.failed ? " (later rolled back or marked bad)" : "")</title>"
    switch entry.kind {
    case .release:
      let fill = entry.failed ? "#c62828" : "#2e7d32"
      return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"6\" fill=\"\(fill)\">\(title)</circle>\n"
    case .override:
      return "<path d=\"M\(n(x)) \(n(y - 7))l7 7l-7 7l-7 -7z\" fill=\"#ef6c00\">\(title)</path>\n"
    case .rollback:
      return "<path d=\"M\(n(x - 7)) \(n(y - 6))h14l-7 12z\" fill=\"#c62828\">\(title)</path>\n"
    case .blocked:
      return "<path d=\"M\(n(x - 4)) \(n(y - 4))l8 8m0 -8l-8 8\" stroke=\"#757575\" stroke-width=\"2\">"
        + "\(title)</path>\n"
    case .markBad:
      return
        "<path d=\"M\(n(x - 5)) \(n(y - 5))l10 10m0 -10l-10 10\" stroke=\"#6a1b1a\" stroke-width=\"2.5\">"
        + "\(title)</path>\n"
    case .approval, .rejection, .evidence, .metrics, .review:
      return ""
    }
  }

  private var legend: String {
    """
    <p class="legend"><svg width="14" height="14"><circle cx="7" cy="7" r="6" fill="#2e7d32"/></svg> release \
    <svg width="14" height="14"><circle cx="7" cy="7" r="6" fill="#c62828"/></svg> release later rolled back or \
    marked bad <svg width="16" height="16"><path d="M8 0l8 8l-8 8l-8 -8z" fill="#ef6c00"/></svg> override \
    <svg width="14" height="14"><path d="M0 1h14l-7 12z" fill="#c62828"/></svg> rollback \
    <svg width="12" height="12"><path d="M2 2l8 8m0 -8l-8 8" stroke="#757575" stroke-width="2"/></svg> blocked \
    attempt <svg width="12" height="12"><path d="M1 1l10 10m0 -10l-10 10" stroke="#6a1b1a" stroke-width="2.5"/>\
    </svg> marked bad</p>

    """
  }

  /// Grouped bars, one group a period, with a value axis of four steps.
  private func barChart(
    labels: [String], series: [(name: String, color: String, values: [Double])], value: (Double) -> String,
    durations: Bool = false
  ) -> String {
    // Wide enough for its periods, no wider: one period is one group, not a lonely bar on a
    // wide axis.
    let width = max(280, min(620, 58 + 16 + 100 * Double(max(labels.count, 1))))
    let height = 230.0
    let left = 58.0
    let bottom = 40.0
    let top = 26.0
    let plot = height - bottom - top
    let maximum = max(series.flatMap(\.values).max() ?? 0, 1)
    let step = niceStep(maximum / 4, durations: durations)
    let ceiling = step * (maximum / step).rounded(.up)
    let group = (width - left - 8) / Double(max(labels.count, 1))
    let bar = min(26, group * 0.8 / Double(series.count))
    var svg = "<svg class=\"bars\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" "
    svg += "height=\"\(n(height))\" role=\"img\">\n"
    var tick = 0.0
    while tick <= ceiling + step / 2 {
      let y = top + plot - plot * tick / ceiling
      svg += "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(width - 8))\" y2=\"\(n(y))\" class=\"grid\"/>"
      svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" class=\"axis\" text-anchor=\"end\">"
      svg += "\(escape(value(tick)))</text>\n"
      tick += step
    }
    let every = max(1, Int((Double(labels.count) * 64 / (width - left)).rounded(.up)))
    for (index, label) in labels.enumerated() {
      let groupLeft = left + Double(index) * group + (group - bar * Double(series.count)) / 2
      for (offset, item) in series.enumerated() where index < item.values.count {
        let amount = item.values[index]
        let barHeight = plot * amount / ceiling
        svg += "<rect x=\"\(n(groupLeft + Double(offset) * bar))\" y=\"\(n(top + plot - barHeight))\" "
        svg += "width=\"\(n(bar - 2))\" height=\"\(n(barHeight))\" fill=\"\(item.color)\">"
        svg += "<title>\(escape(label)) \(item.name): \(escape(value(amount)))</title></rect>\n"
      }
      if index % every == 0 {
        svg += "<text x=\"\(n(left + (Double(index) + 0.5) * group))\" y=\"\(n(height - bottom + 16))\" "
        svg += "class=\"axis\" text-anchor=\"middle\">\(escape(label))</text>\n"
      }
    }
    var legendX = left
    for item in series {
      svg += "<rect x=\"\(n(legendX))\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>"
      svg += "<text x=\"\(n(legendX + 16))\" y=\"16\" class=\"axis\">\(escape(item.name))</text>\n"
      legendX += 24 + Double(item.name.count) * 7.5
    }
    return svg + "</svg>\n"
  }

  /// 1, 2 or 5 times a power of ten, or for durations a round number of minutes, hours or days.
  private func niceStep(_ raw: Double, durations: Bool) -> Double {
    if durations {
      let steps: [Double] = [
        1, 5, 10, 15, 30, 60, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200,
      ]
      if let step = steps.first(where: { $0 >= raw }) { return step }
      return 86_400 * (raw / 86_400).rounded(.up)
    }
    var magnitude = 1.0
    while magnitude * 10 <= raw { magnitude *= 10 }
    for factor in [1.0, 2.0, 5.0, 10.0] where magnitude * factor >= raw { return magnitude * factor }
    return magnitude * 10
  }

  private func n(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  /// Text for HTML content and attribute values alike.
  func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in ReportDisplay.printable(text) {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  static let css = """
    body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#212121;margin:24px 3vw;\
    font-size:14px;line-height:1.45}\
    h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 10px;border-bottom:2px solid #e0e0e0;\
    padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}.sub{color:#616161;margin:0}\
    .cards{display:flex;flex-wrap:wrap;gap:14px;margin-top:20px}.card{border:1px solid #e0e0e0;\
    border-radius:8px;padding:10px 16px;min-width:300px;background:#fafafa}.card h3{margin:0 0 6px;font-size:17px}\
    dl{display:grid;grid-template-columns:auto auto;gap:2px 18px;margin:0}dt{color:#616161}dd{margin:0;\
    font-weight:bold;text-align:right}table{border-collapse:collapse;margin:6px 0 10px}th,td{border-bottom:1px \
    solid #e0e0e0;padding:4px 10px;text-align:right;vertical-align:top;white-space:nowrap}th{background:#f5f5f5;font-size:12px}\
    th:first-child,td:first-child{text-align:left}table.list th,table.list td{text-align:left}td.text{text-align:left;max-width:420px;overflow-wrap:anywhere;\
    white-space:normal}\
    tr.total td{font-weight:bold;border-top:2px solid #bdbdbd}.charts{display:flex;flex-wrap:wrap;gap:20px}\
    figure{margin:0}figcaption{font-weight:bold;margin:6px 0}.grid{stroke:#eeeeee;stroke-width:1}\
    .lane{stroke:#bdbdbd;stroke-width:1}.axis{font-size:11px;fill:#616161}.label{font-size:13px;\
    font-weight:bold;fill:#212121}.legend{color:#424242;font-size:13px}.legend svg{vertical-align:middle;\
    margin:0 3px 0 10px}.none,.empty,.note{color:#616161}footer{margin-top:36px;color:#757575;font-size:12px;\
    border-top:1px solid #e0e0e0;padding-top:8px}code{font-family:"DejaVu Sans Mono",monospace;font-size:12px}\
    .summary{font-size:16px;margin:14px 0 0;padding:10px 14px;border-left:4px solid #1565c0;background:#e3f2fd}\
    section.service{margin-top:48px;border-top:4px solid #1565c0;padding-top:6px}\
    .ok{color:#2e7d32;font-weight:bold}.bad{color:#c62828;font-weight:bold}\
    .scroll{overflow-x:auto}svg.timeline{width:100%;min-width:760px;height:auto}svg.bars{max-width:100%;height:auto}\
    .tick{stroke:#bdbdbd;stroke-width:1}.period{font-size:11px;fill:#9e9e9e}table{max-width:100%}\
    section>table,section>.scroll{display:block;overflow-x:auto}\
    @media (max-width:600px){body{margin:12px 10px;font-size:13px}.card{min-width:0;flex:1 1 100%}\
    th,td{padding:3px 6px}h1{font-size:21px}td.text{min-width:200px}}
    """
}

extension String {
  fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
