import ArgumentParser
import Foundation
import Git
import PromptgateCore

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
      let audit = try LedgerAudit.verifyNewEvents(ledger)
      // A repository without a branch yet (or a bare one without HEAD) has nothing to show.
      let head = try? repository.resolveCommit(release)
      if head == nil && release != "HEAD" {
        _ = try RepositoryAccess.commit(release, in: repository)
      }
      let pipeline = try EnvironmentPipeline(ledger: ledger, in: repository)
      var environments: [EnvironmentStatus] = []
      for name in env.map({ [$0] }) ?? pipeline.names {
        environments.append(
          try EnvironmentStatus(
            name, head: head, ledger: ledger, pipeline: pipeline, repair: repair && audit.verified,
            in: repository))
      }
      let status = StatusReport(
        ledger: .init(
          reference: Ledger.reference, head: audit.head, events: audit.events, verified: audit.verified,
          problems: audit.problems.map(\.message)),
        release: head.map { .init(revision: release, commit: $0.id.hex) },
        environments: environments, warnings: pipeline.warnings(recorded: try ledger.environments()))
      switch format {
      case .json: print(try Output.json(status))
      case .text: print(StatusTextFormatter(style: global.style).format(status), terminator: "")
      }
      if !audit.verified { throw ExitCode(1) }
    }
  }
}

/// What `status` found, as its JSON prints it.
struct StatusReport: Encodable {
  struct LedgerSummary: Encodable {
    let reference: String
    let head: String?
    let events: Int
    let verified: Bool
    let problems: [String]
  }

  struct Revision: Encodable {
    let revision: String
    let commit: String
  }

  let ledger: LedgerSummary
  let release: Revision?
  let environments: [EnvironmentStatus]
  let warnings: [String]
}

/// One environment: deployed, last good, bad releases, the branch head's open checkpoints.
struct EnvironmentStatus: Encodable {
  struct Deployed: Encodable {
    let commit: String
    let sequence: Int?
    let time: String?
    let actor: String?
    let byRollback: Bool

    enum CodingKeys: String, CodingKey {
      case commit, sequence, time, actor
      case byRollback = "by_rollback"
    }
  }

  struct Bad: Encodable {
    let commit: String
    let reason: String
  }

  /// The branch head judged against what is deployed.
  struct Head: Encodable {
    let commit: String
    let deployed: Bool
    let passes: Bool
    let openCheckpoints: [String]
    let otherFailures: [String]
    /// Why the head could not be judged, when it could not.
    var problem: String? = nil

    enum CodingKeys: String, CodingKey {
      case commit, deployed, passes, problem
      case openCheckpoints = "open_checkpoints"
      case otherFailures = "other_failures"
    }
  }

  let name: String
  let deployed: Deployed?
  let lastGood: Deployed?
  let bad: [Bad]
  let head: Head?
  let mirror: String
  /// Where a rollback would go now.
  let rollbackTo: Deployed?
  /// When what runs here may go on to the environments that come after this one.
  let promotions: [String]

  enum CodingKeys: String, CodingKey {
    case name, deployed, bad, head, mirror, promotions
    case lastGood = "last_good"
    case rollbackTo = "rollback_to"
  }

  init(
    _ name: String, head: Commit?, ledger: Ledger, pipeline: EnvironmentPipeline, repair: Bool,
    in repository: Repository
  ) throws {
    let state = try EnvironmentState(name, ledger: ledger)
    promotions = pipeline.promotions(from: state)
    let mirror =
      repair
      ? try EnvironmentMirror.bringInLine(
        name, ledger: ledger, in: repository, message: "promptgate: repair the mirror of \(name)")
      : try EnvironmentMirror.outcome(state, in: repository)
    self.name = name
    func summary(_ deployment: EnvironmentState.Deployment) -> Deployed {
      Deployed(
        commit: deployment.release.commit, sequence: deployment.sequence, time: deployment.time,
        actor: deployment.actor, byRollback: false)
    }
    if let deployment = state.deployments.last(where: { $0.release == state.deployed }) {
      deployed = summary(deployment)
    } else {
      deployed = state.deployed.map {
        Deployed(commit: $0.commit, sequence: nil, time: nil, actor: nil, byRollback: true)
      }
    }
    lastGood = state.lastGood.map(summary)
    rollbackTo = state.rollbackTarget.map(summary)
    bad = state.deployments.compactMap { deployment in
      deployment.bad.map { Bad(commit: deployment.release.commit, reason: $0) }
    }
    self.mirror =
      switch mirror {
      case .inLine: "in line"
      case .moved:
        repair
          ? "was behind the ledger; brought in line" : "is behind the ledger; run promptgate status --repair"
      case .locked:
        "is locked: \(RepositoryAccess.staleLock(of: state.reference, in: repository))"
      case .missing(let commit):
        "waits: the deployed release \(commit.short()) is not in this clone; fetch it (git fetch origin \(commit.hex))"
      }
    guard let head else {
      self.head = nil
      return
    }
    if state.deployed?.commit == head.id.hex {
      self.head = Head(
        commit: head.id.hex, deployed: true, passes: true, openCheckpoints: [], otherFailures: [])
      return
    }
    let report: CheckReport
    do {
      let basis = try ReleaseBasis.forEnvironment(name, release: head, ledger: ledger, in: repository)
      report = try GateEngine.check(
        head, basis: basis, environment: name, ledger: ledger, environmentState: state, in: repository)
    } catch {
      self.head = Head(
        commit: head.id.hex, deployed: false, passes: false, openCheckpoints: [], otherFailures: [],
        problem: "cannot be judged here: \(error.message)")
      return
    }
    self.head = Head(
      commit: head.id.hex, deployed: false, passes: report.passed,
      openCheckpoints: report.openCheckpoints.map(\.message),
      otherFailures: report.blockingFailures.filter { !GateKind.countingApprovals.contains($0.kind) }.map(
        \.id))
  }
}
