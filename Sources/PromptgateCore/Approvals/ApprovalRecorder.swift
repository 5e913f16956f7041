import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Records a reviewer's signed decision on one checkpoint of a release (`promptgate approve`,
/// SPEC §4). Whether it counts is decided later, by the rules of the base (``ApprovalReport``);
/// here the statement is checked against the release's own runbook only so that a typo (an
/// environment or a checkpoint it does not declare) records nothing instead of an approval that
/// nothing ever counts.
public enum ApprovalRecorder {
  /// What the reviewer decides.
  public struct Decision: Sendable {
    public let environment: String
    public let checkpoint: String
    public let reject: Bool
    public let comment: String
    /// `--expires`: a date, a date and time, or a duration; nil for the runbook's
    /// `approval_ttl_days` (14 without one).
    public let expires: String?

    public init(environment: String, checkpoint: String, reject: Bool, comment: String, expires: String?) {
      self.environment = environment
      self.checkpoint = checkpoint
      self.reject = reject
      self.comment = comment
      self.expires = expires
    }
  }

  /// Signs `decision` on `release` with `signer` and appends it to the ledger.
  public static func record(
    _ decision: Decision, on release: Commit, signer: StatementSigner, in repository: Repository,
    now: Date = Date()
  ) throws(PromptgateError) -> Ledger.Record {
    let runbook = try Runbook.load(from: release, in: repository)?.runbook
    let env = decision.environment
    let declared = runbook?.environments.map(\.name) ?? []
    if !declared.isEmpty, !declared.contains(env) {
      let hint = Suggestion.closest(to: env, among: declared).map { "did you mean `\($0)`? " } ?? ""
      throw PromptgateError.input(
        "`\(env)` is not an environment \(Runbook.path) of \(release.id.short()) declares: \(hint)it declares "
          + "\(declared.joined(separator: ", ")); nothing was recorded")
    }
    let checkpoints = runbook?.governance?.checkpoints ?? []
    guard let definition = checkpoints.first(where: { $0.name == decision.checkpoint }) else {
      let names = checkpoints.map(\.name)
      let hint =
        names.isEmpty
        ? "the release's runbook declares none"
        : (Suggestion.closest(to: decision.checkpoint, among: names).map { "did you mean `\($0)`? " } ?? "")
          + "it declares \(names.joined(separator: ", "))"
      throw PromptgateError.input(
        "no checkpoint `\(decision.checkpoint)` in \(Runbook.path) of \(release.id.short()): \(hint)")
    }
    let trusted = try TrustedSigners.load(from: release, in: repository)
    let who: String
    if let named = signer.principal {
      who = named
    } else {
      who = try principal(of: signer.publicKey, in: trusted.signers)
    }
    let expiresAt = try ApprovalExpiry.parse(
      decision.expires, from: now, defaultDays: runbook?.governance?.approvalTTLDays ?? 14)
    // Approvals count only in the repository the ledger is anchored to (SPEC §3).
    let ledger = Ledger(repository)
    let anchor = try RepositoryAnchor.id(ledger: ledger, release: release)
    try RepositoryAnchor.check(release, anchor: anchor, in: repository)
    let statement = ApprovalStatement(
      checkpoint: decision.checkpoint, comment: decision.comment,
      decision: decision.reject ? .reject : .approve,
      environment: env, expiresAt: Ledger.timestamp(expiresAt), principal: who,
      release: LedgerEvent.Release(commit: release.id.hex, tree: release.tree.hex),
      repository: anchor, role: definition.role, signedAt: Ledger.timestamp(now))
    let signature = try signer.sign(statement.signedBytes)
    return try ledger.append(independent: true, now: now) { slot in
      let event = LedgerEvent(
        kind: decision.reject ? .rejection : .approval, sequence: slot.sequence, time: slot.time, actor: who,
        environment: env, release: statement.release, repository: statement.repository,
        details: LedgerEvent.Record(statement: statement).details)
      return (event, signature.armored)
    }
  }

  /// The one principal the release's allowed_signers lists for `key`.
  static func principal(of key: SSHPublicKey, in signers: AllowedSigners) throws(PromptgateError) -> String {
    let names = signers.principals(listing: key)
    switch names.count {
    case 1: return names.first!
    case 0:
      throw PromptgateError.input(
        "the key \(key.fingerprint) is not listed in \(TrustedSigners.allowedSignersPath); add it there, or name "
          + "yourself with --principal")
    default:
      throw PromptgateError.input(
        "the key \(key.fingerprint) is listed for \(names.sorted().joined(separator: ", ")); choose one with "
          + "--principal")
    }
  }
}

/// When an approval expires: `--expires` as a date, a date and time, or a duration from now.
public enum ApprovalExpiry {
  public static func parse(_ text: String?, from now: Date, defaultDays: Int) throws(PromptgateError) -> Date
  {
    guard let text else { return now.addingTimeInterval(Double(defaultDays) * 86_400) }
    if let unit = text.last, let amount = Double(text.dropLast()), amount > 0 {
      switch unit {
      case "d": return now.addingTimeInterval(amount * 86_400)
      case "h": return now.addingTimeInterval(amount * 3_600)
      case "m": return now.addingTimeInterval(amount * 60)
      default: break
      }
    }
    if let date = try? Date(text, strategy: .iso8601) { return date }
    if let date = try? Date(text + "T23:59:59Z", strategy: .iso8601) { return date }
    throw PromptgateError.input(
      "--expires \(text) is neither a date (2026-12-10, 2026-12-10T10:00:00Z) nor a duration (7d, 12h, 30m)")
  }
}
