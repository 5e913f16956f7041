import PromptgateCore

/// `diff --format markdown`: a table of files and a section per file with semantic changes, for
/// pull-request comments and job summaries.
struct DiffMarkdownFormatter {
  /// `patches` are the files' `--patch` texts in `diff.files` order; `stat` is `--stat`'s text;
  /// `evidence` the pass rates recorded for base and head.
  func format(
    _ diff: ReleaseDiff, base: String, head: String, patches: [String]? = nil, stat: String? = nil,
    evidence: String? = nil
  ) -> String {
    var out = "## promptgate diff `\(cell(base))` → `\(cell(head))`\n\n"
    out += "Base `\(diff.base.commit.prefix(7))`, head `\(diff.head.commit.prefix(7))`: "
    out += "\(diff.files.count) file\(diff.files.count == 1 ? "" : "s") changed.\n"
    if let evidence { out += "\nEvidence: \(cell(evidence))\n" }
    for warning in diff.warnings {
      out += "\n> **Warning:** \(warning)\n"
    }
    let weakening = diff.files.reduce(0) { $0 + $1.changes.filter { $0.weakens != nil }.count }
    if weakening > 0 {
      out +=
        "\n> **⚠ \(weakening) change\(weakening == 1 ? "" : "s") weaken\(weakening == 1 ? "s" : "") governance** (marked below).\n"
    }
    guard !diff.files.isEmpty else { return out }
    if let stat {
      out +=
        "\n```text\n" + DiffPatchText.lines(stat).map { DiffPatchText.safeLine($0) }.joined(separator: "\n")
      out += "\n```\n"
    } else {
      out += table(diff)
    }
    for (index, file) in diff.files.enumerated() {
      let patch = patches?[index] ?? ""
      guard !file.changes.isEmpty || !file.notes.isEmpty || !file.sections.isEmpty || !patch.isEmpty else {
        continue
      }
      out += "\n### `\(cell(RepositoryText.quoted(file.path)))`\n\n"
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
      if !patch.isEmpty {
        if !file.changes.isEmpty || !file.notes.isEmpty || !file.sections.isEmpty { out += "\n" }
        out += DiffPatchText.markdownBlock(patch, summary: "Patch")
      }
    }
    return out
  }

  private func table(_ diff: ReleaseDiff) -> String {
    var out = "\n| Status | File | Kind | Lines |\n| --- | --- | --- | --- |\n"
    for file in diff.files {
      let name =
        file.oldPath.map {
          "`\(cell(RepositoryText.quoted($0)))` → `\(cell(RepositoryText.quoted(file.path)))`"
        }
        ?? "`\(cell(RepositoryText.quoted(file.path)))`"
      let lines = file.binary ? "binary" : "+\(file.additions) −\(file.deletions)"
      out += "| \(file.status.rawValue) | \(name) | \(file.kind.rawValue) | \(lines) |\n"
    }
    return out
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
    RepositoryText.safe(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(
      of: "`", with: "'")
  }
}
