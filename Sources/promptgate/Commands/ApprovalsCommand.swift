import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate approvals <rev> --env <env>`: each approval and why it counts or not.
  struct Approvals: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "approvals",
      abstract: "List a release's approvals per checkpoint, and why each counts or which rule it fails.",
      discussion: """
        The base's runbook, roles, allowed_signers and revoked_keys judge (the release's own only \
        for a first release). Exit 0 when every checkpoint that applies is approved, 1 otherwise.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The release: any revision git understands.")
    var release: String

    @Option(help: "The environment the approvals are for.")
    var env: String

    @Option(
      help: ArgumentHelp("What the release is compared with, and whose rules judge it.", valueName: "rev"))
    var base: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
      let repository = try global.openRepository()
      let releaseCommit = try RepositoryLookup.commit(release, in: repository)
      let baseCommit = try base.map { revision throws(PromptgateError) in
        try RepositoryLookup.commit(revision, in: repository)
      }
      let report = try ApprovalReport.build(
        release: releaseCommit, base: baseCommit, environment: env, in: repository)
      switch format {
      case .json: print(try Output.json(report, pretty: global.pretty))
      case .text: print(ApprovalsTextFormatter(style: global.style).format(report), terminator: "")
      }
      if !report.approved { throw ExitCode(1) }
    }
  }
}
