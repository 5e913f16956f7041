import PromptgateCore

/// `diff` for a person at a terminal: files grouped as prompts, policies and other, each with
/// its status, line counts and semantic changes.
struct DiffTextFormatter {
  let style: Style

  func format(_ diff: ReleaseDiff, base: String, head: String, evidence: String? = nil) -> String {
    var out = style.bold("promptgate diff \(base) \(head)")
    out += style.dim("  (\(diff.base.commit.prefix(7)) → \(diff.head.commit.prefix(7)))") + "\n"
    if let evidence { out += RepositoryText.safe("evidence: \(evidence)") + "\n" }
    if diff.files.isEmpty {
      return out + "\nNo changes: both releases have the same content (tree \(diff.head.tree.prefix(7))).\n"
    }
    let width = min(72, diff.files.map { label($0).count }.max() ?? 0)
    for kind in FileKind.allCases {
      let files = diff.files.filter { $0.kind == kind }
      guard !files.isEmpty else { continue }
      out += "\n" + style.bold("\(heading(kind)) (\(files.count))") + "\n"
      for file in files {
        let name = label(file)
        let padding = String(repeating: " ", count: max(1, width - name.count + 2))
        out += "  \(statusLetter(file))  \(name)\(padding)\(counts(file))\n"
        for change in file.changes {
          out += "       " + describe(change) + "\n"
        }
        for note in file.notes {
          out += "       " + style.dim(note) + "\n"
        }
      }
    }
    let additions = diff.files.reduce(0) { $0 + $1.additions }
    let deletions = diff.files.reduce(0) { $0 + $1.deletions }
    out += "\n\(diff.files.count) file\(diff.files.count == 1 ? "" : "s") changed, "
    out +=
      "\(additions) insertion\(additions == 1 ? "" : "s")(+), \(deletions) deletion\(deletions == 1 ? "" : "s")(-)\n"
    return out
  }

  private func heading(_ kind: FileKind) -> String {
    switch kind {
    case .prompt: "prompts"
    case .policy: "policies"
    case .other: "other files"
    }
  }

  private func label(_ file: FileChange) -> String {
    if let oldPath = file.oldPath {
      return "\(RepositoryText.quoted(oldPath)) → \(RepositoryText.quoted(file.path))"
        + (file.similarity.map { " (\($0)%)" } ?? "")
    }
    return RepositoryText.quoted(file.path)
  }

  private func statusLetter(_ file: FileChange) -> String {
    switch file.status {
    case .added: style.green("A")
    case .deleted: style.red("D")
    case .modified: style.yellow("M")
    case .renamed: style.cyan("R")
    case .typechange: style.yellow("T")
    }
  }

  private func counts(_ file: FileChange) -> String {
    if file.binary { return style.dim("binary") }
    var parts: [String] = []
    if file.additions > 0 || file.deletions == 0 { parts.append(style.green("+\(file.additions)")) }
    if file.deletions > 0 { parts.append(style.red("-\(file.deletions)")) }
    var text = parts.joined(separator: " ")
    if let oldMode = file.oldMode, let newMode = file.newMode, oldMode != newMode {
      text += style.dim("  mode \(oldMode) → \(newMode)")
    }
    return text
  }

  private func describe(_ change: SemanticChange) -> String {
    switch (change.kind, change.change) {
    case (.variable, .added): return style.green("+ variable {{ \(safe(change.path)) }}")
    case (.variable, .removed): return style.red("- variable {{ \(safe(change.path)) }}")
    case (_, .added): return style.green("+ \(safe(change.path)): \(safe(change.new ?? ""))")
    case (_, .removed): return style.red("- \(safe(change.path)): \(safe(change.old ?? ""))")
    default:
      return style.yellow("~ \(safe(change.path)): \(safe(change.old ?? "")) → \(safe(change.new ?? ""))")
    }
  }

  private func safe(_ text: String) -> String { RepositoryText.safe(text) }
}
