import ArgumentParser
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Promptgate {
  /// `promptgate evidence`: evaluation and test results bound to a release's content.
  struct Evidence: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "evidence",
      abstract: "Record evaluation and test results for a release's content, or list what is recorded.",
      subcommands: [Record.self, List.self]
    )
  }
}

extension EvidenceSummary.Format: ExpressibleByArgument {}

extension Promptgate.Evidence {
  /// `promptgate evidence record <rev> --kind <name> --file <results>`.
  struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "record",
      abstract:
        "Sign and record a result file (promptfoo JSON, JUnit XML, minimal JSON) for a release's content.",
      discussion: """
        The file is read and checked against itself (its totals must match its own test list), \
        summarised, and recorded as a signed `evidence` event bound to the release's tree and the \
        file's SHA-256. The signer must hold one of governance.evidence_roles (CI's role) in the \
        runbook of the newest release. The `evidence` gate counts it for that exact content only: \
        any edit after the run voids it. Formats: promptfoo (promptfoo eval --output results.json), \
        junit (conftest test --output junit, any JUnit report), minimal \
        (docs/ci/README.md).
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var signing: SigningOptions

    @OptionGroup var syncing: SyncOption

    @Argument(help: "The release the results are for: any revision git understands (the PR head).")
    var release: String

    @Option(
      help: "The kind of evidence, as the runbook's reliability.evidence names it (evaluation, policy-tests)."
    )
    var kind: String

    @Option(help: ArgumentHelp("The result file.", valueName: "results"))
    var file: String

    @Option(
      name: .customLong("format"),
      help: ArgumentHelp("The file's format: promptfoo, junit or minimal; default: what its content shows."))
    var fileFormat: EvidenceSummary.Format?

    func run() throws {
      let repository = try global.openRepository()
      let releaseCommit = try RepositoryLookup.commit(release, in: repository)
      let evidenceFile: EvidenceFile
      do {
        evidenceFile = try EvidenceFile.read(path: file, format: fileFormat)
      } catch {
        throw PromptgateError.input(error.message)
      }
      let signer = try signing.requiredSigner(for: "evidence")
      try syncing.before(repository, quiet: global.quiet)
      let record = try EvidenceRecorder.record(
        kind: kind, file: evidenceFile, release: releaseCommit, signer: signer, ledger: Ledger(repository))
      if !global.quiet {
        print(RepositoryText.safe("recorded \(record.event.summary)"))
        let summary = evidenceFile.summary
        var tool = summary.tool.map { " by \($0)\(summary.toolVersion.map { " \($0)" } ?? "")" } ?? ""
        if let milliseconds = summary.durationMilliseconds { tool += " in \(Double(milliseconds) / 1000)s" }
        print(
          RepositoryText.safe(
            "  \(evidenceFile.name) (sha256 \(evidenceFile.sha256)): \(summary.format.rawValue), "
              + "\(summary.suites) suite\(summary.suites == 1 ? "" : "s"), \(summary.tests) tests\(tool)"))
        print("ledger \(RefName.ledger) is now \(record.commit.short())")
      }
      try syncing.after(repository, quiet: global.quiet)
    }
  }

  /// `promptgate evidence list <rev>`: what is recorded for a release's content.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List the evidence recorded for a release's content, newest of each kind.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The release: any revision git understands.")
    var release: String = "HEAD"

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
      let repository = try global.openRepository()
      let commit = try RepositoryLookup.commit(release, in: repository)
      let evidence = EvidenceRecorder.newest(forTree: commit.tree.hex, ledger: Ledger(repository))
      switch format {
      case .json: print(try Output.json(evidence, pretty: global.pretty))
      case .text:
        if evidence.isEmpty {
          print("no evidence is recorded for \(commit.id.short())'s content (tree \(commit.tree.short()))")
        }
        for entry in evidence {
          print(
            RepositoryText.safe(
              "#\(entry.sequence)  \(entry.described)  by \(entry.principal)  sha256 \(entry.fileSHA256.prefix(12))"
            ))
        }
        if !evidence.isEmpty {
          print("promptgate check \(release) --env <env> says which of these count")
        }
      }
    }
  }
}
