import Foundation
import Git

/// `promptgate mark-bad`: records that a release must never be chosen again in an environment.
public enum MarkBadAction {
  /// The recorded event, or nil when the release is bad there already.
  public static func markBad(
    _ commit: Commit, environment: String, reason: String, in repository: Repository, now: Date = Date()
  ) throws(PromptgateError) -> Ledger.Record? {
    let ledger = Ledger(repository)
    let decidedOn = try ledger.head()
    let state = try EnvironmentState(environment, ledger: ledger)
    if state.badReason(commit.id.hex) != nil { return nil }
    let actor = ReleaseAction.actor(in: repository)
    let repositoryID = try RepositoryIdentity.root(of: commit, in: repository)
    return try ledger.append(independent: false, decidedOn: .some(decidedOn)) { sequence in
      (
        LedgerEvent(
          kind: .markBad, sequence: sequence, time: Ledger.timestamp(now), actor: actor,
          environment: environment,
          release: LedgerEvent.Release(commit: commit.id.hex, tree: commit.tree.hex),
          repository: repositoryID,
          details: ["reason": .string(reason)]),
        nil
      )
    }
  }
}
