import ArgumentParser
import Git
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Promptgate {
  /// `promptgate check [<rev>] [--base <rev>]`: runs every gate; writes nothing (SPEC §6).
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Run every gate on a release and say whether it may ship.",
      discussion: """
        The base's runbook, roles, checkpoints and gates judge the release (a change cannot \
        approve itself); the release's own runbook is what they judge. With --env and no --base, the \
        base is the release deployed there. With neither (or a first release) the release is judged \
        by its own rules, and the output says so. Exit codes: 0 the \
        gates pass, 1 blocked, 2 usage or input error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json, markdown, junit, sarif, github
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The release to check: any revision git understands.")
    var release: String = "HEAD"

    @Option(
      help: ArgumentHelp("What the release is compared with, and whose rules judge it.", valueName: "rev"))
    var base: String?

    @Option(help: "The environment: which checkpoints apply, and whose approvals count.")
    var env: String?

    @Option(help: "Output format: text, json, markdown, junit, sarif or github (workflow annotations).")
    var format: Format = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    func run() throws {
      // CI judges a release on a fresh clone: its objects are not hashed again as they are read
      // (``Libgit2/verifiesObjectsOnRead(_:)``).
      Libgit2.verifiesObjectsOnRead(false)
      let repository = try global.openRepository()
      let releaseCommit = try RepositoryLookup.commit(release, in: repository)
      let ledger = Ledger(repository)
      let state = try env.map { name throws(PromptgateError) in try EnvironmentState(name, ledger: ledger) }
      // The base is what the user names, else the environment's (SPEC §3): one rule everywhere.
      let basis = try ReleaseBasis.resolve(
        release: releaseCommit,
        base: try base.map { revision throws(PromptgateError) in
          try RepositoryLookup.commit(revision, in: repository)
        }, environment: env, ledger: ledger, in: repository)
      let report = try GateEngine.check(
        releaseCommit, basis: basis, environment: env, strict: strict, ledger: ledger,
        environmentState: state,
        in: repository)
      let names = CheckNames(release: release, base: base ?? basis.base.map { $0.id.short() })
      switch format {
      case .text: print(CheckTextFormatter(style: global.style).format(report, names: names), terminator: "")
      case .json: print(try Output.json(report, pretty: global.pretty))
      case .markdown: print(CheckMarkdownFormatter().format(report, names: names), terminator: "")
      case .junit: print(CheckJUnitFormatter().format(report, names: names), terminator: "")
      case .sarif: print(try CheckSARIFFormatter(pretty: global.pretty).format(report))
      case .github:
        print(CheckGitHubFormatter().annotations(report), terminator: "")
        try CheckGitHubFormatter().appendSummary(report, names: names)
      }
      if !report.passed { throw ExitCode(1) }
    }
  }
}

/// The revisions as the user typed them, for headings.
struct CheckNames {
  let release: String
  let base: String?
}
