import Foundation
import Git

/// `promptgate release`: run the gates against the environment's deployed release and, if they
/// pass, record the release (the ledger's compare-and-swap is the commit point) and move the
/// environment's mirror ref. A failed attempt is recorded as `blocked`.
public enum ReleaseAction {
  public enum Outcome: String, Sendable {
    case released, blocked
    case alreadyDeployed = "already-deployed"
    case wouldRelease = "would-release"
    case wouldBlock = "would-block"
  }

  public struct Result: Sendable {
    public let outcome: Outcome
    public let report: CheckReport?
    public let record: Ledger.Record?
    public let mirror: EnvironmentMirror.Outcome?
  }

  public static func release(
    _ commit: Commit, environment: String, dryRun: Bool, in repository: Repository, now: Date = Date()
  ) throws(PromptgateError) -> Result {
    let ledger = Ledger(repository)
    let decidedOn = try ledger.head()
    let state = try EnvironmentState(environment, ledger: ledger)
    try EnvironmentMirror.bringInLine(
      state, in: repository, message: "promptgate: repair the mirror of \(environment)")
    if state.deployed?.commit == commit.id.hex {
      return Result(outcome: .alreadyDeployed, report: nil, record: nil, mirror: nil)
    }
    if let reason = state.badReason(commit.id.hex) {
      throw PromptgateError(
        .blocked,
        "\(commit.id.short()) was \(reason) in \(environment); it cannot be released there again without "
          + "--override")
    }
    let base = try state.deployed.map { release throws(PromptgateError) in
      guard let id = ObjectID(hex: release.commit), let base = try? repository.commit(id) else {
        throw PromptgateError.input(
          "the release deployed in \(environment), \(release.commit.prefix(7)), is not in this clone; "
            + "fetch it (git fetch origin \(release.commit))")
      }
      return base
    }
    if let base, base.id != commit.id, repository.isDescendant(base.id, of: commit.id) {
      throw PromptgateError(
        .blocked,
        "\(commit.id.short()) is older than \(base.id.short()), deployed in \(environment); going back is a "
          + "rollback: promptgate rollback --env \(environment) --to \(commit.id.short()) --reason <why>")
    }
    let trusted = try GateEngine.trustedCommit(release: commit, base: base, in: repository)
    let approvals = try LedgerApprovals(
      ledger: ledger, release: commit, base: base, trustedCommit: trusted, now: now)
    let report = try GateEngine.check(
      commit, base: base, environment: environment, approvals: approvals,
      pendingRollback: state.pendingRollback,
      in: repository)
    if dryRun {
      return Result(
        outcome: report.passed ? .wouldRelease : .wouldBlock, report: report, record: nil, mirror: nil)
    }
    let actor = Self.actor(in: repository)
    let release = LedgerEvent.Release(commit: commit.id.hex, tree: commit.tree.hex)
    let repositoryID = try RepositoryIdentity.root(of: commit, in: repository)
    let gates = JSONValue.array(
      report.gates.map { .object(["id": .string($0.id), "status": .string($0.status.rawValue)]) })
    var details: [String: JSONValue] = [
      "base": base.map { .object(["commit": .string($0.id.hex), "tree": .string($0.tree.hex)]) } ?? .null,
      "gates": gates,
    ]
    if !report.passed {
      details["failed"] = .array(report.blockingFailures.map { .string($0.id) })
    }
    let record = try ledger.append(independent: false, decidedOn: .some(decidedOn)) { sequence in
      (
        LedgerEvent(
          kind: report.passed ? .release : .blocked, sequence: sequence, time: Ledger.timestamp(now),
          actor: actor,
          environment: environment, release: release, repository: repositoryID, details: details),
        nil
      )
    }
    guard report.passed else {
      return Result(outcome: .blocked, report: report, record: record, mirror: nil)
    }
    let moved = try EnvironmentMirror.bringInLine(
      try EnvironmentState(environment, ledger: ledger), in: repository,
      message: "promptgate: release \(commit.id.short()) (ledger #\(record.event.sequence))")
    return Result(outcome: .released, report: report, record: record, mirror: moved)
  }

  /// Who runs promptgate: git's configured identity, else the login name.
  static func actor(in repository: Repository) -> String {
    if let identity = repository.configuredIdentity() { return "\(identity.name) <\(identity.email)>" }
    let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    return "\(user) <\(user)@localhost>"
  }
}
