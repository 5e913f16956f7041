import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The environments as an operator reads them (SPEC §3): in the promotion order the runbook of
/// the newest release declares, then any others the ledger has events for. For each, when the
/// release it runs may go on to the environment that comes `after` it, and where a rollback
/// would go.
public struct EnvironmentPipeline: Sendable {
  /// Declared environments first, in promotion order, then undeclared ones, sorted.
  public let names: [String]
  public let declared: [Runbook.Environment]

  public init(ledger: Ledger, in repository: Repository) throws(PromptgateError) {
    let deployed = try ReleaseBasis.deployedNow(ledger)
    let newest = deployed.max { $0.value.since < $1.value.since }?.value.release
    let commit = newest.flatMap { ObjectID(hex: $0.commit) }.flatMap { try? repository.commit($0) }
    let declared =
      try commit.flatMap { commit throws(PromptgateError) in
        try Runbook.load(from: commit, in: repository)?.runbook?.environments
      } ?? []
    let recorded = try ledger.environments()
    self.declared = declared
    names = declared.map(\.name) + recorded.filter { name in !declared.contains { $0.name == name } }
  }

  /// Refuses a name the runbook does not declare (when it declares any), before anything is
  /// recorded, naming the nearest declared one.
  public func refuseUndeclared(_ name: String) throws(PromptgateError) {
    let names = declared.map(\.name)
    guard !names.isEmpty, !names.contains(name) else { return }
    let hint = Suggestion.closest(to: name, among: names).map { "did you mean `\($0)`? " } ?? ""
    throw PromptgateError.input(
      "`\(name)` is not an environment \(Runbook.path) of the newest release declares: \(hint)it declares "
        + "\(names.joined(separator: ", ")) (in promotion order); nothing was recorded")
  }

  /// Why the pipeline deserves a warning: no declared environments, or events in undeclared ones.
  public func warnings(recorded: [String]) -> [String] {
    guard !declared.isEmpty else {
      return recorded.isEmpty
        ? []
        : [
          "\(Runbook.path) declares no environments: any name is accepted, so a typo starts a new environment; "
            + "declare them under `environments:` in promotion order"
        ]
    }
    return recorded.filter { name in !declared.contains { $0.name == name } }.map {
      "\($0) has events but \(Runbook.path) does not declare it"
    }
  }

  /// When the release `state` runs may go to each environment that comes after it.
  public func promotions(from state: EnvironmentState) -> [String] {
    guard let deployed = state.deployed,
      let deployment = state.deployments.last(where: { $0.release == deployed && $0.bad == nil }),
      let since = Timestamp.date(deployment.time)
    else { return [] }
    return declared.filter { $0.after == state.name }.map { next in
      let soak = next.soakMinutes ?? 0
      let ready = since.addingTimeInterval(Double(soak) * 60)
      let when = ready <= Date() ? "now" : "from \(Ledger.timestamp(ready)) (soaking \(soak) minutes)"
      return "\(next.name) may take \(deployed.commit.prefix(7)) \(when)"
    }
  }
}

extension EnvironmentState {
  /// The release a rollback would go back to now, and what it would skip: the same choice
  /// `rollback` makes.
  public var rollbackTarget: Deployment? {
    deployments.reversed().first { $0.release != deployed && $0.bad == nil }
  }
}
