import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `promptgate rollback`: move an environment back to its last good release (or to a named
/// good one), recording a `rollback` event that marks the current release bad. Nothing to roll
/// back to: exit 1, nothing written. History is never rewritten.
public enum RollbackAction {
  public struct Result: Sendable {
    /// The recorded event; nil for a dry run.
    public let record: Ledger.Record?
    public let target: EnvironmentState.Deployment
    /// What moved the environment away from: the release rolled back from.
    public let from: LedgerEvent.Release
    /// Who signs (or, in a dry run, would sign) it, and in which role; nil for a dry run
    /// without a key.
    public let authority: MoveAuthority?
    /// Newer releases passed over, each with why.
    public let skipped: [(commit: String, reason: String)]
    public let mirror: EnvironmentMirror.Outcome
    /// The forward commit on `--revert-branch`, when one was asked for.
    public let revertCommit: ObjectID?
  }

  /// Rolls back, signed by `signer`, who must hold the rollback owner's role or a release role
  /// under the rules of what the environment runs. A dry run decides everything the same way
  /// (and fails the same way) but writes nothing; it needs a key only to say who would sign.
  public static func rollback(
    environment: String, reason: String, to requested: Commit?, incident: String?, revertBranch: String?,
    signer: StatementSigner?, dryRun: Bool = false, in repository: Repository, now: Date = Date(),
    incidentStart: Date? = nil
  ) throws(PromptgateError) -> Result {
    // The incident began before the rollback that answers it: reports count recovery from it.
    if let incidentStart, incidentStart > now {
      throw PromptgateError.input(
        "--incident-start \(Ledger.timestamp(incidentStart)) is after the rollback (\(Ledger.timestamp(now))): "
          + "give when the incident began, in the past")
    }
    let ground = try EnvironmentMove.Ground(environment, in: repository)
    let state = ground.state
    guard let current = state.deployed, let currentCommit = try state.deployedCommit(in: repository) else {
      guard ground.head != nil else { throw Ledger.missingHint(doing: "roll back") }
      throw PromptgateError(
        .nothingToRollBack, "nothing is deployed in \(environment), so there is nothing to roll back")
    }
    // Who may roll back is decided by the rules of what runs, before anything else is said.
    let basis = try ReleaseBasis.forEnvironment(
      environment, release: currentCommit, ledger: ground.ledger, in: repository)
    let authority = try signer.map { signer throws(PromptgateError) in
      try MoveAuthority.authorize(
        .rollback, environment: environment, key: signer.publicKey, principal: signer.principal,
        rules: try MoveAuthority.Rules(commit: basis.rules, in: repository), at: now)
    }
    var skipped: [(commit: String, reason: String)] = []
    let target: EnvironmentState.Deployment
    if let requested {
      guard let deployment = state.deployments.last(where: { $0.release.commit == requested.id.hex }) else {
        throw PromptgateError(
          .nothingToRollBack,
          "\(requested.id.short()) was never released to \(environment); roll back to a release it had")
      }
      if let bad = deployment.bad {
        throw PromptgateError(
          .nothingToRollBack, "\(requested.id.short()) was \(bad); it is not a good release to go back to")
      }
      guard deployment.release != current else {
        throw PromptgateError(
          .nothingToRollBack, "\(requested.id.short()) is what \(environment) runs already")
      }
      target = deployment
    } else {
      var found: EnvironmentState.Deployment?
      for deployment in state.deployments.reversed() {
        if deployment.release == current {
          skipped.append((deployment.release.commit, "it is the release being rolled back"))
        } else if let bad = deployment.bad {
          skipped.append((deployment.release.commit, bad))
        } else {
          found = deployment
          break
        }
      }
      guard let found else {
        throw PromptgateError(
          .nothingToRollBack,
          "\(environment) has no good release before \(current.commit.prefix(7)) to roll back to; nothing was "
            + "written")
      }
      target = found
    }
    guard let targetID = ObjectID(hex: target.release.commit),
      let targetCommit = try? repository.commit(targetID)
    else {
      throw PromptgateError.input(
        "the release to roll back to, \(target.release.commit.prefix(7)), is not in this clone; fetch it")
    }
    // The branch is checked before anything is written: a rollback never half-happens.
    let revertTarget = try revertBranch.map { branch throws(PromptgateError) in
      try RevertBranch(branch, in: repository)
    }
    guard let signer, let authority, !dryRun else {
      return Result(
        record: nil, target: target, from: current, authority: authority, skipped: skipped, mirror: .inLine,
        revertCommit: nil)
    }
    let statement = MoveStatement(
      move: .rollback, environment: environment, release: target.release,
      repository: try RepositoryAnchor.id(ledger: ground.ledger, release: targetCommit),
      principal: authority.principal, role: authority.role, signedAt: Ledger.timestamp(now),
      replaces: current,
      reason: reason, incident: incident, incidentStart: incidentStart.map { Ledger.timestamp($0) })
    var kept = LedgerEvent.Record()
    kept.skipped = skipped
    let (record, recordedMirror) = try EnvironmentMove.record(
      .rollback, statement, signer: signer, record: kept, on: ground, now: now, in: repository)
    let mirror = recordedMirror ?? .inLine
    let actor = RevertBranch.committer(in: repository)
    let revert = try revertTarget.map { branch throws(PromptgateError) in
      try branch.addCommit(
        tree: targetCommit.tree,
        message: "Roll back to \(targetID.short()): \(reason)\n\n"
          + "promptgate rollback #\(record.event.sequence) in \(environment) moved it off \(current.commit.prefix(7)).\n",
        actor: actor, now: now, in: repository)
    }
    return Result(
      record: record, target: target, from: current, authority: authority, skipped: skipped, mirror: mirror,
      revertCommit: revert)
  }
}

/// The branch `rollback --revert-branch` adds its commit to, checked before the rollback is
/// recorded. A branch checked out in this work tree moves only with its work tree, as git would
/// move it: the tracked files must have no uncommitted changes, and they follow the branch.
struct RevertBranch {
  let name: String
  let reference: String
  let head: ObjectID
  /// The tree the work tree holds, when the branch is checked out here.
  let checkedOutTree: ObjectID?

  init(_ name: String, in repository: Repository) throws(PromptgateError) {
    self.name = name
    reference = name.hasPrefix("refs/") ? name : "refs/heads/\(name)"
    do {
      guard let head = try repository.referenceTarget(reference) else {
        throw PromptgateError.input(
          "there is no branch \(name) to add the rollback commit to; nothing was written (create it, or name "
            + "another with --revert-branch)")
      }
      self.head = head
      if !repository.isBare, try repository.checkedOutBranch() == reference {
        guard try !repository.hasUncommittedChanges() else {
          throw PromptgateError.input(
            "\(name) is checked out in \(repository.workingDirectory ?? ".") with uncommitted changes; commit or "
              + "stash them, or name another branch with --revert-branch. Nothing was written")
        }
        checkedOutTree = try repository.commit(head).tree
      } else {
        checkedOutTree = nil
      }
    } catch let error as PromptgateError {
      throw error
    } catch let error as GitError {
      throw RepositoryLookup.readFailure(error, reading: reference)
    } catch {
      throw PromptgateError.input("cannot read \(reference): \(error)")
    }
  }

  /// Who adds the commit, as git names a committer: `GIT_COMMITTER_NAME` and
  /// `GIT_COMMITTER_EMAIL` first (what CI jobs set), then `user.name` and `user.email`, else the
  /// login name.
  static func committer(in repository: Repository) -> String {
    let environment = ProcessInfo.processInfo.environment
    let configured = repository.configuredIdentity()
    let user = environment["USER"] ?? "unknown"
    let name = environment["GIT_COMMITTER_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? configured?.name ?? user
    let email =
      environment["GIT_COMMITTER_EMAIL"].flatMap { $0.isEmpty ? nil : $0 } ?? configured?.email
      ?? "\(user)@localhost"
    return "\(name) <\(email)>"
  }

  /// Adds a commit whose tree is the good release's, with a compare-and-swap on the branch, so
  /// development continues from good content without rewriting history; a checked-out work
  /// tree follows.
  func addCommit(tree: ObjectID, message: String, actor: String, now: Date, in repository: Repository)
    throws(PromptgateError) -> ObjectID
  {
    let commit: ObjectID
    do {
      let who = Ledger.identity(of: actor, at: Int64(now.timeIntervalSince1970))
      commit = try repository.writeCommit(
        tree: tree, parents: [head], author: who, committer: who, message: message)
      try repository.updateReference(
        reference, to: commit, expecting: head, message: "promptgate: \(message)")
    } catch  where error.code == .modified || error.code == .locked {
      throw PromptgateError(
        .conflict,
        "the rollback is recorded, but \(name) moved while promptgate added its commit; add it by hand: "
          + "git checkout \(name) && git read-tree -u --reset \(tree.hex) && git commit")
    } catch {
      throw PromptgateError.input(
        "the rollback is recorded, but the commit on \(name) could not be added: \(error)")
    }
    if let checkedOutTree {
      do {
        try repository.checkOutHead(from: checkedOutTree)
      } catch {
        throw PromptgateError.input(
          "the rollback and the commit on \(name) are recorded, but the work tree could not follow "
            + "(\(error.message)); bring it in line with git checkout -f \(name)")
      }
    }
    return commit
  }
}
