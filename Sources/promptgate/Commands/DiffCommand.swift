import ArgumentParser
import Git
import PromptgateCore

extension Promptgate {
  /// `promptgate diff <base> <head>`: what changed between two releases (SPEC §6).
  struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "diff",
      abstract:
        "Show what changed between two releases: prompt fields, sections and variables, policy keys, governance.",
      discussion: """
        Every changed file is classified as prompt, policy or other by the runbook's paths (the \
        base's runbook; defaults prompts/** and policies/**).

        Prose prompts (and the body below a prompt's front matter) are compared by Markdown \
        section, named by heading path (STEPS › OUTPUT): sections added, removed, moved, \
        renamed, and in each edited section the sentences, list items, table rows and code \
        lines that changed, with the changed words marked [-old-]{+new+}.

        Governance files are compared by meaning: runbook.yaml by key path, \
        .promptgate/allowed_signers by principal and key fingerprint, .promptgate/revoked_keys \
        by fingerprint, .promptgate/gates/* by gate id. A change that weakens governance (a \
        role gaining a member, a checkpoint removed or lowered, separation_of_duties off, \
        override or release roles widened, environments reordered, a key added or no longer \
        revoked, a gate removed or lowered) is marked "weakens governance".

        --patch prints git's unified diff under each file (in Markdown, in a collapsed block; \
        in JSON, a "patch" field); --stat prints git's diffstat (as git diff --stat -M on an \
        80-column terminal).

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

    @Flag(help: "Print each file's unified diff, as git diff -M prints it.")
    var patch = false

    @Flag(help: "Print git's diffstat instead of the file list (text and markdown).")
    var stat = false

    func validate() throws {
      if stat, format == .json {
        throw ValidationError("--stat is for text and markdown; JSON has each file's additions and deletions")
      }
    }

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
      let patches =
        try patch ? diff.files.map { file throws(PromptgateError) in try file.patch(in: repository) } : nil
      let statText = try stat ? DiffStatFormatter().format(statEntries(diff, repository: repository)) : nil
      switch format {
      case .json:
        var json = diff.json
        if let patches { json = json.addingPatches(patches) }
        if case .object(var members) = json, !(before.isEmpty && after.isEmpty) {
          members["evidence"] = .object([
            "base": EvidenceRecorder.json(before), "head": EvidenceRecorder.json(after),
          ])
          json = .object(members)
        }
        print(Output.json(json, pretty: global.pretty))
      case .text:
        if let statText {
          print(statText + (patches.map { "\n" + $0.joined() } ?? ""), terminator: "")
        } else {
          print(
            DiffTextFormatter(style: global.style).format(
              diff, base: base, head: head, patches: patches, evidence: evidence),
            terminator: "")
        }
      case .markdown:
        print(
          DiffMarkdownFormatter().format(
            diff, base: base, head: head, patches: patches, stat: statText, evidence: evidence),
          terminator: "")
      }
    }

    private func statEntries(_ diff: ReleaseDiff, repository: Repository) throws(PromptgateError)
      -> [DiffStatFormatter.Entry]
    {
      try diff.files.map { file throws(PromptgateError) in
        let name =
          file.oldPath.map { old in
            Repository.quotedPath(old) != old || Repository.quotedPath(file.path) != file.path
              ? Repository.quotedPath(old) + " => " + Repository.quotedPath(file.path)
              : DiffStatFormatter.renameName(old, file.path)
          } ?? Repository.quotedPath(file.path)
        let stat = try file.gitStat(in: repository)
        return DiffStatFormatter.Entry(
          name: name, additions: stat.additions, deletions: stat.deletions, binarySizes: stat.binarySizes)
      }
    }
  }
}
