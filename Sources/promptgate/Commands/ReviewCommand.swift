import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate review`: the service review `improvement.review_cadence` asks for, signed.
  struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "review",
      abstract: "Record the service review of a month: what was found and the actions agreed, signed.",
      discussion: """
        Signed with --key by a role of improvement.review_roles (default: service-manager) in the \
        runbook in force: that of the newest release deployed. status says when the next review \
        is due (a period's review is due by the end of the period after it) and flags an overdue \
        one; report lists reviews held and missed.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var signing: SigningOptions

    @OptionGroup var syncing: SyncOption

    @Option(help: ArgumentHelp("The month the review looks back on.", valueName: "YYYY-MM"))
    var period: String

    @Option(help: "What the review found, in a sentence or two.")
    var summary: String

    @Option(help: "An action agreed (repeat for several).")
    var action: [String] = []

    func run() throws {
      let repository = try global.openRepository()
      let signer = try signing.requiredSigner(for: "a service review")
      try syncing.before(repository, quiet: global.quiet)
      let (record, earlier) = try ImprovementRecorder.holdReview(
        period: period, summary: summary, actions: action, signer: signer, in: repository)
      print("recorded \(record.event.summary)")
      for review in earlier {
        print(
          "  follows the review of \(review.period) already recorded as #\(review.sequence) by \(review.actor)"
        )
      }
      if !global.quiet { print("ledger \(RefName.ledger) is now \(record.commit.short())") }
      try syncing.after(repository, quiet: global.quiet)
    }
  }
}
