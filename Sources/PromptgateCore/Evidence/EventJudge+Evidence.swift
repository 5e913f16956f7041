import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension EventJudge {
  /// An `evidence` event, as the ledger stood when it was recorded: signed by its principal
  /// with a key the rules in force then list for them and do not revoke, in a role those rules
  /// allow to sign evidence (`governance.evidence_roles`), for a release of this repository whose
  /// tree it names. The rules in force are those of the newest release of any environment then,
  /// or, before anything was released, the release's own (as `evidence record` decided).
  func evidenceProblems(_ record: Ledger.Record, recordedAt time: Date) -> [String] {
    let event = record.event
    guard let statement = event.evidenceStatement else {
      return event.carriesStatement || record.signature != nil
        ? ["it carries no readable signed evidence statement"] : ["an evidence event must be signed"]
    }
    let repository = ledger.repository
    guard let id = ObjectID(hex: statement.release.commit), let commit = try? repository.commit(id) else {
      return [
        "it is evidence for \(statement.release.commit.prefix(7)), which is not in this clone, so it cannot be "
          + "judged again; fetch it (git fetch origin \(statement.release.commit))"
      ]
    }
    var problems: [String] = []
    if commit.tree.hex != statement.release.tree {
      problems.append(
        "it names the tree \(statement.release.tree.prefix(7)) for \(commit.id.short()), whose tree is "
          + "\(commit.tree.short())")
    }
    do {
      if let anchor = self.repository { try RepositoryAnchor.check(commit, anchor: anchor, in: repository) }
      let newest = deployedSnapshot().max { $0.value.since < $1.value.since }
      let rulesCommit =
        try newest.map { entry throws(PromptgateError) in
          guard let id = ObjectID(hex: entry.value.release.commit), let base = try? repository.commit(id)
          else {
            throw PromptgateError(
              .blocked, "the release \(entry.value.release.commit.prefix(7)) is not in this clone")
          }
          return base
        } ?? commit
      let signers = try TrustedSigners.load(from: rulesCommit, in: repository)
      var fingerprint: String?
      if let problem = LedgerEvidence.authenticityProblem(
        record, statement, signers: signers, now: now, fingerprint: &fingerprint)
      {
        problems.append(problem)
      }
      guard let runbook = try Runbook.load(from: rulesCommit, in: repository)?.runbook else {
        problems.append(
          "\(Runbook.path) of \(rulesCommit.id.short()), whose rules judge it, is missing or unreadable, so nobody "
            + "may sign evidence")
        return problems
      }
      if let problem = LedgerEvidence.roleProblem(
        statement, rules: runbook, source: "\(Runbook.path) of \(rulesCommit.id.short())")
      {
        problems.append("its signer may not record it: \(problem)")
      }
    } catch {
      problems.append(error.message)
    }
    return problems
  }
}
