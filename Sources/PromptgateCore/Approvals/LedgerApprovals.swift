import Foundation
import Git

/// Counts a checkpoint's approvals from the ledger with every rule of SPEC §4, judged by the
/// trusted rules: the base's allowed_signers, revoked keys and roles.
public final class LedgerApprovals: ApprovalSource {
  let ledger: Ledger
  let release: Commit
  let base: Commit?
  let trusted: TrustedSigners
  let now: Date
  /// The gated repository's id, found (a walk to the root commit) only once there is a
  /// decision to judge.
  private var repositoryID: String?
  private var cachedRecords: [Ledger.Record]?
  private var authorsByCheckpoint: [String: [String: String]] = [:]

  /// `base` is what the release is compared with (nil for a first release), `trustedCommit`
  /// the commit whose keys judge (the base, or the release itself for a first release).
  public init(
    ledger: Ledger, release: Commit, base: Commit?, trustedCommit: Commit, now: Date = Date()
  ) throws(PromptgateError) {
    self.ledger = ledger
    self.release = release
    self.base = base
    self.trusted = try TrustedSigners.load(from: trustedCommit, in: ledger.repository)
    self.now = now
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
      cachedRecords = records
    }
    guard !records.isEmpty else { return [] }
    let authors = try changeAuthors(touching: checkpoint)
    if repositoryID == nil { repositoryID = try RepositoryIdentity.root(of: release, in: ledger.repository) }
    var verdicts: [ApprovalVerdict] = []
    // The standing decision of each principal, and the principal each key counted for.
    var standing: [String: Int] = [:]
    var keyOwner: [String: String] = [:]
    for record in records {
      guard let statementJSON = record.event.details["statement"],
        let statement = try? ApprovalStatement(json: statementJSON)
      else { continue }
      guard statement.checkpoint == checkpoint.name else { continue }
      var fingerprint: String?
      let reason = refusal(
        record, statement, checkpoint: checkpoint, environment: environment, rules: rules, authors: authors,
        fingerprint: &fingerprint)
      var counts = reason == nil
      var why = reason
      if counts, let fingerprint, let owner = keyOwner[fingerprint], owner != statement.principal {
        counts = false
        why = "its key \(fingerprint) already counted for \(owner); one key counts once"
      }
      if counts {
        if let fingerprint { keyOwner[fingerprint] = statement.principal }
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
          reason: counts && statement.decision == .reject
            ? "a rejection: it blocks rather than approves" : why))
    }
    return verdicts
  }

  /// The first rule of SPEC §4 the decision breaks, or nil when it holds them all.
  private func refusal(
    _ record: Ledger.Record, _ statement: ApprovalStatement, checkpoint: Runbook.Checkpoint,
    environment: String,
    rules: Runbook, authors: [String: String], fingerprint: inout String?
  ) -> String? {
    let event = record.event
    guard event.actor == statement.principal, event.release == statement.release,
      event.environment == statement.environment, event.repository == statement.repository,
      (event.kind == .approval) == (statement.decision == .approve)
    else { return "the ledger event does not match the statement it carries" }
    guard let armored = record.signature, let signature = try? SSHSignature(armored: armored) else {
      return "it has no readable signature"
    }
    fingerprint = signature.publicKey.fingerprint
    guard signature.namespace == ApprovalStatement.namespace else {
      return "it was signed in the namespace \(signature.namespace), not \(ApprovalStatement.namespace)"
    }
    guard signature.verify(statement.signedBytes, namespace: ApprovalStatement.namespace) else {
      return "the signature does not verify: the statement was changed after it was signed"
    }
    let signedAt = (try? Date(statement.signedAt, strategy: .iso8601)) ?? .distantFuture
    if let refusal = trusted.signers.refusal(
      principal: statement.principal, key: signature.publicKey, namespace: ApprovalStatement.namespace,
      at: signedAt)
    {
      return refusal + " (the base's \(TrustedSigners.allowedSignersPath))"
    }
    if trusted.revoked.contains(signature.publicKey) {
      return "its key \(signature.publicKey.fingerprint) is revoked in \(TrustedSigners.revokedKeysPath)"
    }
    guard rules.holds(statement.principal, role: checkpoint.role) else {
      return "\(statement.principal) does not hold the role \(checkpoint.role) in the base's runbook"
    }
    guard statement.release.tree == release.tree.hex else {
      return
        "it approves the content \(statement.release.tree.prefix(7)), not this release's \(release.tree.short())"
    }
    guard statement.environment == environment else {
      return "it is for the environment \(statement.environment), not \(environment)"
    }
    guard statement.repository == repositoryID ?? "" else {
      return "it is for another repository (root commit \(statement.repository.prefix(7)))"
    }
    guard let expires = try? Date(statement.expiresAt, strategy: .iso8601), expires > now else {
      return "it expired at \(statement.expiresAt)"
    }
    if let days = rules.governance?.approvalTTLDays, signedAt.addingTimeInterval(Double(days) * 86_400) <= now
    {
      return "it is older than the runbook's approval_ttl_days (\(days))"
    }
    if rules.governance?.separationOfDuties ?? true, let commit = authors[statement.principal.lowercased()] {
      return "\(statement.principal) authored or committed \(commit), part of the change it approves "
        + "(separation of duties)"
    }
    return nil
  }

  /// Email → one commit, for everyone who authored or committed a commit between the base and
  /// the release that touches the checkpoint's paths.
  private func changeAuthors(touching checkpoint: Runbook.Checkpoint) throws(PromptgateError) -> [String:
    String]
  {
    if let cached = authorsByCheckpoint[checkpoint.name] { return cached }
    let repository = ledger.repository
    let globs = checkpoint.paths.map(Glob.init)
    var authors: [String: String] = [:]
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
          authors[commit.author.email.lowercased()] = authors[commit.author.email.lowercased()] ?? id.short()
          authors[commit.committer.email.lowercased()] =
            authors[commit.committer.email.lowercased()] ?? id.short()
        }
      }
    } catch {
      throw RepositoryAccess.readFailure(error, reading: "the commits between the base and the release")
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
