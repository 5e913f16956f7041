import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate release <rev> --env <env>`: gate, record, move the environment (SPEC §6, §7).
  struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run the gates against the environment's deployed release and, if they pass, release.",
      discussion: """
        The release is recorded in refs/promptgate/ledger (that compare-and-swap is the commit \
        point) and refs/promptgate/environments/<env> is moved to it. A release that fails its \
        gates is recorded as blocked and moves nothing (exit 1). Going back to an older release is \
        a rollback. Exit 3: another writer moved the ledger first; nothing was written.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The release: any revision git understands.")
    var release: String

    @Option(help: "The environment to release into (staging, production...).")
    var env: String

    @Flag(help: "Show what would happen; write nothing.")
    var dryRun = false

    func run() throws {
      let repository = try global.openRepository()
      let commit = try RepositoryAccess.commit(release, in: repository)
      let result = try ReleaseAction.release(commit, environment: env, dryRun: dryRun, in: repository)
      let style = global.style
      if let report = result.report, !global.quiet {
        print(CheckTextFormatter(style: style).format(report, names: CheckNames(release: release, base: nil)))
      }
      switch result.outcome {
      case .alreadyDeployed:
        print("\(commit.id.short()) is already deployed in \(env); nothing to do")
      case .wouldRelease:
        print("dry run: \(commit.id.short()) would be released to \(env); nothing was written")
      case .wouldBlock:
        print("dry run: \(commit.id.short()) would be blocked in \(env); nothing was written")
        throw ExitCode(1)
      case .blocked:
        print(
          style.red("blocked")
            + ": recorded \(result.record?.event.summary ?? "the attempt"); \(env) did not move")
        throw ExitCode(1)
      case .released:
        print(style.green("released") + ": \(result.record?.event.summary ?? commit.id.short())")
        if result.mirror == .locked {
          Output.warning(
            "refs/promptgate/environments/\(env) is locked by another process; the next promptgate command "
              + "will bring it in line with the ledger")
        }
      }
    }
  }
}
