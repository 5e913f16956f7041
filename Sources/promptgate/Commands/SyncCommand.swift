import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate sync --remote <name>`: share the ledger through a git remote (SPEC §6, §7).
  struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Fetch and push refs/promptgate/*, never overwriting what another writer pushed.",
      discussion: """
        Fetches the remote's refs/promptgate/ledger (tracked in refs/promptgate/remotes/<remote>/), \
        replays this clone's events the remote lacks on top of it (approvals and rejections keep their \
        signatures), and pushes it with the remote's id as the lease. Then this clone's ledger and \
        environment refs, and the remote's environment refs, follow. Two moves of one environment (a \
        release here, a rollback there) cannot be ordered: exit 3, nothing pushed, nothing changed. \
        Exit 3 also when another writer pushed first: nothing was written, so it is safe to run again. \
        Credentials: ssh-agent for ssh; for https a user name and password in the URL, or \
        GIT_USERNAME and GIT_PASSWORD (or GIT_TOKEN), or GITHUB_TOKEN, or CI_JOB_TOKEN.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("A configured remote, or a URL or path.", valueName: "name"))
    var remote: String = "origin"

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
      let repository = try global.openRepository()
      let report = try LedgerSync.sync(remote: remote, in: repository)
      for warning in report.warnings {
        Output.warning(warning)
      }
      switch format {
      case .json: print(try Output.json(report, pretty: global.pretty))
      case .text: print(SyncTextFormatter(style: global.style, quiet: global.quiet).format(report))
      }
    }
  }
}

/// `sync`'s text output: what was fetched, replayed and pushed, one line each.
struct SyncTextFormatter {
  let style: Style
  let quiet: Bool

  func format(_ report: SyncReport) -> String {
    var lines: [String] = []
    let remote = report.remote
    if let fetched = report.fetched.ledger {
      let news = report.fetched.newEvents
      lines.append(
        "fetched \(remote)'s ledger at \(fetched.prefix(7)): "
          + (news == 0 ? "nothing new" : "\(news) new event\(news == 1 ? "" : "s")"))
    } else {
      lines.append("\(remote) has no ledger yet")
    }
    if !report.replayed.isEmpty {
      lines.append("replayed \(report.replayed.count) event\(report.replayed.count == 1 ? "" : "s") onto it:")
      for event in report.replayed where !quiet {
        lines.append("  \(event.summary) (was #\(event.previousSequence))")
      }
    }
    if let pushed = report.pushed {
      lines.append(
        style.green("pushed")
          + " \(remote) refs/promptgate/ledger: \(pushed.from.map { String($0.prefix(7)) } ?? "(new)")"
          + "..\(pushed.to.prefix(7))")
    }
    // Each environment's ref (refs/promptgate/environments/<env>) beside the ledger: the JSON
    // keeps the states' names, a person reads what they mean.
    func words(_ state: String) -> String {
      switch state {
      case "in-line": "in line"
      case "missing": "not moved (the release is not in this clone)"
      case "left": "left as it was (the next sync retries)"
      default: state
      }
    }
    for environment in report.environments where !quiet {
      let deployed = environment.deployed.map { String($0.prefix(7)) } ?? "nothing"
      lines.append(
        "  \(environment.name) runs \(deployed): its ref \(words(environment.local)) here, "
          + "\(words(environment.remote)) on \(remote)")
    }
    let head = report.ledger.map { String($0.prefix(7)) } ?? "empty"
    lines.append(
      (report.pushed == nil && report.fetched.newEvents == 0 ? "up to date" : style.bold("in sync"))
        + ": refs/promptgate/ledger is \(head) here and on \(remote)")
    return lines.joined(separator: "\n")
  }
}
