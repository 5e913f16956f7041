import Git

/// What judges a release (SPEC §3): the base it is compared with, and the commit whose runbook,
/// gates and keys judge it. `check`, `approvals`, `status`, `release` and `audit verify` all
/// take it from here, so they can never disagree on which rules apply.
///
/// - An environment that runs something: what it runs.
/// - An environment that runs nothing yet: what runs in the environment it comes `after`, else
///   the newest release of any environment. A new environment is never a way around the rules.
/// - A ledger with no release at all: the repository's first release, judged by its own rules,
///   and it says so.
/// - A base whose runbook cannot be read fails closed: nothing is judged by its own rules
///   because its base is broken.
public struct ReleaseBasis: Sendable {
  public let base: Commit?
  /// The commit whose rules and keys judge: the base, or the release itself for a first release.
  public let rules: Commit
  /// How the base was chosen, in words, for the reports.
  public let note: String

  /// True when the release judges itself: the repository's first release.
  public var judgesItself: Bool { base == nil || rules.id != base?.id }

  /// What each environment runs, as of a point in the ledger: the release and the sequence
  /// number of the event that put it there.
  public typealias Deployed = [String: (release: LedgerEvent.Release, since: Int)]

  /// The basis for what a command was given: an explicit base, else the environment's, else
  /// the newest release of any environment.
  public static func resolve(
    release: Commit, base: Commit?, environment: String?, ledger: Ledger, in repository: Repository
  ) throws(PromptgateError) -> ReleaseBasis {
    if let base { return try explicit(base, release: release, ledger: ledger, in: repository) }
    if let environment {
      return try forEnvironment(environment, release: release, ledger: ledger, in: repository)
    }
    return try latest(release: release, ledger: ledger, in: repository)
  }

  /// The basis of `release` for `environment` as the ledger stands now.
  public static func forEnvironment(
    _ environment: String, release: Commit, ledger: Ledger, in repository: Repository
  ) throws(PromptgateError) -> ReleaseBasis {
    try forEnvironment(environment, release: release, deployed: try deployedNow(ledger), in: repository)
  }

  /// The basis of `release` for `environment`, given what each environment runs. An
  /// environment the judging runbook does not declare (when it declares any) is refused here,
  /// before anything is recorded, naming the nearest declared one.
  public static func forEnvironment(
    _ environment: String, release: Commit, deployed: Deployed, in repository: Repository
  ) throws(PromptgateError) -> ReleaseBasis {
    let basis = try choose(environment, release: release, deployed: deployed, in: repository)
    let declared = try Runbook.load(from: basis.rules, in: repository)?.runbook?.environments ?? []
    if !declared.isEmpty, !declared.contains(where: { $0.name == environment }) {
      let names = declared.map(\.name)
      let hint = Suggestion.closest(to: environment, among: names).map { "did you mean `\($0)`? " } ?? ""
      throw PromptgateError.input(
        "`\(environment)` is not an environment \(Runbook.path) of \(basis.rules.id.short()) declares: \(hint)it "
          + "declares \(names.joined(separator: ", ")) (in promotion order); nothing was recorded")
    }
    return basis
  }

  private static func choose(
    _ environment: String, release: Commit, deployed: Deployed, in repository: Repository
  ) throws(PromptgateError) -> ReleaseBasis {
    if let own = deployed[environment] {
      return try judged(
        by: try commit(own.release, in: repository), release: release, firstRelease: false,
        how: "the release deployed in \(environment)", in: repository)
    }
    guard let newest = newest(deployed) else {
      return firstRelease(release)
    }
    let newestCommit = try commit(newest.value.release, in: repository)
    // The newest release's runbook says in which order environments are promoted.
    let after = try Runbook.load(from: newestCommit, in: repository)?.runbook?.environment(environment)?.after
    if let after, let previous = deployed[after] {
      return try judged(
        by: try commit(previous.release, in: repository), release: release, firstRelease: false,
        how: "the release deployed in \(after), which \(environment) comes after (nothing is deployed in "
          + "\(environment) yet)", in: repository)
    }
    return try judged(
      by: newestCommit, release: release, firstRelease: false,
      how: "the newest release of any environment (\(newest.key), #\(newest.value.since)), as nothing is "
        + "deployed in \(environment) yet", in: repository)
  }

  /// The basis of `release` without an environment: the newest release of any environment,
  /// or the release itself when nothing was ever released.
  public static func latest(release: Commit, ledger: Ledger, in repository: Repository)
    throws(PromptgateError)
    -> ReleaseBasis
  {
    guard let newest = newest(try deployedNow(ledger)) else { return firstRelease(release) }
    return try judged(
      by: try commit(newest.value.release, in: repository), release: release, firstRelease: false,
      how: "the newest release of any environment (\(newest.key), #\(newest.value.since)); give --env or "
        + "--base to judge against another", in: repository)
  }

  /// The basis for an explicit `--base`: its rules judge. A base without a runbook judges only
  /// while nothing was ever released (a repository adopting promptgate).
  public static func explicit(_ base: Commit, release: Commit, ledger: Ledger, in repository: Repository)
    throws(PromptgateError) -> ReleaseBasis
  {
    try judged(
      by: base, release: release, firstRelease: newest(try deployedNow(ledger)) == nil,
      how: "given with --base", in: repository)
  }

  /// What each environment runs now.
  public static func deployedNow(_ ledger: Ledger) throws(PromptgateError) -> Deployed {
    var deployed: Deployed = [:]
    for name in try ledger.environments() {
      let commits = try ledger.environmentCommits(name)
      if let known = EnvironmentStateCache.deployed(name, ledger: ledger, matching: commits) {
        if let known { deployed[name] = known }
        continue
      }
      let state = try EnvironmentState(name, ledger: ledger)
      if let release = state.deployed, let since = state.deployedBy { deployed[name] = (release, since) }
    }
    return deployed
  }

  private static func newest(_ deployed: Deployed) -> Deployed.Element? {
    deployed.max { $0.value.since < $1.value.since }
  }

  private static func firstRelease(_ release: Commit) -> ReleaseBasis {
    ReleaseBasis(
      base: nil, rules: release,
      note: "the repository's first release (the ledger records none): judged by its own rules")
  }

  private static func judged(
    by base: Commit, release: Commit, firstRelease: Bool, how: String, in repository: Repository
  ) throws(PromptgateError) -> ReleaseBasis {
    let loaded = try Runbook.load(from: base, in: repository)
    if loaded?.runbook != nil {
      return ReleaseBasis(
        base: base, rules: base,
        note: "judged by the rules of the base \(base.id.short()), \(how): its runbook roles, checkpoints, "
          + "gates and keys")
    }
    if loaded == nil && firstRelease {
      return ReleaseBasis(
        base: base, rules: release,
        note:
          "the base \(base.id.short()) has no \(Runbook.path) and nothing was ever released: judged by its "
          + "own rules, as the first gated release")
    }
    let why = loaded?.diagnostics.first.map { ": \($0.formatted)" } ?? ": it has no \(Runbook.path)"
    throw PromptgateError(
      .blocked,
      "the runbook of the base \(base.id.short()) (\(how)) cannot be read\(why); a release is never judged by "
        + "its own rules instead, so this fails closed")
  }

  private static func commit(_ release: LedgerEvent.Release, in repository: Repository)
    throws(PromptgateError)
    -> Commit
  {
    guard let id = ObjectID(hex: release.commit), let commit = try? repository.commit(id) else {
      throw PromptgateError.input(
        "the release \(release.commit.prefix(7)), which judges this one, is not in this clone; fetch it "
          + "(git fetch origin \(release.commit))")
    }
    return commit
  }
}
