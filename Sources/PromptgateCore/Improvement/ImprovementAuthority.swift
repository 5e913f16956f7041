import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Who may sign the improvement layer's events: a metrics import (`improvement.metrics_roles`)
/// or a service review (`improvement.review_roles`), by the rules in force — the runbook and
/// keys of the newest release deployed in any environment, as the ledger stood — never of a
/// branch or a release not yet deployed, so a pull request cannot name who signs the figures
/// its service is judged by.
public enum ImprovementAct: String, Sendable {
  case metrics, review

  func roles(in runbook: Runbook) -> [String] {
    switch self {
    case .metrics: runbook.metricsRoles
    case .review: runbook.reviewRoles
    }
  }

  var setting: String {
    switch self {
    case .metrics: "improvement.metrics_roles"
    case .review: "improvement.review_roles"
    }
  }

  var noun: String {
    switch self {
    case .metrics: "a metrics import"
    case .review: "a service review"
    }
  }
}

public enum ImprovementAuthority {
  /// The rules in force given what each environment runs: those of the newest deployment.
  public static func rules(
    deployed: ReleaseBasis.Deployed, for act: ImprovementAct, in repository: Repository
  )
    throws(PromptgateError) -> MoveAuthority.Rules
  {
    guard let newest = deployed.max(by: { $0.value.since < $1.value.since }) else {
      throw PromptgateError(
        .blocked,
        "nothing has been released yet, so no runbook is in force to say who may sign \(act.noun): release first"
      )
    }
    guard let id = ObjectID(hex: newest.value.release.commit), let commit = try? repository.commit(id) else {
      throw PromptgateError.input(
        "the release \(newest.value.release.commit.prefix(7)) deployed in \(newest.key), whose rules are in force, "
          + "is not in this clone; fetch it (git fetch origin \(newest.value.release.commit))")
    }
    return try MoveAuthority.Rules(commit: commit, in: repository)
  }

  /// The principal and role `key` may sign `act` as, or exactly why it may not.
  public static func authorize(
    _ act: ImprovementAct, key: SSHPublicKey, principal requested: String?, rules: MoveAuthority.Rules,
    at time: Date
  ) throws(PromptgateError) -> (principal: String, role: String) {
    let allowed = act.roles(in: rules.runbook)
    return try MoveAuthority.signer(
      key: key, principal: requested, allowed: allowed, rules: rules, at: time,
      judging: "whose rules are in force",
      noRole: {
        "\($0) holds none of the roles that may sign \(act.noun) (\(act.setting): "
          + "\(allowed.isEmpty ? "nobody" : allowed.joined(separator: ", "))) in \(Runbook.path) of "
          + "\(rules.commit.id.short()), the rules in force; nothing was recorded"
      })
  }

  /// Why an event recorded as signed by `principal` in `role` with `key` is not allowed by
  /// `rules`, or nil: what the audit re-judges.
  static func refusal(
    _ act: ImprovementAct, principal: String, role: String, key: SSHPublicKey, namespace: String,
    rules: MoveAuthority.Rules, at time: Date
  ) -> String? {
    let allowed = act.roles(in: rules.runbook)
    guard allowed.contains(role) else {
      return "\(role) may not sign \(act.noun) under \(Runbook.path) of \(rules.commit.id.short()) "
        + "(\(act.setting): \(allowed.isEmpty ? "nobody" : allowed.joined(separator: ", ")))"
    }
    guard rules.runbook.holds(principal, role: role) else {
      return "\(principal) does not hold the role \(role) in \(Runbook.path) of \(rules.commit.id.short())"
    }
    return MoveAuthority.keyRefusal(
      principal: principal, key: key, namespace: namespace, rules: rules, at: time)
  }
}
