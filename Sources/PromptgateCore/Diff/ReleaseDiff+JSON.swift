/// `diff --format json` (SPEC §6), built directly rather than through `Codable`: a whole-history
/// diff lists thousands of files, and Foundation's encoder was a third of the command's time.
/// The document is `{"base", "evidence"?, "files": [...], "head", "warnings"}`; the CLI writes
/// it one file at a time, so these are its parts.
extension ReleaseDiff.Point {
  /// `{"commit", "tree"}`.
  public var json: JSONValue {
    .object(["commit": .string(commit), "tree": .string(tree)])
  }
}

extension FileChange {
  /// Writes one member of the document's `files`; with `patch` (`--patch`), its unified diff as
  /// the `patch` field. Keys in ``JSONValue``'s order (sorted by their bytes).
  public func writeJSON(patch: String? = nil, to out: inout JSONStream) {
    out.openObject()
    out.key("additions")
    out.integer(additions)
    out.key("binary")
    out.bool(binary)
    out.key("changes")
    out.openArray()
    for change in changes { change.writeJSON(to: &out) }
    out.closeArray()
    out.key("deletions")
    out.integer(deletions)
    out.member("kind", kind.rawValue)
    out.member("new_id", newID)
    out.member("new_mode", newMode)
    out.key("notes")
    out.openArray()
    for note in notes { out.string(note) }
    out.closeArray()
    out.member("old_id", oldID)
    out.member("old_mode", oldMode)
    out.member("old_path", oldPath)
    if let patch { out.member("patch", patch) }
    out.member("path", path)
    out.key("sections")
    out.openArray()
    for section in sections { section.writeJSON(to: &out) }
    out.closeArray()
    out.key("similarity")
    if let similarity { out.integer(similarity) } else { out.null() }
    out.member("status", status.rawValue)
    out.closeObject()
  }
}

extension SemanticChange {
  /// `{"change", "fingerprint"?, "kind", "new", "old", "path", "principal"?, "weakens"}`.
  func writeJSON(to out: inout JSONStream) {
    out.openObject()
    out.member("change", change.rawValue)
    // A signer's path is "<principal> <fingerprint>"; the parts, for tools.
    var principal: String?
    switch kind {
    case .signer:
      let parts = path.split(separator: " ")
      principal = parts.dropLast().joined(separator: " ")
      out.member("fingerprint", parts.last.map(String.init) ?? "")
    case .revokedKey: out.member("fingerprint", path)
    default: break
    }
    out.member("kind", kind.rawValue)
    out.member("new", new)
    out.member("old", old)
    out.member("path", path)
    if let principal { out.member("principal", principal) }
    out.member("weakens", weakens)
    out.closeObject()
  }
}

extension SectionChange {
  /// `{"change", "heading", "items": [...], "old_path": [titles], "path": [titles], "units"}`.
  func writeJSON(to out: inout JSONStream) {
    out.openObject()
    out.member("change", change.rawValue)
    out.member("heading", MarkdownSections.display(path))
    out.key("items")
    out.openArray()
    for item in items {
      out.openObject()
      out.member("change", item.change.rawValue)
      out.member("excerpt", item.excerpt)
      out.member("new", item.new)
      out.member("old", item.old)
      out.closeObject()
    }
    out.closeArray()
    out.key("old_path")
    if let oldPath { Self.writeTitles(oldPath, to: &out) } else { out.null() }
    out.key("path")
    Self.writeTitles(path, to: &out)
    out.key("units")
    out.integer(units)
    out.closeObject()
  }

  private static func writeTitles(_ titles: [String], to out: inout JSONStream) {
    out.openArray()
    for title in titles { out.string(title) }
    out.closeArray()
  }
}
