import PromptgateCore

/// `diff --format markdown`: a table of files and a section per file with semantic changes, for
/// pull-request comments and job summaries.
struct DiffMarkdownFormatter {
  func format(_ diff: ReleaseDiff, base: String, head: String, evidence: String? = nil) -> String {
    var out = "## promptgate diff `\(cell(base))` → `\(cell(head))`\n\n"
    out += "Base `\(diff.base.commit.prefix(7))`, head `\(diff.head.commit.prefix(7))`: "
    out += "\(diff.files.count) file\(diff.files.count == 1 ? "" : "s") changed.\n"
    if let evidence { out += "\nEvidence: \(cell(evidence))\n" }
    for warning in diff.warnings {
      out += "\n> **Warning:** \(warning)\n"
    }
    guard !diff.files.isEmpty else { return out }
    out += "\n| Status | File | Kind | Lines |\n| --- | --- | --- | --- |\n"
    for file in diff.files {
      let name =
        file.oldPath.map {
          "`\(cell(RepositoryText.quoted($0)))` → `\(cell(RepositoryText.quoted(file.path)))`"
        }
        ?? "`\(cell(RepositoryText.quoted(file.path)))`"
      let lines = file.binary ? "binary" : "+\(file.additions) −\(file.deletions)"
      out += "| \(file.status.rawValue) | \(name) | \(file.kind.rawValue) | \(lines) |\n"
    }
    for file in diff.files where !file.changes.isEmpty || !file.notes.isEmpty {
      out += "\n### `\(cell(RepositoryText.quoted(file.path)))`\n\n"
      for change in file.changes {
        out += "- " + describe(change) + "\n"
      }
      for note in file.notes {
        out += "- _\(note)_\n"
      }
    }
    return out
  }

  private func describe(_ change: SemanticChange) -> String {
    let path = "`\(cell(change.path))`"
    switch (change.kind, change.change) {
    case (.variable, .added): return "variable `{{ \(cell(change.path)) }}` added"
    case (.variable, .removed): return "variable `{{ \(cell(change.path)) }}` removed"
    case (_, .added): return "\(path) added: `\(cell(change.new ?? ""))`"
    case (_, .removed): return "\(path) removed (was `\(cell(change.old ?? ""))`)"
    default: return "\(path): `\(cell(change.old ?? ""))` → `\(cell(change.new ?? ""))`"
    }
  }

  /// Text safe inside a table cell and inline code: no pipes or backticks breaking the layout.
  private func cell(_ text: String) -> String {
    RepositoryText.safe(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(
      of: "`", with: "'")
  }
}
