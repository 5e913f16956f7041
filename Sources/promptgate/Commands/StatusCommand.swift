import ArgumentParser
import Git
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Promptgate {
  /// `promptgate status [--env <env>]`: what is deployed where, what is good, what the branch
  /// head still needs, and whether the ledger verifies.
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Show each environment's deployed and last good release, the checkpoints still open for the "
        + "branch head, and whether the ledger verifies.",
      discussion: """
        The ledger is verified as audit verify does, but only the events added since the last \
        verification this clone made (the first time, all of them). An environment ref that lags \
        behind the ledger is reported; --repair brings it in line, once the ledger verifies. Exit 1 \
        when the ledger does not verify.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this environment.")
    var env: String?

    @Option(help: ArgumentHelp("The release whose open checkpoints to show.", valueName: "rev"))
    var release: String = "HEAD"

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Bring environment refs that lag behind the verified ledger in line.")
    var repair = false

    func run() throws {
      let repository = try global.openRepository()
      let ledger = Ledger(repository)
      // A repository without a branch yet (or a bare one without HEAD) has nothing to show.
      let head = try? repository.resolveCommit(release)
      if head == nil && release != "HEAD" {
        _ = try RepositoryLookup.commit(release, in: repository)
      }
      let status = try StatusReport(
        ledger: ledger, release: head.map { (release, $0) }, environments: env.map { [$0] }, repair: repair,
        in: repository)
      switch format {
      case .json: print(try Output.json(status, pretty: global.pretty))
      case .text: print(StatusTextFormatter(style: global.style).format(status), terminator: "")
      }
      if !status.ledger.verified { throw ExitCode(1) }
    }
  }
}
