import Foundation
import Git

/// Who may sign a break-glass override: a principal whose key the trusted commit's
/// allowed_signers lists for the override namespace, not revoked, holding one of the trusted
/// runbook's `governance.override_roles`. Trusted means the base, as for approvals (SPEC §3): a
/// release cannot name its own overriders.
public struct OverrideAuthority: Sendable {
  public let principal: String
  public let role: String

  /// Finds the principal and role `key` may override as, or says exactly why it may not.
  public static func authorize(
    key: SSHPublicKey, principal requested: String?, trustedCommit: Commit, at time: Date,
    in repository: Repository
  ) throws(PromptgateError) -> OverrideAuthority {
    let source = "\(Runbook.path) of \(trustedCommit.id.short())"
    guard let rules = try Runbook.load(from: trustedCommit, in: repository)?.runbook else {
      throw PromptgateError(.blocked, "\(source) is missing or unreadable, so nobody may override")
    }
    let overrideRoles = rules.governance?.overrideRoles ?? []
    guard !overrideRoles.isEmpty else {
      throw PromptgateError(
        .blocked,
        "\(source) names no `governance.override_roles`, so nobody may override; add them in a release of "
          + "their own first")
    }
    let trusted = try TrustedSigners.load(from: trustedCommit, in: repository)
    let listed = trusted.signers.principals(listing: key)
    let principal: String
    if let requested {
      principal = requested
    } else if listed.count == 1, let only = listed.first {
      principal = only
    } else if listed.isEmpty {
      throw PromptgateError(
        .blocked,
        "the key \(key.fingerprint) is not listed in \(TrustedSigners.allowedSignersPath) of "
          + "\(trustedCommit.id.short()), which judges this release")
    } else {
      throw PromptgateError.input(
        "the key is listed for \(listed.sorted().joined(separator: ", ")); choose one with --principal")
    }
    guard let role = overrideRoles.first(where: { rules.holds(principal, role: $0) }) else {
      throw PromptgateError(
        .blocked,
        "\(principal) holds none of the override roles (\(overrideRoles.joined(separator: ", "))) in \(source)"
      )
    }
    if let refusal = trusted.signers.refusal(
      principal: principal, key: key, namespace: OverrideStatement.namespace, at: time)
    {
      throw PromptgateError(
        .blocked, "\(refusal) (\(TrustedSigners.allowedSignersPath) of \(trustedCommit.id.short()))")
    }
    if trusted.revoked.contains(key) {
      throw PromptgateError(
        .blocked, "the key \(key.fingerprint) is revoked in \(TrustedSigners.revokedKeysPath)")
    }
    return OverrideAuthority(principal: principal, role: role)
  }
}
