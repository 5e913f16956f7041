import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate metrics`: measurements from outside (helpdesk, monitoring) into the ledger.
  struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "metrics",
      abstract: "Bring measurements (resolution rate, CSAT, SLO actuals) into the ledger for the report.",
      subcommands: [Import.self]
    )

    /// `promptgate metrics import <file>`: one signed event per file.
    struct Import: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record the measurements of a CSV or JSON lines file, signed, as one ledger event.",
        discussion: """
          Each row: environment, period_start, period_end, metric, value, source, and optionally \
          unit. Dates are YYYY-MM-DD (an end date is that whole day), YYYY-MM (a month) or RFC 3339. \
          Known metrics are checked: resolution_rate and error_rate are fractions from 0 to 1 (or \
          give unit %), csat a score from 1 to 5, latency_p95_ms milliseconds (or unit s), \
          requests and escalations whole numbers; any other metric is kept as given. A row for an \
          environment, period and metric already imported supersedes the earlier value, and says \
          so. One bad row and nothing is recorded. Signed with --key by a role of \
          improvement.metrics_roles (default: the review roles) in the runbook in force: that of \
          the newest release deployed. The file's SHA-256 is recorded.
          """
      )

      @OptionGroup var global: GlobalOptions

      @OptionGroup var signing: SigningOptions

      @OptionGroup var syncing: SyncOption

      @Argument(help: ArgumentHelp("The CSV (with a header row) or JSON lines file.", valueName: "file"))
      var file: String

      func run() throws {
        let repository = try global.openRepository()
        let signer = try signing.requiredSigner(for: "a metrics import")
        try syncing.before(repository, quiet: global.quiet)
        let imported = try ImprovementRecorder.importMetrics(path: file, signer: signer, in: repository)
        let count = imported.file.measurements.count
        let environments = Set(imported.file.measurements.map(\.environment)).sorted()
        print(
          "imported \(count) measurement\(count == 1 ? "" : "s") for \(environments.joined(separator: ", ")) "
            + "(sha256 \(imported.file.sha256.prefix(16))…); recorded \(imported.record.event.summary)")
        for (new, old) in imported.superseded {
          print(
            "  supersedes \(new.metric) of \(new.environment) for \(new.periodLabel): "
              + "\(old.measurement.valueText) (imported by #\(old.sequence), \(old.actor)) is now \(new.valueText)"
          )
        }
        if !global.quiet { print("ledger \(RefName.ledger) is now \(imported.record.commit.short())") }
        try syncing.after(repository, quiet: global.quiet)
      }
    }
  }
}
