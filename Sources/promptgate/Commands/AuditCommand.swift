import ArgumentParser
import Git
import PromptgateCore

extension Promptgate {
  /// `promptgate audit verify|log`: the ledger's evidence.
  struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit",
      abstract: "Verify the ledger, or list its events.",
      subcommands: [Verify.self, Log.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    struct Verify: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the ledger's chain, every event and every signature.",
        discussion: """
          Re-judges every event as the ledger stood when it was recorded: one repository id, times \
          that never go back, every statement signed by its principal, every move by a role the \
          base allowed with a key the base listed and did not revoke, every release's gates run \
          again against the base it had to have with the approvals recorded before it, every \
          rollback to a release that was good then. Fails (exit 1) naming the event when one was \
          edited, removed, reordered, renumbered, inserted or forged, and when the ledger no longer \
          contains --expect's id or what this clone last saw. A verdict that changed only because \
          promptgate's gates changed is a notice naming both versions.
          """
      )

      @OptionGroup var global: GlobalOptions

      @Option(
        help: ArgumentHelp(
          "A ledger id the ledger must still contain (one you recorded earlier).", valueName: "id"))
      var expect: String?

      @Option(help: "Output format: text or json.")
      var format: Format = .text

      func run() throws {
        let repository = try global.openRepository()
        let expected = try expect.map { text throws(PromptgateError) in
          guard let id = ObjectID(hex: text) ?? (try? repository.resolveCommit(text))?.id else {
            throw PromptgateError.input(
              "--expect \(text) is not a commit in this repository; give a full ledger id")
          }
          return id
        }
        let report = try LedgerAudit.verify(Ledger(repository), expect: expected)
        switch format {
        case .json: print(try Output.json(report, pretty: global.pretty))
        case .text:
          let style = global.style
          for notice in report.notices {
            print(style.yellow("notice ") + notice.message)
          }
          for problem in report.problems {
            print(style.red("✗ ") + problem.message)
          }
          if report.verified {
            print(
              style.green("verified") + ": \(report.events) event\(report.events == 1 ? "" : "s"), "
                + "\(report.signedEvents) signed, head \(report.head?.prefix(12) ?? "(no ledger yet)")")
          } else {
            print(
              style.red("not verified")
                + ": \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")")
          }
        }
        if !report.verified { throw ExitCode(1) }
      }
    }

    struct Log: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "log", abstract: "List the ledger's events, newest first.")

      @OptionGroup var global: GlobalOptions

      @Option(help: "Output format: text or json.")
      var format: Format = .text

      func run() throws {
        let repository = try global.openRepository()
        let records = try Ledger(repository).records().reversed()
        switch format {
        case .json:
          let events = records.map { record in
            JSONValue.object([
              "commit": .string(record.commit.hex), "event": record.event.json,
              "signed": .bool(record.signature != nil),
            ])
          }
          print(Output.json(JSONValue.array(Array(events)), pretty: global.pretty))
        case .text:
          if records.isEmpty { print("the ledger is empty") }
          for record in records {
            print(
              "\(global.style.dim(String(record.commit.hex.prefix(7))))  \(record.event.time)  \(record.event.summary)"
            )
          }
        }
      }
    }
  }
}
