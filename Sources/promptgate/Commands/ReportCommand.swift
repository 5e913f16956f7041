import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate report`: the figures a service manager owes a client, from the ledger alone.
  struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract:
        "Releases, blocked attempts, rollbacks, change failure rate, time to recovery, exceptions and approval lead time.",
      discussion: """
        Per environment and period (UTC calendar month or ISO week), computed from \
        refs/promptgate/ledger alone. A release failed if it was later rolled back from or marked \
        bad; time to recovery runs from the bad release's deploy (or the rollback's \
        --incident-start) to the rollback; approval lead time from the first approval of the \
        release's content for that environment to the release. --format html writes one \
        self-contained page (inline CSS and SVG charts) to mail to a client. Judged against the \
        runbook in force: imported measurements beside reliability.slo, recoveries beside \
        max_recovery_minutes, incidents with the release that answered them (an Incident: \
        trailer or improvement.incidents), reviews held and missed. --repository (repeated) or \
        --repositories <file> report a portfolio: a line per service on top, then each report.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, markdown, json, html
    }

    @OptionGroup var global: GlobalOptions

    @Option(
      help: ArgumentHelp(
        "From this day (YYYY-MM-DD, UTC) or instant (RFC 3339), included.", valueName: "date"))
    var since: String?

    @Option(
      help: ArgumentHelp(
        "Up to this day (YYYY-MM-DD, UTC, the whole day) or instant (RFC 3339), included.", valueName: "date")
    )
    var until: String?

    @Option(help: "Only this environment.")
    var env: String?

    @Option(help: "Group by month or week.")
    var period: ReportPeriod = .month

    @Option(help: "Output format: text, markdown, json or html.")
    var format: Format = .text

    @Option(
      name: .customLong("repository"),
      help: ArgumentHelp(
        "A gated repository of a portfolio report (repeat for each service; -C is ignored then).",
        valueName: "path"))
    var portfolio: [String] = []

    @Option(
      help: ArgumentHelp(
        "A file listing a portfolio's repositories, one path a line (relative to the file; # comments).",
        valueName: "file"))
    var repositories: String?

    func run() throws {
      let start = try since.map { text throws(PromptgateError) in try Self.instant(text, flag: "--since") }
      let end = try until.map { text throws(PromptgateError) in
        try Self.instant(text, flag: "--until", endOfDay: true)
      }
      if let start, let end, start > end {
        throw PromptgateError.input(
          "--since \(since ?? "") is after --until \(until ?? ""): nothing can be in between; swap them")
      }
      let options = ReportOptions(since: start, until: end, environment: env, period: period)
      let paths =
        try portfolio
        + (repositories.map { file throws(PromptgateError) in
          try PortfolioReport.paths(listedIn: file)
        } ?? [])
      if !paths.isEmpty {
        let report = try PortfolioReport.build(paths: paths, options: options)
        switch format {
        case .text: print(ReportPortfolioFormatter(style: global.style).text(report), terminator: "")
        case .markdown: print(ReportPortfolioFormatter(style: global.style).markdown(report), terminator: "")
        case .json: print(try Output.json(report, pretty: global.pretty))
        case .html: print(ReportHTMLFormatter().format(report), terminator: "")
        }
        return
      }
      let repository = try global.openRepository()
      let report = try ReportBuilder.build(Ledger(repository), options: options)
      switch format {
      case .text: print(ReportTextFormatter(style: global.style).format(report), terminator: "")
      case .markdown: print(ReportMarkdownFormatter().format(report), terminator: "")
      case .json: print(try Output.json(report, pretty: global.pretty))
      case .html: print(ReportHTMLFormatter().format(report), terminator: "")
      }
    }

    /// Seconds since 1970 of `YYYY-MM-DD` (its first second, or with `endOfDay` its last) or of
    /// an RFC 3339 time.
    static func instant(_ text: String, flag: String, endOfDay: Bool = false) throws(PromptgateError) -> Int64
    {
      if let day = Timestamp.seconds(day: text) { return endOfDay ? day + 86_399 : day }
      if let instant = Timestamp.seconds(rfc3339: text) { return instant }
      throw PromptgateError.input(
        "\(flag) \(text) is not a date: write YYYY-MM-DD (2026-11-01) or an RFC 3339 time "
          + "(2026-11-01T09:00:00Z)")
    }
  }
}

extension ReportPeriod: ExpressibleByArgument {}
