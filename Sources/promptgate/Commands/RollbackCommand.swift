import ArgumentParser
import Git
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Promptgate {
  /// `promptgate rollback --env <env> --reason <text>`: back to the last good release, at once.
  struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rollback",
      abstract:
        "Move an environment back to its last good release (or --to a good one) and mark the current bad.",
      discussion: """
        One compare-and-swap of the ledger records the rollback; the environment ref follows. It \
        says which newer releases it skipped and why. Nothing to roll back to: exit 1, nothing \
        written. --revert-branch adds a commit on that branch whose tree is the good release's, so \
        development continues from good content; history is never rewritten. Signed with --key by \
        the rollback owner (reliability.rollback.owner) or a release role of what the environment runs.
        --dry-run says the target, every release skipped and why, and what would be written, with \
        the exit code the rollback would give; it writes nothing and needs a key only to say who \
        would sign.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var signing: SigningOptions

    @OptionGroup var syncing: SyncOption

    @Option(help: "The environment to roll back.")
    var env: String

    @Option(help: "Why: recorded in the ledger and shown in history and reports.")
    var reason: String

    @Option(help: ArgumentHelp("A good release of this environment to go back to.", valueName: "rev"))
    var to: String?

    @Option(help: "The incident this rollback answers (the next release must name one).")
    var incident: String?

    @Option(
      help: ArgumentHelp(
        "Also add a commit on this branch with the good release's content.", valueName: "branch"))
    var revertBranch: String?

    @Option(
      help: ArgumentHelp(
        "When the incident began (RFC 3339): reports count time to recovery from it, not from the deploy.",
        valueName: "time"))
    var incidentStart: String?

    @Flag(help: "Show the target, the releases skipped and what would be written; write nothing.")
    var dryRun = false

    func validate() throws {
      if reason.trimmingWhitespace.isEmpty {
        throw ValidationError("--reason must say why: it is the record a service manager reads")
      }
    }

    func run() throws {
      let start = try incidentStart.map { text throws(PromptgateError) in
        guard let seconds = Timestamp.seconds(rfc3339: text) else {
          throw PromptgateError.input(
            "--incident-start \(text) is not an RFC 3339 time: write it as 2026-11-26T03:10:00Z or "
              + "2026-11-26T04:10:00+01:00")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
      }
      let repository = try global.openRepository()
      try syncing.before(repository, quiet: global.quiet)
      let target = try to.map { revision throws(PromptgateError) in
        try RepositoryLookup.commit(revision, in: repository)
      }
      let result = try RollbackAction.rollback(
        environment: env, reason: reason, to: target, incident: incident, revertBranch: revertBranch,
        signer: dryRun ? try signing.statementSigner() : try signing.requiredSigner(for: "a rollback"),
        dryRun: dryRun, in: repository, incidentStart: start)
      let style = global.style
      for (commit, why) in result.skipped {
        print("\(dryRun ? "would skip" : "skipped") \(commit.prefix(7)): \(why)")
      }
      guard let record = result.record else {
        let target = result.target.release.commit.prefix(7)
        print(
          "dry run: \(env) would go back to \(target) (released as #\(result.target.sequence)); nothing was written"
        )
        print(
          "  would record a rollback event in \(RefName.ledger), marking \(result.from.commit.prefix(7)) bad"
        )
        print(
          "  would move \(RefName.environment(env)) from \(result.from.commit.prefix(7)) to \(target)"
        )
        if let branch = revertBranch {
          print("  would add a commit on \(branch) with the content of \(target)")
        }
        print(
          result.authority.map { "  signed by \($0.principal) as \($0.role)" }
            ?? "  not signed: the rollback needs --key of the rollback owner or a release role")
        return
      }
      print(
        style.green("rolled back") + ": \(env) now runs \(result.target.release.commit.prefix(7)) "
          + "(released as #\(result.target.sequence)); recorded \(record.event.summary)")
      if let revert = result.revertCommit, let branch = revertBranch {
        print(
          "added \(revert.short()) on \(branch) with the content of \(result.target.release.commit.prefix(7))"
        )
      }
      if result.mirror == .locked { Output.mirrorLocked(env, in: repository) }
      try syncing.after(repository, quiet: global.quiet)
    }
  }

  /// `promptgate mark-bad <rev> --env <env> --reason <text>`: never choose this release again.
  struct MarkBad: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "mark-bad",
      abstract:
        "Quarantine a release: rollback never chooses it, and it cannot be released again without an override.",
      discussion: """
        Signed with --key by the rollback owner (reliability.rollback.owner) or a release role.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var signing: SigningOptions

    @OptionGroup var syncing: SyncOption

    @Argument(help: "The release to quarantine.")
    var release: String

    @Option(help: "The environment.")
    var env: String

    @Option(help: "Why it is bad.")
    var reason: String

    func run() throws {
      let repository = try global.openRepository()
      let commit = try RepositoryLookup.commit(release, in: repository)
      try syncing.before(repository, quiet: global.quiet)
      let record = try MarkBadAction.markBad(
        commit, environment: env, reason: reason, signer: try signing.requiredSigner(for: "mark-bad"),
        in: repository)
      print(record.map { "recorded \($0.event.summary)" } ?? "\(commit.id.short()) is already bad in \(env)")
      if record != nil { try syncing.after(repository, quiet: global.quiet) }
    }
  }
}
