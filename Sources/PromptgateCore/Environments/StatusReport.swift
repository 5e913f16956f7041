import Git

/// What `status` found, as its JSON prints it.
public struct StatusReport: Encodable, Sendable {
  public struct LedgerSummary: Encodable, Sendable {
    public let reference: String
    public let head: String?
    public let events: Int
    public let verified: Bool
    public let problems: [String]
  }

  public struct Revision: Encodable, Sendable {
    public let revision: String
    public let commit: String
  }

  public let ledger: LedgerSummary
  public let release: Revision?
  public let environments: [EnvironmentStatus]
  public let warnings: [String]
  /// The evidence recorded for the release's content, newest of each kind.
  public let evidence: [RecordedEvidence]
  /// The service reviews `improvement.review_cadence` asks for: the next due, those overdue.
  public let review: ImprovementHistory.ReviewDue?

  /// Verifies the events added since the last run, then describes each environment (`only`,
  /// or every one in promotion order). `release` is the revision whose open checkpoints to
  /// show; `repair` moves lagging mirrors, and only once the ledger verified.
  public init(
    ledger: Ledger, release: (revision: String, commit: Commit)?, environments only: [String]?, repair: Bool,
    in repository: Repository
  ) throws(PromptgateError) {
    let audit = try LedgerAudit.verifyNewEvents(ledger)
    let pipeline = try EnvironmentPipeline(ledger: ledger, in: repository)
    var environments: [EnvironmentStatus] = []
    for name in only ?? pipeline.names {
      environments.append(
        try EnvironmentStatus(
          name, head: release?.commit, ledger: ledger, pipeline: pipeline, repair: repair && audit.verified,
          in: repository))
    }
    self.ledger = LedgerSummary(
      reference: RefName.ledger, head: audit.head, events: audit.events, verified: audit.verified,
      problems: audit.problems.map(\.message))
    self.release = release.map { Revision(revision: $0.revision, commit: $0.commit.id.hex) }
    self.environments = environments
    self.evidence = release.map { EvidenceRecorder.newest(forTree: $0.commit.tree.hex, ledger: ledger) } ?? []
    // The review reminder never stops status from describing the environments.
    let review = (try? ImprovementRecorder.reviewDue(ledger)) ?? nil
    self.review = review
    self.warnings =
      pipeline.warnings(recorded: try ledger.environments()) + (review.map(ReviewDueWarning.lines) ?? [])
  }
}

/// One environment: deployed, last good, bad releases, the branch head's open checkpoints.
public struct EnvironmentStatus: Encodable, Sendable {
  public struct Deployed: Encodable, Sendable {
    public let commit: String
    public let sequence: Int?
    public let time: String?
    public let actor: String?
    public let byRollback: Bool

    enum CodingKeys: String, CodingKey {
      case commit, sequence, time, actor
      case byRollback = "by_rollback"
    }
  }

  public struct Bad: Encodable, Sendable {
    public let commit: String
    public let reason: String
  }

  /// The branch head judged against what is deployed.
  public struct Head: Encodable, Sendable {
    public let commit: String
    public let deployed: Bool
    public let passes: Bool
    public let openCheckpoints: [String]
    public let otherFailures: [String]
    /// Why the head could not be judged, when it could not.
    public var problem: String? = nil

    enum CodingKeys: String, CodingKey {
      case commit, deployed, passes, problem
      case openCheckpoints = "open_checkpoints"
      case otherFailures = "other_failures"
    }
  }

  public let name: String
  public let deployed: Deployed?
  public let lastGood: Deployed?
  public let bad: [Bad]
  public let head: Head?
  public let mirror: String
  /// Where a rollback would go now.
  public let rollbackTo: Deployed?
  /// When what runs here may go on to the environments that come after this one.
  public let promotions: [String]

  enum CodingKeys: String, CodingKey {
    case name, deployed, bad, head, mirror, promotions
    case lastGood = "last_good"
    case rollbackTo = "rollback_to"
  }

  init(
    _ name: String, head: Commit?, ledger: Ledger, pipeline: EnvironmentPipeline, repair: Bool,
    in repository: Repository
  ) throws(PromptgateError) {
    let state = try EnvironmentState(name, ledger: ledger)
    promotions = pipeline.promotions(from: state)
    let mirror =
      repair
      ? try EnvironmentMirror.followLedger(
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
        "is locked: \(RepositoryLookup.staleLock(of: state.reference, in: repository))"
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
