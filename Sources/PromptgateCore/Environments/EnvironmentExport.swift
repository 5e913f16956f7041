import Git

extension ReleaseExport {
  /// Exports what `environment` runs, with the fallback bundle its runbook's strategy needs
  /// (the last good earlier release, the static response, or the handoff queue) and, in
  /// `release.json`, the provenance the ledger records for it (``ExportProvenance``).
  public static func export(
    environment: String, in repository: Repository, to folder: String, replace: Bool
  ) throws(PromptgateError) -> (commit: Commit, result: Result, notes: [String]) {
    // Nothing is exported on the word of an event that fails the audit (SPEC §7).
    let ground = try EnvironmentMove.Ground(environment, in: repository)
    let commit = try deployedCommit(of: ground.state, in: repository)
    let (bundle, notes) = try fallback(for: commit, in: ground.state, repository: repository)
    let provenance = try ExportProvenance.of(ground.state, ledger: ground.ledger, in: repository)
    let result = try export(
      commit, environment: environment, in: repository, to: folder, replace: replace, fallback: bundle,
      provenance: provenance)
    return (commit, result, notes)
  }

  /// The commit `state` runs; blocked when nothing runs there or this clone lacks it.
  static func deployedCommit(of state: EnvironmentState, in repository: Repository) throws(PromptgateError)
    -> Commit
  {
    let environment = state.name
    guard let deployed = state.deployed, let id = ObjectID(hex: deployed.commit),
      let commit = try? repository.commit(id)
    else {
      throw PromptgateError(
        .blocked,
        state.deployed == nil
          ? "nothing is deployed in \(environment) yet, so there is nothing to export"
          : "the release deployed in \(environment) is not in this clone; fetch it")
    }
    return commit
  }

  /// The fallback bundle `commit`'s runbook asks for in the environment `state` describes, with
  /// a note when none can be bundled. An export and its verification both take it from here.
  static func fallback(for commit: Commit, in state: EnvironmentState, repository: Repository)
    throws(PromptgateError) -> (bundle: FallbackBundle?, notes: [String])
  {
    let environment = state.name
    var notes: [String] = []
    var bundle: FallbackBundle?
    let fallback = try Runbook.load(from: commit, in: repository)?.runbook?.fallback
    switch fallback?.strategy {
    case .previousRelease:
      let earlier = state.deployments.last { $0.bad == nil && $0.release.commit != commit.id.hex }
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
    return (bundle, notes)
  }
}
