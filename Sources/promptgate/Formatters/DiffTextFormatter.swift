import PromptgateCore

/// `diff` for a person at a terminal: files grouped as prompts, policies and other, each with
/// its status, line counts and semantic changes.
struct DiffTextFormatter {
  let style: Style

  /// Writes the diff to `write` as its files are read, grouped by kind: nothing is held but the
  /// totals. `patch` gives a file's `--patch` text (nil without `--patch`); `evidence` is the
  /// pass rates recorded for base and head.
  func write(
    _ diff: ReleaseDiffReader, base: String, head: String, evidence: String? = nil,
    patch: ((FileChange) throws(PromptgateError) -> String)? = nil, to write: (String) -> Void
  ) throws(PromptgateError) {
    var out = style.bold("promptgate diff \(base) \(head)")
    out += style.dim("  (\(diff.base.commit.prefix(7)) → \(diff.head.commit.prefix(7)))") + "\n"
    if let evidence { out += RepositoryText.safe("evidence: \(evidence)") + "\n" }
    if diff.entries.isEmpty {
      write(out + "\nNo changes: both releases have the same content (tree \(diff.head.tree.prefix(7))).\n")
      return
    }
    write(out)
    let entries = diff.entries
    let width = min(
      72,
      entries.map { label(path: $0.path, oldPath: $0.oldPath, similarity: $0.similarity).count }.max() ?? 0)
    // Every prompt, then every policy, then the other files, each group in the diff's order.
    let order = FileKind.allCases.flatMap { kind in entries.indices.filter { entries[$0].kind == kind } }
    var kind: FileKind?
    var additions = 0
    var deletions = 0
    var weakening = 0
    try diff.forEachFile(in: order) { file throws(PromptgateError) in
      var out = ""
      if file.kind != kind {
        kind = file.kind
        let count = entries.count(where: { $0.kind == file.kind })
        out += "\n" + style.bold("\(heading(file.kind)) (\(count))") + "\n"
      }
      out += self.file(file, width: width, patch: try patch?(file))
      write(out)
      additions += file.additions
      deletions += file.deletions
      weakening += file.changes.count(where: { $0.weakens != nil })
    }
    let files = entries.count
    out = "\n\(files) file\(files == 1 ? "" : "s") changed, "
    out +=
      "\(additions) insertion\(additions == 1 ? "" : "s")(+), \(deletions) deletion\(deletions == 1 ? "" : "s")(-)\n"
    if weakening > 0 {
      out +=
        style.red(
          "⚠ \(weakening) change\(weakening == 1 ? "" : "s") weaken\(weakening == 1 ? "s" : "") governance")
        + "\n"
    }
    write(out)
  }

  /// One file's line, its semantic changes, and its patch when there is one.
  private func file(_ file: FileChange, width: Int, patch: String?) -> String {
    let name = label(path: file.path, oldPath: file.oldPath, similarity: file.similarity)
    let padding = String(repeating: " ", count: max(1, width - name.count + 2))
    var out = "  \(statusLetter(file))  \(name)\(padding)\(counts(file))\n"
    // Front matter first, then the body's sections, then its variables: the file's order.
    for change in file.changes where change.kind != .variable {
      out += "       " + describe(change) + "\n"
    }
    for section in file.sections {
      out += describe(section)
    }
    for change in file.changes where change.kind == .variable {
      out += "       " + describe(change) + "\n"
    }
    for note in file.notes {
      out += "       " + style.dim(note) + "\n"
    }
    if let patch {
      out += "\n" + colored(patch)
      if !patch.isEmpty { out += "\n" }
    }
    return out
  }

  private func heading(_ kind: FileKind) -> String {
    switch kind {
    case .prompt: "prompts"
    case .policy: "policies"
    case .other: "other files"
    }
  }

  private func label(path: String, oldPath: String?, similarity: Int?) -> String {
    if let oldPath {
      return "\(RepositoryText.quoted(oldPath)) → \(RepositoryText.quoted(path))"
        + (similarity.map { " (\($0)%)" } ?? "")
    }
    return RepositoryText.quoted(path)
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
    var text = ""
    if file.additions > 0 || file.deletions == 0 { text = style.green("+\(file.additions)") }
    if file.deletions > 0 { text += (text.isEmpty ? "" : " ") + style.red("-\(file.deletions)") }
    if let oldMode = file.oldMode, let newMode = file.newMode, oldMode != newMode {
      text += style.dim("  mode \(oldMode) → \(newMode)")
    }
    return text
  }

  private func describe(_ change: SemanticChange) -> String {
    let label =
      switch change.kind {
      case .signer: "signer \(safe(change.path))"
      case .gate: "gate \(safe(change.path))"
      case .revokedKey: "revoked key \(safe(change.path))"
      default: safe(change.path)
      }
    let line: String =
      switch (change.kind, change.change) {
      case (.variable, .added): style.green("+ variable {{ \(safe(change.path)) }}")
      case (.variable, .removed): style.red("- variable {{ \(safe(change.path)) }}")
      case (_, .added): style.green("+ \(label): \(safe(change.new ?? ""))")
      case (_, .removed): style.red("- \(label): \(safe(change.old ?? ""))")
      default: style.yellow("~ \(label): \(safe(change.old ?? "")) → \(safe(change.new ?? ""))")
      }
    guard let reason = change.weakens else { return line }
    return line + "  " + style.red("⚠ weakens governance: \(safe(reason))")
  }

  /// Items shown per section; `--patch` shows the rest.
  static let itemsShown = 8

  private func describe(_ section: SectionChange) -> String {
    let heading = safe(MarkdownSections.display(section.path))
    let items = section.units == 1 ? "1 item" : "\(section.units) items"
    var out = "       "
    switch section.change {
    case .added: out += style.green("+ section \(heading)") + style.dim("  (\(items))")
    case .removed: out += style.red("- section \(heading)") + style.dim("  (\(items))")
    case .changed: out += style.yellow("~ section \(heading)")
    case .moved: out += style.cyan("↕ section \(heading) moved")
    case .renamed:
      out += style.cyan(
        "→ section \(safe(MarkdownSections.display(section.oldPath ?? []))) renamed to \(heading)")
    }
    out += "\n"
    for item in section.items.prefix(Self.itemsShown) {
      out += "           "
      switch item.change {
      case .added: out += style.green("+ " + cut(safe(item.new ?? "")))
      case .removed: out += style.red("- " + cut(safe(item.old ?? "")))
      case .changed: out += style.yellow("~ ") + highlight(safe(item.excerpt ?? ""))
      }
      out += "\n"
    }
    if section.items.count > Self.itemsShown {
      out += "           " + style.dim("… \(section.items.count - Self.itemsShown) more (see --patch)") + "\n"
    }
    return out
  }

  /// An item cut to 120 characters: the excerpt says what changed, `--patch` shows it whole.
  private func cut(_ text: String) -> String {
    text.count > 120 ? String(text.prefix(117)) + "..." : text
  }

  /// `[-removed-]` in red, `{+added+}` in green, when colour is on.
  private func highlight(_ excerpt: String) -> String {
    guard style.color else { return excerpt }
    var out = ""
    var rest = excerpt[...]
    while let open = rest.firstMatch(of: /\[-(.*?)-\]|\{\+(.*?)\+\}/) {
      out += rest[..<open.range.lowerBound]
      let text = String(rest[open.range])
      out += text.hasPrefix("[-") ? style.red(text) : style.green(text)
      rest = rest[open.range.upperBound...]
    }
    return out + rest
  }

  /// A patch coloured as git colours one, each line made safe to print.
  private func colored(_ patch: String) -> String {
    var out = ""
    for line in DiffPatchText.lines(patch) {
      let safe = DiffPatchText.safeLine(line)
      if line.hasPrefix("diff --git") || line.hasPrefix("--- ") || line.hasPrefix("+++ ")
        || line.hasPrefix("index ")
      {
        out += style.bold(safe)
      } else if line.hasPrefix("@@") {
        out += style.cyan(safe)
      } else if line.hasPrefix("+") {
        out += style.green(safe)
      } else if line.hasPrefix("-") {
        out += style.red(safe)
      } else {
        out += safe
      }
      out += "\n"
    }
    return out
  }

  private func safe(_ text: String) -> String { RepositoryText.safe(text) }
}
