import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Who may sign an environment move (SPEC §3): a principal holding, in the trusted runbook, a
/// role allowed that move, with a key the trusted allowed_signers lists for that principal (for
/// the namespace, at the time of recording) and that is not revoked. Trusted means the base, as
/// for approvals: a release cannot name who may release it.
public struct MoveAuthority: Sendable {
  public let principal: String
  public let role: String

  /// The rules and keys of the commit that judges the move.
  public struct Rules: Sendable {
    public let commit: Commit
    public let runbook: Runbook
    public let signers: TrustedSigners

    public init(commit: Commit, in repository: Repository) throws(PromptgateError) {
      guard let runbook = try Runbook.load(from: commit, in: repository)?.runbook else {
        throw PromptgateError(
          .blocked,
          "\(Runbook.path) of \(commit.id.short()), whose rules judge this move, is missing or unreadable, so "
            + "nobody may sign it")
      }
      self.commit = commit
      self.runbook = runbook
      self.signers = try TrustedSigners.load(from: commit, in: repository)
    }

    var source: String { "\(Runbook.path) of \(commit.id.short())" }
  }

  /// Finds the principal and role `key` may sign `move` as, or says exactly why it may not.
  public static func authorize(
    _ move: MoveKind, environment: String, key: SSHPublicKey, principal requested: String?, rules: Rules,
    at time: Date
  ) throws(PromptgateError) -> MoveAuthority {
    let allowed = rules.runbook.roles(allowedTo: move, in: environment)
    guard !allowed.isEmpty else {
      throw PromptgateError(
        .roleMissing,
        "\(rules.source) names no \(move.rolesSetting) for \(environment), so nobody may sign \(move.withArticle) "
          + "there; add them (and the principals holding them under `roles:`) in a release of their own first"
      )
    }
    let (principal, role) = try signer(
      key: key, principal: requested, allowed: allowed, rules: rules, at: time,
      judging: "whose rules judge this \(move.rawValue)",
      noRole: {
        "\($0) holds none of the roles that may sign \(move.withArticle) in \(environment) "
          + "(\(allowed.joined(separator: ", "))) in \(rules.source)"
      })
    return MoveAuthority(principal: principal, role: role)
  }

  /// Why a move recorded as signed by `principal` in `role` with `key` is not allowed by
  /// `rules`, or nil: what the audit re-judges.
  public static func refusal(
    _ move: MoveKind, environment: String, principal: String, role: String, key: SSHPublicKey,
    namespace: String,
    rules: Rules, at time: Date
  ) -> String? {
    let allowed = rules.runbook.roles(allowedTo: move, in: environment)
    guard allowed.contains(role) else {
      return "\(role) may not sign \(move.withArticle) in \(environment) under \(rules.source) "
        + "(allowed: \(allowed.isEmpty ? "nobody" : allowed.joined(separator: ", ")))"
    }
    guard rules.runbook.holds(principal, role: role) else {
      return "\(principal) does not hold the role \(role) in \(rules.source)"
    }
    return keyRefusal(principal: principal, key: key, namespace: namespace, rules: rules, at: time)
  }

  /// The principal `key` signs as under `rules` (`requested`, or the one principal listing the
  /// key) and the first role of `allowed` it holds, with the key valid then and not revoked: the
  /// one rule every signed write is authorised by (moves, evidence, imports, reviews). `judging`
  /// ends the unlisted-key message, `noRole` words the refusal of a principal without the role.
  static func signer(
    key: SSHPublicKey, principal requested: String?, allowed: [String], rules: Rules, at time: Date,
    judging: String, noRole: (String) -> String
  ) throws(PromptgateError) -> (principal: String, role: String) {
    let listed = rules.signers.signers.principals(listing: key)
    let principal: String
    if let requested {
      principal = requested
    } else if listed.count == 1, let only = listed.first {
      principal = only
    } else if listed.isEmpty {
      throw PromptgateError(
        .untrustedSigner,
        "the key \(key.fingerprint) is not listed in \(TrustedSigners.allowedSignersPath) of "
          + "\(rules.commit.id.short()), \(judging)")
    } else {
      throw PromptgateError.input(
        "the key is listed for \(listed.sorted().joined(separator: ", ")); choose one with --principal")
    }
    guard let role = allowed.first(where: { rules.runbook.holds(principal, role: $0) }) else {
      throw PromptgateError(.roleMissing, noRole(principal))
    }
    if let refusal = keyRefusal(
      principal: principal, key: key, namespace: Statement.namespace, rules: rules, at: time)
    {
      throw PromptgateError(.untrustedSigner, refusal)
    }
    return (principal, role)
  }

  /// Why `key` may not sign as `principal` under `rules` at `time` (not listed for it there,
  /// outside its validity, another namespace, or revoked), or nil.
  static func keyRefusal(
    principal: String, key: SSHPublicKey, namespace: String, rules: Rules, at time: Date
  ) -> String? {
    if let refusal = rules.signers.signers.refusal(
      principal: principal, key: key, namespace: namespace, at: time)
    {
      return "\(refusal) (\(TrustedSigners.allowedSignersPath) of \(rules.commit.id.short()))"
    }
    if rules.signers.revoked.contains(key) {
      return
        "the key \(key.fingerprint) is revoked in \(TrustedSigners.revokedKeysPath) of \(rules.commit.id.short())"
    }
    return nil
  }
}
