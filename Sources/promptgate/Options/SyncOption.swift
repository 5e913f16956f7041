import ArgumentParser
import Git
import PromptgateCore

/// `--sync <remote>` on every writing command (SPEC §6): fetch the remote's ledger before
/// deciding, so the decision is made on what everyone recorded, and push with the lease after
/// recording. The guarantees are `sync`'s: another writer's push is never overwritten, and a
/// lost race is exit 3 with nothing pushed.
struct SyncOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Fetch this remote's ledger before deciding and push the new event after (as promptgate sync does).",
      valueName: "remote"))
  var sync: String?

  /// Before deciding (a dry run too: it decides on what everyone recorded): the remote's events
  /// in, this clone's pending ones out.
  func before(_ repository: Repository, quiet: Bool) throws {
    guard let remote = sync else {
      // Without --sync, say when a remote's ledger (as last fetched) has events this one lacks.
      let head = try? repository.referenceTarget(RefName.ledger)
      for remote in EnvironmentMove.remotesAhead(of: head ?? nil, in: repository) {
        Output.warning(
          "\(remote)'s ledger, as last fetched, has events this clone's lacks: this is decided without them; run "
            + "promptgate sync --remote \(remote) first, or add --sync \(remote)")
      }
      return
    }
    try run(remote, repository, quiet: quiet)
  }

  /// After recording (also after a blocked attempt, which is evidence too): push it.
  func after(_ repository: Repository, quiet: Bool) throws {
    guard let remote = sync else { return }
    do {
      try run(remote, repository, quiet: quiet)
    } catch let error as PromptgateError where error.kind == .conflict {
      throw PromptgateError(
        .conflict,
        "recorded here, but not pushed to \(remote): \(error.message); run promptgate sync --remote \(remote) "
          + "once the conflict is settled")
    }
  }

  private func run(_ remote: String, _ repository: Repository, quiet: Bool) throws {
    let report = try LedgerSync.sync(remote: remote, in: repository)
    for warning in report.warnings { Output.warning(warning) }
    if !quiet {
      Output.note(SyncTextFormatter(style: Style(color: false), quiet: true).format(report))
    }
  }
}
