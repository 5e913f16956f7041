import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate status [--env <env>]`: what is deployed where, and what is good.
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show each environment's deployed release, its last good release, and the ledger's state.",
      discussion: "Brings an environment ref that lags behind the ledger back in line."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this environment.")
    var env: String?

    func run() throws {
      let repository = try global.openRepository()
      let ledger = Ledger(repository)
      let head = try ledger.head()
      let style = global.style
      let names = try env.map { [$0] } ?? ledger.environments()
      let count = try ledger.count()
      let summary =
        head.map { "\(count) events, head \($0.short()), continuous with what this clone saw" }
        ?? "no events yet"
      print(style.bold("ledger") + " \(Ledger.reference): " + summary)
      if names.isEmpty { print("no environment has a release yet; promptgate release <rev> --env <env>") }
      for name in names {
        let state = try EnvironmentState(name, ledger: ledger)
        let mirror = try EnvironmentMirror.bringInLine(
          state, in: repository, message: "promptgate: repair the mirror of \(name)")
        print("")
        print(style.bold(name))
        if let deployed = state.deployments.last(where: { $0.release == state.deployed }) {
          print(
            "  deployed   \(deployed.release.commit.prefix(7)) (#\(deployed.sequence), \(deployed.time), \(deployed.actor))"
          )
        } else if let deployed = state.deployed {
          print("  deployed   \(deployed.commit.prefix(7)) (by a rollback)")
        } else {
          print("  deployed   nothing yet")
        }
        if let good = state.lastGood {
          print("  last good  \(good.release.commit.prefix(7)) (#\(good.sequence))")
        } else {
          print("  last good  none")
        }
        for deployment in state.deployments {
          guard let reason = deployment.bad else { continue }
          print(style.dim("  bad        \(deployment.release.commit.prefix(7)): \(reason)"))
        }
        switch mirror {
        case .inLine: print("  mirror     \(state.reference) in line")
        case .moved: print("  mirror     \(state.reference) was behind the ledger; brought in line")
        case .locked: print("  mirror     \(state.reference) is locked by another process")
        }
      }
    }
  }
}
