import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate diff <base> <head>`: what changed between two releases (SPEC §6).
  struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "diff",
      abstract: "Show what changed between two releases: prompt fields, template variables, policy keys.",
      discussion: """
        Every changed file is classified as prompt, policy or other by the runbook's paths (the \
        base's runbook; defaults prompts/** and policies/**).

        Renames are paired as by git diff -M (git 2.33 and later): identical content first, \
        preferring a source with the same file name; then a file name left once among the \
        deleted and once among the added files, if at least 75% similar; then the most similar \
        pairs of at least 50%, scored as git scores them. When more than 1000 × 1000 pairs are left \
        to score (git's default diff.renameLimit), only the renames found so far are kept.

        Where git may still differ: promptgate does not read the repository's diff.renames, \
        diff.renameLimit or .gitattributes (a file is binary when its first 8000 bytes hold a \
        NUL), and looks for no copies (-C) or rewrites (-B).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json, markdown
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The release to compare from: any revision git understands (v1.2, main~3, an id).")
    var base: String

    @Argument(help: "The release to compare to.")
    var head: String = "HEAD"

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    func run() throws {
      let repository = try global.openRepository()
      let baseCommit = try RepositoryLookup.commit(base, in: repository)
      let headCommit = try RepositoryLookup.commit(head, in: repository)
      let diff = try ReleaseDiff.between(baseCommit, headCommit, in: repository)
      if !global.quiet {
        diff.warnings.forEach(Output.warning)
      }
      // The evidence recorded for each side's content: pass rates, base → head.
      let ledger = Ledger(repository)
      let before = EvidenceRecorder.newest(forTree: baseCommit.tree.hex, ledger: ledger)
      let after = EvidenceRecorder.newest(forTree: headCommit.tree.hex, ledger: ledger)
      let evidence = EvidenceRecorder.trend(from: before, to: after)
      switch format {
      case .json:
        var json = diff.json
        if case .object(var members) = json, !(before.isEmpty && after.isEmpty) {
          members["evidence"] = .object([
            "base": EvidenceRecorder.json(before), "head": EvidenceRecorder.json(after),
          ])
          json = .object(members)
        }
        print(json.pretty, terminator: "")
      case .text:
        print(
          DiffTextFormatter(style: global.style).format(diff, base: base, head: head, evidence: evidence),
          terminator: "")
      case .markdown:
        print(
          DiffMarkdownFormatter().format(diff, base: base, head: head, evidence: evidence), terminator: "")
      }
    }
  }
}
