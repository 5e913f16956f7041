import PromptgateCore

/// `diff --format markdown`: a table of files and a section per file with semantic changes, for
/// pull-request comments and job summaries.
struct DiffMarkdownFormatter {
  /// Writes the diff to `write`. `patch` gives a file's `--patch` text (nil without `--patch`);
  /// `stat` a file's line of `--stat` (nil without: a table of the files instead); `evidence` is
  /// the pass rates recorded for base and head.
  ///
  /// The comment opens with how many changes weaken governance and lists every file before any
  /// file's section, so it is written once the last file is read. Until then it holds text (the
  /// table's rows, each file's changes) and, with `--patch`, each file's outline, not the files
  /// nor their patches: a patch is read when its section is written.
  func write(
    _ diff: ReleaseDiffReader, base: String, head: String, evidence: String? = nil,
    patch: ((FileChange) throws(PromptgateError) -> String)? = nil,
    stat: ((FileChange) throws(PromptgateError) -> DiffStatFormatter.Entry)? = nil, to write: (String) -> Void
  ) throws(PromptgateError) {
    let files = diff.entries.count
    var out = "## promptgate diff `\(cell(base))` → `\(cell(head))`\n\n"
    out += "Base `\(diff.base.commit.prefix(7))`, head `\(diff.head.commit.prefix(7))`: "
    out += "\(files) file\(files == 1 ? "" : "s") changed.\n"
    if let evidence { out += "\nEvidence: \(cell(evidence))\n" }
    for warning in diff.warnings {
      out += "\n> **Warning:** \(warning)\n"
    }
    var weakening = 0
    var table = "\n| Status | File | Kind | Lines |\n| --- | --- | --- | --- |\n"
    var statEntries: [DiffStatFormatter.Entry] = []
    // A file's section: its path, its outline for the patch (with `--patch`), its changes.
    var sections: [(path: String, outline: FileChange?, changes: String)] = []
    try diff.forEachFile { file throws(PromptgateError) in
      weakening += file.changes.count(where: { $0.weakens != nil })
      if let stat {
        statEntries.append(try stat(file))
      } else {
        table += row(file)
      }
      let changes = self.changes(file)
      if patch != nil || !changes.isEmpty {
        sections.append((file.path, patch == nil ? nil : file.outline, changes))
      }
    }
    if weakening > 0 {
      out +=
        "\n> **⚠ \(weakening) change\(weakening == 1 ? "" : "s") weaken\(weakening == 1 ? "s" : "") governance** (marked below).\n"
    }
    guard files > 0 else { return write(out) }
    if stat != nil {
      let text = DiffStatFormatter().format(statEntries)
      out +=
        "\n```text\n" + DiffPatchText.lines(text).map { DiffPatchText.safeLine($0) }.joined(separator: "\n")
      out += "\n```\n"
    } else {
      out += table
    }
    write(out)
    // Each file's section: its changes and its patch; none when it has neither.
    for (path, outline, changes) in sections {
      let patch = try outline.map { file throws(PromptgateError) in try patch?(file) ?? "" } ?? ""
      guard !changes.isEmpty || !patch.isEmpty else { continue }
      var out = "\n### `\(cell(RepositoryText.quoted(path)))`\n\n" + changes
      if !patch.isEmpty {
        if !changes.isEmpty { out += "\n" }
        out += DiffPatchText.markdownBlock(patch, summary: "Patch")
      }
      write(out)
    }
  }

  /// The file's semantic changes, notes and sections as list items; empty when it has none.
  private func changes(_ file: FileChange) -> String {
    var out = ""
    // Front matter first, then the body's sections, then its variables: the file's order.
    for change in file.changes where change.kind != .variable {
      out += "- " + describe(change) + "\n"
    }
    for section in file.sections {
      out += describe(section)
    }
    for change in file.changes where change.kind == .variable {
      out += "- " + describe(change) + "\n"
    }
    for note in file.notes {
      out += "- _\(note)_\n"
    }
    return out
  }

  /// The file's row of the table.
  private func row(_ file: FileChange) -> String {
    let name =
      file.oldPath.map {
        "`\(cell(RepositoryText.quoted($0)))` → `\(cell(RepositoryText.quoted(file.path)))`"
      }
      ?? "`\(cell(RepositoryText.quoted(file.path)))`"
    let lines = file.binary ? "binary" : "+\(file.additions) −\(file.deletions)"
    return "| \(file.status.rawValue) | \(name) | \(file.kind.rawValue) | \(lines) |\n"
  }

  private func describe(_ section: SectionChange) -> String {
    let heading = "**\(inline(MarkdownSections.display(section.path)))**"
    let items = section.units == 1 ? "1 item" : "\(section.units) items"
    var out: String
    switch section.change {
    case .added: out = "- section \(heading) added (\(items))\n"
    case .removed: out = "- section \(heading) removed (\(items))\n"
    case .changed: out = "- section \(heading) changed\n"
    case .moved: out = "- section \(heading) moved\n"
    case .renamed:
      out = "- section **\(inline(MarkdownSections.display(section.oldPath ?? [])))** renamed to \(heading)\n"
    }
    for item in section.items.prefix(DiffTextFormatter.itemsShown) {
      switch item.change {
      case .added: out += "  - added: `\(cell(item.new ?? ""))`\n"
      case .removed: out += "  - removed: `\(cell(item.old ?? ""))`\n"
      case .changed: out += "  - changed: `\(cell(item.excerpt ?? ""))`\n"
      }
    }
    if section.items.count > DiffTextFormatter.itemsShown {
      out += "  - _… \(section.items.count - DiffTextFormatter.itemsShown) more (see --patch)_\n"
    }
    return out
  }

  /// A heading title safe in bold text: Markdown's own marks escaped.
  private func inline(_ text: String) -> String {
    var out = ""
    for character in RepositoryText.safe(text) {
      if "\\`*_[]<>|#".contains(character) { out.append("\\") }
      out.append(character)
    }
    return out
  }

  private func describe(_ change: SemanticChange) -> String {
    let path =
      switch change.kind {
      case .signer: "signer `\(cell(change.path))`"
      case .gate: "gate `\(cell(change.path))`"
      case .revokedKey: "revoked key `\(cell(change.path))`"
      default: "`\(cell(change.path))`"
      }
    let line: String =
      switch (change.kind, change.change) {
      case (.variable, .added): "variable `{{ \(cell(change.path)) }}` added"
      case (.variable, .removed): "variable `{{ \(cell(change.path)) }}` removed"
      case (_, .added): "\(path) added: `\(cell(change.new ?? ""))`"
      case (_, .removed): "\(path) removed (was `\(cell(change.old ?? ""))`)"
      default: "\(path): `\(cell(change.old ?? ""))` → `\(cell(change.new ?? ""))`"
      }
    guard let reason = change.weakens else { return line }
    return "**⚠ weakens governance:** " + line + " — " + inline(reason)
  }

  /// Text safe inside a table cell and inline code: no pipes or backticks breaking the layout.
  private func cell(_ text: String) -> String {
    RepositoryText.safe(text).replacingLiteral("|", with: "\\|").replacingLiteral(
      "`", with: "'")
  }
}
