import PromptgateCore

/// How the report's formatters show figures: durations a person reads at a glance, rates as
/// percentages, and ledger text (attacker-controlled) without control characters.
enum ReportDisplay {
  /// Where a rollback's time to recovery was counted from, for the tables.
  static func countedFrom(_ recovery: Recovery) -> String {
    switch recovery.startSource {
    case .incidentStart: "incident start \(recovery.startedAt ?? "")"
    case .deploy: "deploy \(recovery.startedAt ?? "")"
    case .unknown: "unknown"
    }
  }

  /// `45s`, `12m`, `1h 05m`, `2d 04h`, to the nearest unit shown; `–` for none.
  static func duration(_ seconds: Int64?) -> String {
    guard let seconds else { return "–" }
    if seconds < 60 { return "\(seconds)s" }
    let minutes = (seconds + 30) / 60
    if minutes < 60 { return "\(minutes)m" }
    if minutes < 48 * 60 { return "\(minutes / 60)h \(two(minutes % 60))m" }
    let hours = (minutes + 30) / 60
    return "\(hours / 24)d \(two(hours % 24))h"
  }

  /// `25%`, `33.3%`; `–` without releases.
  /// "2 of 3 (67%)": of the releases that required evidence, those that shipped with all of
  /// it; nil when none required any.
  static func evidenceShare(_ share: PeriodFigures.EvidenceShare) -> String? {
    guard share.required > 0 else { return nil }
    return "\(share.complete) of \(share.required) (\(rate(Double(share.complete) / Double(share.required))))"
  }

  static func rate(_ value: Double?) -> String {
    guard let value else { return "–" }
    let tenths = Int((value * 1000).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
  }

  static func median(_ summary: DurationSummary) -> String { duration(summary.medianSeconds) }

  /// The commit's short form.
  static func short(_ commit: String?) -> String { commit.map { String($0.prefix(7)) } ?? "–" }

  /// What the report covers, in words.
  static func range(_ report: Report) -> String {
    switch (report.since, report.until) {
    case (nil, nil): "all recorded time"
    case (let since?, nil): "from \(since)"
    case (nil, let until?): "up to \(until)"
    case (let since?, let until?): "\(since) to \(until)"
    }
  }

  /// One line of the ledger's text with control characters (terminal escapes, newlines) shown
  /// as `\u{…}` instead of acted on.
  static func printable(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}"
        || scalar == "\u{2029}"
      {
        out += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// "nothing recorded" in words that say where and when.
  static func emptyMessage(_ report: Report) -> String {
    let scope = report.environmentFilter.map { " in \($0)" } ?? ""
    if report.ledgerEvents == 0 {
      return "the ledger is empty: nothing has been released, blocked or rolled back yet"
    }
    return "no release, blocked attempt, rollback or mark-bad recorded\(scope) (\(range(report)))"
  }

  /// A measured value in its unit: ratios as percentages, milliseconds, a score out of 5.
  static func measure(_ value: Double, unit: String) -> String {
    switch unit {
    case "ratio": return percent(value)
    case "ms": return "\(KnownMetric.text(value.rounded())) ms"
    case "score": return "\(KnownMetric.text((value * 100).rounded() / 100))/5"
    case "count", "": return KnownMetric.text(value)
    default: return "\(KnownMetric.text(value)) \(printable(unit))"
    }
  }

  /// `87%`, `1.5%`, `0.25%`: as many decimals as the value needs, up to two.
  static func percent(_ value: Double) -> String {
    KnownMetric.text((value * 10_000).rounded() / 100) + "%"
  }

  /// A target as the SLO reads: `≥ 85%`, `≤ 2500 ms`.
  static func target(_ result: MeasurementResult) -> String {
    guard let target = result.target else { return "–" }
    return (result.comparison == "at least" ? "≥ " : "≤ ") + measure(target, unit: result.unit)
  }

  /// A recovery time with what it was measured from, in the figure itself.
  static func recovery(_ recovery: Recovery) -> String {
    let time = duration(recovery.seconds)
    switch recovery.startSource {
    case .incidentStart: return "\(time) from the incident start \(recovery.startedAt ?? "")"
    case .deploy: return "\(time) from the bad release's deploy (no --incident-start given)"
    case .unknown: return "unknown (neither an incident start nor the bad release's deploy is on record)"
    }
  }

  /// `over the 30m target`, `within the 30m target`, or nothing without a target.
  static func recoveryTarget(_ recovery: Recovery) -> String? {
    guard let minutes = recovery.targetMinutes, let over = recovery.overTarget else { return nil }
    return over ? "OVER the \(minutes)m target" : "within the \(minutes)m target"
  }

  /// Who the report is about: `support-assistant for Acme Ltd`.
  static func service(_ report: Report) -> String? {
    guard let service = report.service, service.name != nil || service.client != nil else { return nil }
    return printable(service.name ?? "this service") + (service.client.map { " for " + printable($0) } ?? "")
  }

  private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
