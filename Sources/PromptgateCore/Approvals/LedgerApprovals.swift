import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Counts a checkpoint's approvals from the ledger with every rule of SPEC §4, judged by the
/// trusted rules: the base's allowed_signers, revoked keys and roles.
public final class LedgerApprovals: ApprovalSource {
  let ledger: Ledger
  let release: Commit
  let base: Commit?
  let trusted: TrustedSigners
  let now: Date
  /// The repository id the ledger is anchored to (SPEC §3): a decision for another repository
  /// never counts.
  let anchor: String
  /// True when the release's history holds the anchor's root: a release of another repository
  /// (or a ledger whose first event came from one) has no approval that counts.
  let anchorInHistory: Bool
  /// Only decisions recorded before this sequence number count (the audit re-judging a release
  /// as it was decided); nil for all.
  let recordedBefore: Int?
  private var cachedRecords: [Ledger.Record]?
  private var authorsByCheckpoint: [String: ChangeAuthors] = [:]

  /// `base` is what the release is compared with (nil for a first release), `trustedCommit`
  /// the commit whose keys judge (the base, or the release itself for a first release).
  public init(
    ledger: Ledger, release: Commit, base: Commit?, trustedCommit: Commit, anchor: String, now: Date = Date(),
    recordedBefore: Int? = nil
  ) throws(PromptgateError) {
    self.ledger = ledger
    self.release = release
    self.base = base
    self.trusted = try TrustedSigners.load(from: trustedCommit, in: ledger.repository)
    self.anchor = anchor
    anchorInHistory = (try? RepositoryAnchor.check(release, anchor: anchor, in: ledger.repository)) != nil
    self.now = now
    self.recordedBefore = recordedBefore
  }

  public func tally(
    for checkpoint: Runbook.Checkpoint, release: Commit, environment: String?, rules: Runbook
  ) -> ApprovalTally {
    guard let environment else {
      return ApprovalTally(valid: 0, notes: ["approvals are per environment; check with --env to count them"])
    }
    let verdicts: [ApprovalVerdict]
    do {
      verdicts = try self.verdicts(for: checkpoint, environment: environment, rules: rules)
      // With signed commits, authorship is proven by signatures: a commit without one the base
      // trusts blocks the checkpoint, whatever approvals it has (SPEC §4).
      if rules.governance?.signedCommits == true {
        let unverified = try changeAuthors(touching: checkpoint, rules: rules).unverified
        if !unverified.isEmpty {
          return ApprovalTally(
            valid: 0,
            notes: unverified + ["governance.signed_commits: every commit of the change must be signed"])
        }
      }
    } catch {
      return ApprovalTally(valid: 0, notes: ["the ledger cannot be read: \(error.message)"])
    }
    let valid = verdicts.filter(\.counts).count
    var notes = verdicts.compactMap { verdict in
      verdict.reason.map { "#\(verdict.sequence) by \(verdict.principal) does not count: \($0)" }
    }
    if verdicts.isEmpty { notes.append("no approval of this release's content is recorded") }
    return ApprovalTally(valid: valid, notes: notes)
  }

  /// Every decision on `checkpoint` for the release's content, in ledger order, each with
  /// whether it counts and, if not, the rule it fails.
  public func verdicts(for checkpoint: Runbook.Checkpoint, environment: String, rules: Runbook)
    throws(PromptgateError) -> [ApprovalVerdict]
  {
    var records = cachedRecords ?? []
    if cachedRecords == nil {
      records = try ledger.decisions(forTree: release.tree.hex)
      if let recordedBefore { records = records.filter { $0.event.sequence < recordedBefore } }
      cachedRecords = records
    }
    guard !records.isEmpty else { return [] }
    let authors = try changeAuthors(touching: checkpoint, rules: rules)
    var verdicts: [ApprovalVerdict] = []
    // The standing decision of each principal, and the principal each key counted for.
    var standing: [String: Int] = [:]
    var keyOwner: [String: String] = [:]
    for record in records {
      guard let statement = record.event.approvalStatement else { continue }
      guard statement.checkpoint == checkpoint.name else { continue }
      var fingerprint: String?
      let forgery = authenticityProblem(
        record, statement, environment: environment, fingerprint: &fingerprint)
      // A rejection is a reviewer withdrawing: once it is authentic it cancels their approval,
      // whatever rule an approval would also have to meet.
      let reason =
        forgery
        ?? (statement.decision == .approve
          ? eligibilityProblem(statement, checkpoint: checkpoint, rules: rules, authors: authors) : nil)
      var counts = reason == nil
      var why = reason
      if counts, statement.decision == .approve, let fingerprint, let owner = keyOwner[fingerprint],
        owner != statement.principal
      {
        counts = false
        why = "its key \(fingerprint) already counted for \(owner); one key counts once"
      }
      if counts || (forgery == nil && statement.decision == .reject) {
        if counts, let fingerprint { keyOwner[fingerprint] = statement.principal }
        if let earlier = standing[statement.principal] {
          let replaced = verdicts[earlier]
          let note =
            statement.decision == .reject
            ? "cancelled by the later rejection #\(record.event.sequence) by the same principal"
            : "superseded by the later decision #\(record.event.sequence) by the same principal"
          verdicts[earlier] = replaced.replacing(counts: false, reason: replaced.reason ?? note)
        }
        standing[statement.principal] = verdicts.count
      }
      verdicts.append(
        ApprovalVerdict(
          sequence: record.event.sequence, ledgerCommit: record.commit.hex, principal: statement.principal,
          decision: statement.decision, checkpoint: statement.checkpoint, signedAt: statement.signedAt,
          keyFingerprint: fingerprint, comment: statement.comment,
          counts: counts && statement.decision == .approve,
          reason: forgery == nil && statement.decision == .reject
            ? "a rejection: it blocks rather than approves" : why))
    }
    return verdicts
  }

  /// Why a decision is not authentically the principal's, for this repository and environment,
  /// recorded when the ledger says (SPEC §4); nil when it is. Checked for rejections too.
  private func authenticityProblem(
    _ record: Ledger.Record, _ statement: ApprovalStatement, environment: String, fingerprint: inout String?
  ) -> String? {
    let event = record.event
    guard event.actor == statement.principal, event.release == statement.release,
      event.environment == statement.environment, event.repository == statement.repository,
      (event.kind == .approval) == (statement.decision == .approve)
    else { return "the ledger event does not match the statement it carries" }
    // Time is the ledger's (SPEC §4): the key must be valid when the decision was recorded, and
    // nothing is recorded ahead of the judging clock or signed ahead of its recording.
    guard let recorded = Timestamp.date(event.time), recorded <= now.addingTimeInterval(Statement.clockSkew)
    else {
      return "it is recorded at \(event.time), later than now: a clock set ahead, or a forged time"
    }
    let checked = StatementSignature.check(record, statement, recorded: recorded)
    fingerprint = checked.signature?.publicKey.fingerprint
    if let refusal = checked.refusal { return refusal.message }
    guard let signature = checked.signature else { return StatementSignature.Refusal.unreadable.message }
    if let refusal = trusted.signers.refusal(
      principal: statement.principal, key: signature.publicKey, namespace: signature.namespace, at: recorded)
    {
      return refusal + " when it was recorded (the base's \(TrustedSigners.allowedSignersPath))"
    }
    if trusted.revoked.contains(signature.publicKey) {
      return "its key \(signature.publicKey.fingerprint) is revoked in \(TrustedSigners.revokedKeysPath)"
    }
    guard statement.repository == anchor, anchorInHistory else {
      return
        "it is for another repository (root commit \(statement.repository.prefix(7)), not \(anchor.prefix(7)))"
    }
    guard statement.environment == environment else {
      return "it is for the environment \(statement.environment), not \(environment)"
    }
    guard statement.release.tree == release.tree.hex else {
      return
        "it approves the content \(statement.release.tree.prefix(7)), not this release's \(release.tree.short())"
    }
    return nil
  }

  /// The first rule an authentic approval breaks for `checkpoint` (SPEC §4), or nil.
  private func eligibilityProblem(
    _ statement: ApprovalStatement, checkpoint: Runbook.Checkpoint, rules: Runbook, authors: ChangeAuthors
  ) -> String? {
    guard rules.holds(statement.principal, role: checkpoint.role) else {
      return "\(statement.principal) does not hold the role \(checkpoint.role) in the base's runbook"
    }
    guard let expires = Timestamp.date(statement.expiresAt), expires > now else {
      return "it expired at \(statement.expiresAt)"
    }
    let signedAt = Timestamp.date(statement.signedAt) ?? .distantPast
    if let days = rules.governance?.approvalTTLDays, signedAt.addingTimeInterval(Double(days) * 86_400) <= now
    {
      return "it is older than the runbook's approval_ttl_days (\(days))"
    }
    if rules.governance?.separationOfDuties ?? true, let commit = authors.commit(by: statement.principal) {
      return "\(statement.principal) authored or committed \(commit), part of the change it approves "
        + "(separation of duties)"
    }
    return nil
  }

  /// Email → one commit, for everyone who authored or committed a commit between the base and
  /// the release that touches the checkpoint's paths.
  private func changeAuthors(touching checkpoint: Runbook.Checkpoint, rules: Runbook) throws(PromptgateError)
    -> ChangeAuthors
  {
    if let cached = authorsByCheckpoint[checkpoint.name] { return cached }
    let repository = ledger.repository
    let globs = checkpoint.paths.map(Glob.init)
    var authors = ChangeAuthors()
    do {
      let walk = try RevisionWalk(repository, from: [release.id], hiding: base.map { [$0.id] } ?? [])
      for id in walk {
        let commit = try repository.commit(id)
        let parentTree = try commit.parents.first.map { parent throws(GitError) in
          try repository.commit(parent).tree
        }
        let changes = try repository.diffTrees(parentTree, commit.tree, renames: nil)
        let touches =
          globs.isEmpty
          ? !changes.isEmpty
          : changes.contains { change in
            globs.contains { $0.matches(change.newPath) || $0.matches(change.oldPath) }
          }
        if touches {
          authors.add(name: commit.author.name, email: commit.author.email, commit: id.short())
          authors.add(name: commit.committer.name, email: commit.committer.email, commit: id.short())
          if rules.governance?.signedCommits == true {
            switch CommitSigner(trusting: trusted).verdict(on: try repository.commitSignature(id), at: now) {
            case .signed(let principals, _):
              for principal in principals { authors.add(signer: principal, commit: id.short()) }
            case .unsigned: authors.add(unverified: id.short(), reason: "it is not signed")
            case .refused(let reason): authors.add(unverified: id.short(), reason: reason)
            }
          }
        }
      }
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "the commits between the base and the release")
    }
    authorsByCheckpoint[checkpoint.name] = authors
    return authors
  }
}

extension ApprovalVerdict {
  func replacing(counts: Bool, reason: String?) -> ApprovalVerdict {
    ApprovalVerdict(
      sequence: sequence, ledgerCommit: ledgerCommit, principal: principal, decision: decision,
      checkpoint: checkpoint,
      signedAt: signedAt, keyFingerprint: keyFingerprint, comment: comment, counts: counts, reason: reason)
  }
}
