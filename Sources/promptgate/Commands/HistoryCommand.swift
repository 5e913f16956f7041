import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate history --env <env>`: releases, blocked attempts, overrides and rollbacks.
  struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "history",
      abstract: "List an environment's releases, blocked attempts, overrides and rollbacks, newest first.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "The environment.")
    var env: String

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
      let repository = try global.openRepository()
      let ledger = Ledger(repository)
      let state = try EnvironmentState(env, ledger: ledger)
      let records = try ledger.environmentRecords(env).reversed()
      switch format {
      case .json:
        print(
          Output.json(
            JSONValue.array(
              records.map { record in
                var entry: [String: JSONValue] = [
                  "commit": .string(record.commit.hex), "event": record.event.json,
                ]
                // The evidence recorded for the release's content (the newest of each kind).
                if let tree = record.event.release?.tree,
                  [.release, .override, .blocked].contains(record.event.kind)
                {
                  let evidence = EvidenceRecorder.newest(forTree: tree, ledger: ledger)
                  entry["evidence"] = EvidenceRecorder.json(evidence)
                }
                return .object(entry)
              }
            ), pretty: global.pretty))
      case .text:
        if records.isEmpty { print("nothing recorded for \(env) yet") }
        // Sequence numbers padded to the widest, so the columns line up past #9.
        let width = records.map { "#\($0.event.sequence)".count }.max() ?? 0
        for record in records {
          let event = record.event
          var line =
            "#\(event.sequence)".padded(to: width)
            + "  \(event.time)  \(event.kind.rawValue.padded(to: 9))"
          line += "  \(event.release.map { String($0.commit.prefix(7)) } ?? "-------")  \(event.actor)"
          if !event.failedGates.isEmpty {
            line +=
              "  \(event.kind == .override ? "overrode" : "failed"): \(event.failedGates.joined(separator: ", "))"
          }
          if [.release, .override, .blocked].contains(event.kind), let tree = event.release?.tree,
            let evidence = EvidenceRecorder.line(EvidenceRecorder.newest(forTree: tree, ledger: ledger))
          {
            line += "  evidence: \(evidence)"
          }
          if let reason = event.reason {
            line += "  reason: \(reason)"
          }
          if let bad = state.badReason(event.release?.commit ?? ""), event.kind == .release {
            line += "  (\(bad))"
          }
          print(RepositoryText.safe(line))
        }
      }
    }
  }
}
