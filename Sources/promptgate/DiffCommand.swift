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
        base's runbook; defaults prompts/** and policies/**). Renames are found as by git diff -M.
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
      let baseCommit = try RepositoryAccess.commit(base, in: repository)
      let headCommit = try RepositoryAccess.commit(head, in: repository)
      let diff = try ReleaseDiff.between(baseCommit, headCommit, in: repository)
      if !global.quiet {
        diff.warnings.forEach(Output.warning)
      }
      switch format {
      case .json: print(diff.json.pretty, terminator: "")
      case .text:
        print(DiffTextFormatter(style: global.style).format(diff, base: base, head: head), terminator: "")
      case .markdown: print(DiffMarkdownFormatter().format(diff, base: base, head: head), terminator: "")
      }
    }
  }
}
