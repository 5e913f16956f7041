import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// An environment's events folded into what it holds (SPEC §3): the deployed release, every
/// deployment with why it went bad, the quarantine, and a rollback still waiting for an answer.
/// Cached per clone, with the number of events folded and the last one's commit: a cache is
/// used only if the environment's event list still has that commit at that place, which holds
/// exactly when the ledger grew on top of what was folded.
struct EnvironmentStateCache {
  var count = 0
  var through: ObjectID?
  var deployed: LedgerEvent.Release?
  /// The sequence number of the event that made `deployed` what the environment runs.
  var deployedBy: Int?
  var deployments: [EnvironmentState.Deployment] = []
  var quarantine: [String: String] = [:]
  /// The commit of the rollback that was the environment's last move, if it was one.
  var pendingRollback: ObjectID?

  mutating func add(_ record: Ledger.Record) {
    count += 1
    through = record.commit
    let event = record.event
    switch event.kind {
    case .release, .override:
      guard let release = event.release else { return }
      deployed = release
      deployedBy = event.sequence
      pendingRollback = nil
      // A signed override of a bad release is a deliberate decision: it is good again until
      // rolled back from or marked bad anew.
      if event.kind == .override { quarantine[release.commit] = nil }
      deployments.append(
        EnvironmentState.Deployment(
          release: release, sequence: event.sequence, time: event.time, actor: event.actor,
          override: event.kind == .override, bad: nil))
    case .rollback:
      if let from = event.rolledBackFrom?.commit {
        markBad(from, "rolled back by #\(event.sequence)")
      }
      deployed = event.release
      deployedBy = event.sequence
      pendingRollback = record.commit
    case .markBad:
      if let commit = event.release?.commit { markBad(commit, "marked bad by #\(event.sequence)") }
    case .blocked, .approval, .rejection, .evidence, .metrics, .review:
      return
    }
  }

  private mutating func markBad(_ commit: String, _ reason: String) {
    if quarantine[commit] == nil { quarantine[commit] = reason }
    for index in deployments.indices
    where deployments[index].release.commit == commit && deployments[index].bad == nil {
      deployments[index].bad = reason
    }
  }

  // MARK: - The cache

  private static let version: Int64 = 2

  fileprivate static func file(_ name: String, ledger: Ledger) -> String {
    ledger.state.folder + "/environments/\(name).json"
  }

  /// The folds this process already read or made: a command asks for an environment several
  /// times (to decide, to find the basis, to mirror), and reading its file once is enough. Each
  /// is used only if it was made from a prefix of the environment's events, as the file is.
  static let memory = Memory()

  final class Memory: Sendable {
    private let folds = Locked<[String: EnvironmentStateCache]>([:])

    func recall(_ name: String, ledger: Ledger, matching commits: [ObjectID]) -> EnvironmentStateCache? {
      guard let fold = folds.withLock({ $0[EnvironmentStateCache.file(name, ledger: ledger)] }),
        fold.count > 0,
        fold.count <= commits.count, commits[fold.count - 1] == fold.through
      else { return nil }
      return fold
    }

    func keep(_ fold: EnvironmentStateCache, _ name: String, ledger: Ledger) {
      folds.withLock { $0[EnvironmentStateCache.file(name, ledger: ledger)] = fold }
    }
  }

  /// The cached fold, if it was made from a prefix of `commits`.
  static func load(_ name: String, ledger: Ledger, matching commits: [ObjectID]) -> EnvironmentStateCache? {
    guard let bytes = LocalFile.bytes(atPath: file(name, ledger: ledger)),
      let json = try? JSONValue(parsing: bytes), json["version"]?.integer == version,
      let fold = EnvironmentStateCache(json: json), fold.count > 0, fold.count <= commits.count,
      commits[fold.count - 1] == fold.through
    else { return nil }
    return fold
  }

  /// Writes the fold for the next command, and beside it what it deploys alone (a few bytes
  /// every command that looks at all environments reads instead of every deployment); a
  /// cache, so a failure only costs time later.
  func save(_ name: String, ledger: Ledger) {
    guard let through, case .object(var members) = json else { return }
    members["version"] = .integer(Self.version)
    let path = Self.file(name, ledger: ledger)
    try? FileManager.default.createDirectory(
      atPath: Paths.parent(of: path), withIntermediateDirectories: true)
    try? LedgerContinuity.atomicWrite(JSONValue.object(members).canonical, to: path)
    let summary = JSONValue.object([
      "version": .integer(Self.version), "count": .integer(Int64(count)), "through": .string(through.hex),
      "deployed": deployed?.json ?? .null, "deployed_by": deployedBy.map { .integer(Int64($0)) } ?? .null,
    ])
    try? LedgerContinuity.atomicWrite(summary.canonical, to: Self.summaryFile(name, ledger: ledger))
  }

  fileprivate static func summaryFile(_ name: String, ledger: Ledger) -> String {
    ledger.state.folder + "/environments/\(name).deployed.json"
  }

  /// True when the summary `save` writes is there (a cache of an earlier version lacks it).
  static func hasSummary(_ name: String, ledger: Ledger) -> Bool {
    FileManager.default.fileExists(atPath: summaryFile(name, ledger: ledger))
  }

  /// What the environment deploys, from the summary `save` wrote, when it was made from all of
  /// `commits`; `.some(nil)` when it deploys nothing; nil when the summary cannot tell.
  static func deployed(_ name: String, ledger: Ledger, matching commits: [ObjectID]) -> (
    release: LedgerEvent.Release, since: Int
  )?? {
    if let fold = memory.recall(name, ledger: ledger, matching: commits), fold.count == commits.count {
      return .some(fold.deployed.flatMap { release in fold.deployedBy.map { (release, $0) } })
    }
    guard let bytes = LocalFile.bytes(atPath: summaryFile(name, ledger: ledger)),
      let json = try? JSONValue(parsing: bytes), json["version"]?.integer == version,
      let count = json["count"]?.integer.map(Int.init), count == commits.count, count > 0,
      json["through"]?.string == commits[count - 1].hex
    else { return nil }
    guard let release = json["deployed"].flatMap(Self.release), let since = json["deployed_by"]?.integer
    else { return .some(nil) }
    return .some((release, Int(since)))
  }

  /// An environment with no events yet.
  init() {}

  /// Reads a fold back from ``json``; nil when anything is malformed.
  init?(json: JSONValue) {
    guard let count = json["count"]?.integer.map(Int.init), count >= 0,
      case .array(let deploymentValues)? = json["deployments"],
      case .object(let quarantine)? = json["quarantine"]
    else { return nil }
    self.count = count
    through = json["through"]?.string.flatMap(ObjectID.init(hex:))
    deployed = json["deployed"].flatMap(Self.release)
    deployedBy = json["deployed_by"]?.integer.map(Int.init)
    pendingRollback = json["pending_rollback"]?.string.flatMap(ObjectID.init(hex:))
    for value in deploymentValues {
      guard let release = Self.release(value), let sequence = value["sequence"]?.integer,
        let time = value["time"]?.string, let actor = value["actor"]?.string,
        case .bool(let override)? = value["override"]
      else { return nil }
      deployments.append(
        EnvironmentState.Deployment(
          release: release, sequence: Int(sequence), time: time, actor: actor, override: override,
          bad: value["bad"]?.string))
    }
    for (commit, reason) in quarantine {
      guard let reason = reason.string else { return nil }
      self.quarantine[commit] = reason
    }
  }

  private static func release(_ value: JSONValue) -> LedgerEvent.Release? {
    guard let commit = value["commit"]?.string, let tree = value["tree"]?.string else { return nil }
    return LedgerEvent.Release(commit: commit, tree: tree)
  }

  /// The fold as JSON, for the caches.
  var json: JSONValue {
    .object([
      "count": .integer(Int64(count)), "through": through.map { .string($0.hex) } ?? .null,
      "deployed": deployed?.json ?? .null, "deployed_by": deployedBy.map { .integer(Int64($0)) } ?? .null,
      "deployments": .array(
        deployments.map { deployment in
          .object([
            "commit": .string(deployment.release.commit), "tree": .string(deployment.release.tree),
            "sequence": .integer(Int64(deployment.sequence)), "time": .string(deployment.time),
            "actor": .string(deployment.actor), "override": .bool(deployment.override),
            "bad": deployment.bad.map(JSONValue.string) ?? .null,
          ])
        }),
      "quarantine": .object(quarantine.mapValues(JSONValue.string)),
      "pending_rollback": pendingRollback.map { .string($0.hex) } ?? .null,
    ])
  }
}
