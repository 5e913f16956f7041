import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The provenance read from the ledger: the event that deployed the release, and, for the
/// release or override that let it in, the approvals that counted — judged as the audit judges
/// that event again (SPEC §7): by the rules of the base it recorded, with the approvals
/// recorded before it, at its own time.
extension ExportProvenance {
  /// What the ledger says of the release `state` runs; nil when nothing runs there. The caller
  /// has verified the ledger (``EnvironmentMove/Ground``): nothing here re-checks a signature.
  static func of(_ state: EnvironmentState, ledger: Ledger, in repository: Repository)
    throws(PromptgateError) -> ExportProvenance?
  {
    guard let deployed = state.deployed, let sequence = state.deployedBy else { return nil }
    let environment = state.name
    guard let record = try record(sequence, of: environment, ledger: ledger) else {
      throw PromptgateError(
        .blocked,
        "the ledger event #\(sequence) that deployed \(deployed.commit.prefix(7)) in \(environment) cannot be "
          + "found; run promptgate audit verify")
    }
    let event = Event(record)
    switch record.event.kind {
    case .release, .override:
      return ExportProvenance(
        event: event, releasedBy: nil, base: record.event.judgedAgainst,
        override: Self.override(of: record.event),
        approvals: try approvals(counting: record, ledger: ledger, in: repository), note: nil)
    case .rollback:
      // The deployment the rollback went back to: the last time this release went in here.
      let original = try state.deployments.last { $0.release == deployed && $0.sequence < sequence }
        .flatMap { deployment throws(PromptgateError) in
          try Self.record(deployment.sequence, of: environment, ledger: ledger)
        }
      guard let original else {
        return ExportProvenance(
          event: event, releasedBy: nil, base: nil, override: nil, approvals: [],
          note: "deployed by rollback #\(sequence); the release it went back to is not on record in "
            + "\(environment), so no approvals are listed")
      }
      return ExportProvenance(
        event: event, releasedBy: Event(original), base: original.event.judgedAgainst,
        override: Self.override(of: original.event),
        approvals: try approvals(counting: original, ledger: ledger, in: repository),
        note: "deployed by rollback #\(sequence) to what \(original.event.kind.rawValue) "
          + "#\(original.event.sequence) let into \(environment); base, override and approvals are those of "
          + "#\(original.event.sequence), not counted again")
    case .blocked, .approval, .rejection, .markBad, .evidence, .metrics, .review:
      throw PromptgateError(
        .blocked,
        "the ledger says #\(sequence), a \(record.event.kind.rawValue), deployed \(deployed.commit.prefix(7)) in "
          + "\(environment), and no such event deploys anything; run promptgate audit verify")
    }
  }

  /// The record of event `sequence` among the environment's, looked for from the newest.
  private static func record(_ sequence: Int, of environment: String, ledger: Ledger)
    throws(PromptgateError) -> Ledger.Record?
  {
    for commit in try ledger.environmentCommits(environment).reversed() {
      let record = try ledger.record(commit)
      if record.event.sequence == sequence { return record }
      if record.event.sequence < sequence { return nil }
    }
    return nil
  }

  private static func override(of event: LedgerEvent) -> Override? {
    guard event.kind == .override else { return nil }
    return Override(gates: event.failedGates, reason: event.reason ?? "")
  }

  /// The approvals that counted for the release or override in `record`: for every checkpoint
  /// that applied to the change (by its paths and environments, or as the checkpoint the
  /// `governance-change` gate asks for when governance changed), each approval
  /// ``LedgerApprovals`` counts, as it counted when the event was recorded.
  private static func approvals(counting record: Ledger.Record, ledger: Ledger, in repository: Repository)
    throws(PromptgateError) -> [Approval]
  {
    let event = record.event
    guard let environment = event.environment, let release = event.release,
      let time = Timestamp.date(event.time)
    else { return [] }
    let commit = try commit(release.commit, in: repository)
    let base = try event.judgedAgainst.map { base throws(PromptgateError) in
      try self.commit(base.commit, in: repository)
    }
    // The rules that judged it: the base's, or its own for the repository's first release.
    let baseRunbook = try base.flatMap { base throws(PromptgateError) in
      try Runbook.load(from: base, in: repository)
    }
    let rulesCommit = baseRunbook?.runbook != nil ? base ?? commit : commit
    let ownRunbook = try Runbook.load(from: commit, in: repository)?.runbook
    guard let rules = rulesCommit.id == commit.id ? ownRunbook : baseRunbook?.runbook else { return [] }

    let changed: [String]
    do {
      changed = try repository.diffTrees(base?.tree, commit.tree).flatMap { [$0.newPath, $0.oldPath] }
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "the change \(commit.id.short()) made to its base")
    }
    let checkpoints = rules.governance?.checkpoints ?? []
    var applied = Set(
      checkpoints.filter { checkpoint in
        if case .applies = checkpoint.scope(changedPaths: changed, environment: environment) { return true }
        return false
      }.map(\.name))
    let governanceChanged =
      changed.contains { $0.hasPrefix(".promptgate/") }
      || ["governance", "roles"].contains { baseRunbook?.runbook?.document[$0] != ownRunbook?.document[$0] }
    if base != nil, governanceChanged {
      for gate in try GatePack.load(from: rulesCommit, in: repository).gates {
        if case .governanceChange(let name) = gate.kind { applied.insert(name) }
      }
    }

    let counting = try LedgerApprovals(
      ledger: ledger, release: commit, base: base, trustedCommit: rulesCommit, anchor: event.repository,
      now: time, recordedBefore: event.sequence)
    var approvals: [Approval] = []
    for checkpoint in checkpoints where applied.contains(checkpoint.name) {
      // The tally is what the gate counted: none at all when a rule of the whole change fails
      // (an unsigned commit under `signed_commits`), whatever each approval's own verdict.
      guard counting.tally(for: checkpoint, release: commit, environment: environment, rules: rules).valid > 0
      else { continue }
      for verdict in try counting.verdicts(for: checkpoint, environment: environment, rules: rules)
      where verdict.counts {
        approvals.append(
          Approval(
            sequence: verdict.sequence, ledgerCommit: verdict.ledgerCommit, principal: verdict.principal,
            checkpoint: verdict.checkpoint, role: checkpoint.role, signedAt: verdict.signedAt,
            keyFingerprint: verdict.keyFingerprint))
      }
    }
    return approvals.sorted { ($0.sequence, $0.checkpoint) < ($1.sequence, $1.checkpoint) }
  }

  private static func commit(_ hex: String, in repository: Repository) throws(PromptgateError) -> Commit {
    guard let id = ObjectID(hex: hex), let commit = try? repository.commit(id) else {
      throw PromptgateError.input(
        "\(hex.prefix(7)), which the ledger names for the deployed release, is not in this clone; fetch it "
          + "(git fetch origin \(hex))")
    }
    return commit
  }
}

extension ExportProvenance.Event {
  init(_ record: Ledger.Record) {
    let event = record.event
    let key = record.signature.flatMap { try? SSHSignature(armored: $0) }?.publicKey.fingerprint
    self.init(
      sequence: event.sequence, ledgerCommit: record.commit.hex, kind: event.kind, time: event.time,
      signer: ExportProvenance.Signer(
        principal: event.statement?.principal ?? event.actor, role: event.signedRole, keyFingerprint: key))
  }
}
