import ArgumentParser
import Git
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Promptgate {
  /// `promptgate release <rev> --env <env>`: gate, record, move the environment (SPEC §6, §7).
  struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "release",
      abstract: "Run the gates against the environment's deployed release and, if they pass, release.",
      discussion: """
        The release is recorded in refs/promptgate/ledger (that compare-and-swap is the commit \
        point) and refs/promptgate/environments/<env> is moved to it. A release that fails its \
        gates is recorded as blocked and moves nothing (exit 1). Going back to an older release is \
        a rollback. Exit 3: another writer moved the ledger first; nothing was written.

        Every release is signed (--key, or --signer ssh-keygen) by a principal holding a release \
        role of the base's runbook: the environment's release_roles, else governance.release_roles \
        (CI signs as its release-bot). A dry run needs no key.

        Break-glass: --override --reason <why> --key <file> releases past failed gates (or a \
        release marked bad) when the key belongs to a holder of one of the base runbook's \
        governance.override_roles. The signed override is recorded and always counted as a \
        compliance exception.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The release: any revision git understands.")
    var release: String

    @Option(help: "The environment to release into (staging, production...).")
    var env: String

    @Flag(help: "Show what would happen; write nothing.")
    var dryRun = false

    @Flag(
      help: "Break-glass: release even though gates fail; needs --reason and the key of an override role.")
    var override = false

    @Option(help: "Why the gates are overridden (recorded and signed).")
    var reason: String?

    @OptionGroup var signing: SigningOptions

    @OptionGroup var syncing: SyncOption

    func validate() throws {
      if override {
        guard let reason, !reason.trimmingWhitespace.isEmpty else {
          throw ValidationError("--override needs --reason <why>: the reason is recorded and signed")
        }
      } else if reason != nil {
        throw ValidationError("--reason goes with --override")
      }
    }

    func run() throws {
      let repository = try global.openRepository()
      let commit = try RepositoryLookup.commit(release, in: repository)
      try syncing.before(repository, quiet: global.quiet)
      let signer =
        dryRun
        ? try signing.statementSigner()
        : try signing.requiredSigner(for: override ? "an override" : "a release")
      let result = try ReleaseAction.release(
        commit, environment: env, dryRun: dryRun, signer: signer,
        override: override ? ReleaseAction.Override(reason: reason ?? "") : nil, in: repository)
      let style = global.style
      if dryRun, !global.quiet {
        if let authority = result.authority {
          print("signed by \(authority.principal) as \(authority.role)")
        } else if signing.keyPath == nil {
          print(
            "not signed: a real \(override ? "override" : "release") needs --key of a principal the base allows"
          )
        }
      }
      if let report = result.report, !global.quiet {
        print(CheckTextFormatter(style: style).format(report, names: CheckNames(release: release, base: nil)))
      }
      switch result.outcome {
      case .alreadyDeployed:
        print("\(commit.id.short()) is already deployed in \(env); nothing to do")
      case .wouldRelease:
        print("dry run: \(commit.id.short()) would be released to \(env); nothing was written")
      case .wouldOverride:
        print("dry run: \(commit.id.short()) would be released to \(env) by override; nothing was written")
      case .overridden:
        print(
          style.yellow("overridden")
            + ": \(result.record?.event.summary ?? commit.id.short()); recorded as a compliance exception")
        warnIfLocked(result, in: repository)
        try syncing.after(repository, quiet: global.quiet)
      case .wouldBlock:
        print("dry run: \(commit.id.short()) would be blocked in \(env); nothing was written")
        throw ExitCode(1)
      case .blocked:
        // The check report above says why; this line says what happened.
        print(
          style.red("blocked")
            + ": \(env) did not move; the attempt is recorded as "
            + (result.record.map { "#\($0.event.sequence) in \(RefName.ledger)" } ?? "blocked"))
        // The blocked attempt is evidence too: it is pushed like a release.
        try syncing.after(repository, quiet: global.quiet)
        throw ExitCode(1)
      case .released:
        print(style.green("released") + ": \(result.record?.event.summary ?? commit.id.short())")
        warnIfLocked(result, in: repository)
        try syncing.after(repository, quiet: global.quiet)
      }
    }

    private func warnIfLocked(_ result: ReleaseAction.Result, in repository: Repository) {
      if result.mirror == .locked { Output.mirrorLocked(env, in: repository) }
    }
  }
}
