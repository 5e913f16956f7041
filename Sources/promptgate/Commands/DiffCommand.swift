import ArgumentParser
import Git
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

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
      // A diff reads every changed file and judges nothing: its objects are not hashed again
      // (``Libgit2/verifiesObjectsOnRead(_:)``).
      Libgit2.verifiesObjectsOnRead(false)
      let repository = try global.openRepository()
      let baseCommit = try RepositoryLookup.commit(base, in: repository)
      let headCommit = try RepositoryLookup.commit(head, in: repository)
      // The files are read as they are written out, a batch at a time: a whole history's
      // diff is never held, whatever the format (the Markdown holds its own text). The text
      // --stat prints nothing of a file's meaning, so it reads none.
      let diff = try ReleaseDiffReader(
        baseCommit, headCommit, in: repository, depth: format == .text && stat ? .lines : .meaning)
      if !global.quiet {
        diff.warnings.forEach(Output.warning)
      }
      // The evidence recorded for each side's content: pass rates, base → head.
      let ledger = Ledger(repository)
      let before = EvidenceRecorder.newest(forTree: baseCommit.tree.hex, ledger: ledger)
      let after = EvidenceRecorder.newest(forTree: headCommit.tree.hex, ledger: ledger)
      let evidence = EvidenceRecorder.trend(from: before, to: after)
      let patchText: ((FileChange) throws(PromptgateError) -> String)? =
        patch ? { file throws(PromptgateError) in try file.patch(in: repository) } : nil
      let output = ChunkedOutput()
      let write = output.write
      switch format {
      case .json:
        var members = [
          "base": diff.base.json, "head": diff.head.json,
          "warnings": .array(diff.warnings.map(JSONValue.string)),
        ]
        if !(before.isEmpty && after.isEmpty) {
          members["evidence"] = .object([
            "base": EvidenceRecorder.json(before), "head": EvidenceRecorder.json(after),
          ])
        }
        let writer = DiffJSONWriter(pretty: global.pretty, write: write, writeBytes: output.writeBytes)
        try writer.object(members, streaming: "files") { yield throws(PromptgateError) in
          try diff.forEachFile { file throws(PromptgateError) in
            yield(file, try patchText?(file))
          }
        }
      case .text where stat:
        // git's layout: the stat, then every patch; the stat's widths need every file first.
        var entries: [DiffStatFormatter.Entry] = []
        var outlines: [FileChange] = []
        try diff.forEachFile { file throws(PromptgateError) in
          entries.append(try statEntry(file, repository: repository))
          if patch { outlines.append(file.outline) }
        }
        write(DiffStatFormatter().format(entries))
        if let patchText {
          write("\n")
          for file in outlines { write(DiffPatchText.safe(try patchText(file))) }
        }
      case .text:
        try DiffTextFormatter(style: global.style).write(
          diff, base: base, head: head, evidence: evidence, patch: patchText, to: write)
      case .markdown:
        try DiffMarkdownFormatter().write(
          diff, base: base, head: head, evidence: evidence, patch: patchText,
          stat: stat ? { file throws(PromptgateError) in try statEntry(file, repository: repository) } : nil,
          to: write)
      }
      output.flush()
    }

    /// The file's line of `--stat`, named as git names it.
    private func statEntry(_ file: FileChange, repository: Repository) throws(PromptgateError)
      -> DiffStatFormatter.Entry
    {
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

/// The diff's output, written to stdout in pieces of 64 KiB as it is made: a large diff is never
/// held whole, and one that fails before it has made that much (an unreadable blob) prints
/// nothing but its error, as before the diff was written file by file.
private final class ChunkedOutput {
  private var pending: [UInt8] = []

  func write(_ text: String) {
    pending += text.utf8
    if pending.count >= 1 << 16 { flush() }
  }

  /// UTF-8 bytes, as the JSON writer makes them: not read again into a String on the way out,
  /// nor copied when they are a piece of their own (a large file's item is megabytes).
  func writeBytes(_ bytes: [UInt8]) {
    guard pending.count + bytes.count >= 1 << 16 else {
      pending += bytes
      return
    }
    flush()
    StandardStream.output.write(bytes)
  }

  /// Writes what is pending; the command calls it once it has succeeded. (Nothing else of the
  /// command writes to stdout, so nothing waits in `print`'s buffer to come first.)
  func flush() {
    StandardStream.output.write(pending)
    pending.removeAll(keepingCapacity: true)
  }
}
