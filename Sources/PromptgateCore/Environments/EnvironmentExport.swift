import Git

extension ReleaseExport {
  /// Exports what `environment` runs, with the fallback bundle its runbook's strategy needs:
  /// the last good earlier release, the static response, or the handoff queue.
  public static func export(
    environment: String, in repository: Repository, to folder: String, replace: Bool
  ) throws(PromptgateError) -> (commit: Commit, result: Result, notes: [String]) {
    // Nothing is exported on the word of an event that fails the audit (SPEC §7).
    let state = try EnvironmentMove.Ground(environment, in: repository).state
    guard let deployed = state.deployed, let id = ObjectID(hex: deployed.commit),
      let commit = try? repository.commit(id)
    else {
      throw PromptgateError(
        .blocked,
        state.deployed == nil
          ? "nothing is deployed in \(environment) yet, so there is nothing to export"
          : "the release deployed in \(environment) is not in this clone; fetch it")
    }
    var notes: [String] = []
    var bundle: FallbackBundle?
    let fallback = try Runbook.load(from: commit, in: repository)?.runbook?.fallback
    switch fallback?.strategy {
    case .previousRelease:
      let earlier = state.deployments.last { $0.bad == nil && $0.release.commit != deployed.commit }
      if let earlier, let earlierID = ObjectID(hex: earlier.release.commit),
        let earlierCommit = try? repository.commit(earlierID)
      {
        bundle = .previousRelease(earlierCommit)
      } else {
        notes.append(
          "the runbook falls back to the previous release, and \(environment) has no good earlier one")
      }
    case .staticResponse:
      if let path = fallback?.response { bundle = .staticResponse(path: path) }
    case .humanHandoff:
      if let queue = fallback?.queue { bundle = .humanHandoff(queue: queue) }
    case nil:
      notes.append("the deployed release's runbook declares no fallback; none is bundled")
    }
    let result = try export(
      commit, environment: environment, in: repository, to: folder, replace: replace, fallback: bundle)
    return (commit, result, notes)
  }
}
