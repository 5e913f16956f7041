import ArgumentParser
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

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
      let signing = try SigningKey(path: key, signer: signer)
      let statementSigner = StatementSigner(publicKey: signing.publicKey, principal: principal) {
        bytes throws(PromptgateError) in
        try signing.sign(bytes, namespace: Statement.namespace)
      }
      try syncing.before(repository, quiet: global.quiet)
      let record = try ApprovalRecorder.record(
        ApprovalRecorder.Decision(
          environment: env, checkpoint: checkpoint, reject: reject, comment: comment, expires: expires),
        on: releaseCommit, signer: statementSigner, in: repository)
      if !global.quiet {
        print("recorded \(record.event.summary)")
        print("ledger \(RefName.ledger) is now \(record.commit.short())")
      }
      try syncing.after(repository, quiet: global.quiet)
    }
  }
}
