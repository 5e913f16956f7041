import ArgumentParser
import Foundation
import PromptgateCore

extension Promptgate {
  /// `promptgate approve`: signs a decision on one checkpoint of a release and records it.
  struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "approve",
      abstract: "Sign an approval (or rejection) of a release's checkpoint and record it in the ledger.",
      discussion: """
        The statement (SPEC §4) is signed with your SSH key in the namespace promptgate. \
        Unencrypted ed25519 and ECDSA (nistp256, nistp384, nistp521) key files are read directly; \
        for an encrypted key, ssh-agent or a hardware key use --signer ssh-keygen. Your principal is \
        looked up in .promptgate/allowed_signers unless you give --principal.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var syncing: SyncOption

    @Argument(help: "The release to approve: any revision git understands.")
    var release: String

    @Option(help: "The environment the approval is for (staging, production...).")
    var env: String

    @Option(help: "The checkpoint of the runbook you sign for.")
    var checkpoint: String

    @Option(
      help: ArgumentHelp("Your SSH private key (or its .pub with --signer ssh-keygen).", valueName: "file"))
    var key: String

    @Option(
      help:
        "How to sign: file (read the key) or ssh-keygen (ssh-keygen -Y sign: agent, passphrase, hardware).")
    var signer: SigningKey.Signer = .file

    @Flag(help: "Record a rejection instead: it cancels your earlier approval.")
    var reject = false

    @Option(help: "A comment recorded with your decision.")
    var comment: String = ""

    @Option(help: "The principal to sign as, when your key is listed for several.")
    var principal: String?

    @Option(
      help: ArgumentHelp(
        "When the approval expires: a date (2026-12-10 or 2026-12-10T10:00:00Z) or a duration (7d, 12h).",
        valueName: "when"))
    var expires: String?

    func run() throws {
      let repository = try global.openRepository()
      let releaseCommit = try RepositoryLookup.commit(release, in: repository)
      try syncing.before(repository, quiet: global.quiet)
      let runbook = try Runbook.load(from: releaseCommit, in: repository)?.runbook
      // A typo would record an approval nothing ever counts: refuse a name the runbook does not declare.
      let declared = runbook?.environments.map(\.name) ?? []
      if !declared.isEmpty, !declared.contains(env) {
        let hint = Suggestion.closest(to: env, among: declared).map { "did you mean `\($0)`? " } ?? ""
        throw PromptgateError.input(
          "`\(env)` is not an environment \(Runbook.path) of \(releaseCommit.id.short()) declares: \(hint)it declares "
            + "\(declared.joined(separator: ", ")); nothing was recorded")
      }
      let checkpoints = runbook?.governance?.checkpoints ?? []
      guard let definition = checkpoints.first(where: { $0.name == checkpoint }) else {
        let names = checkpoints.map(\.name)
        let hint =
          names.isEmpty
          ? "the release's runbook declares none"
          : (Suggestion.closest(to: checkpoint, among: names).map { "did you mean `\($0)`? " } ?? "")
            + "it declares \(names.joined(separator: ", "))"
        throw PromptgateError.input(
          "no checkpoint `\(checkpoint)` in \(Runbook.path) of \(releaseCommit.id.short()): \(hint)")
      }
      let signing = try SigningKey(path: key, signer: signer)
      let trusted = try TrustedSigners.load(from: releaseCommit, in: repository)
      let who = try principal ?? signing.principal(in: trusted.signers, keyPath: key)
      let now = Date()
      let signedAt = Ledger.timestamp(now)
      let expiresAt = try Expiry.parse(
        expires, from: now, defaultDays: runbook?.governance?.approvalTTLDays ?? 14)
      // Approvals count only in the repository the ledger is anchored to (SPEC §3).
      let anchor = try RepositoryAnchor.id(ledger: Ledger(repository), release: releaseCommit)
      try RepositoryAnchor.check(releaseCommit, anchor: anchor, in: repository)
      let statement = ApprovalStatement(
        checkpoint: checkpoint, comment: comment, decision: reject ? .reject : .approve, environment: env,
        expiresAt: Ledger.timestamp(expiresAt), principal: who,
        release: LedgerEvent.Release(commit: releaseCommit.id.hex, tree: releaseCommit.tree.hex),
        repository: anchor, role: definition.role, signedAt: signedAt)
      let signature = try signing.sign(statement.signedBytes, namespace: Statement.namespace)
      let ledger = Ledger(repository)
      let record = try ledger.append(independent: true, now: now) { slot in
        let event = LedgerEvent(
          kind: reject ? .rejection : .approval, sequence: slot.sequence, time: slot.time, actor: who,
          environment: env,
          release: statement.release, repository: statement.repository,
          details: LedgerEvent.Record(statement: statement).details
        )
        return (event, signature.armored)
      }
      if !global.quiet {
        print("recorded \(record.event.summary)")
        print("ledger \(RefName.ledger) is now \(record.commit.short())")
      }
      try syncing.after(repository, quiet: global.quiet)
    }
  }
}

/// `--expires`: a date, a date and time, or a duration from now.
enum Expiry {
  static func parse(_ text: String?, from now: Date, defaultDays: Int) throws -> Date {
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
