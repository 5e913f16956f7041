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
  /// One member of the document's `files`; with `patch` (`--patch`), its unified diff as the
  /// `patch` field.
  public func json(patch: String? = nil) -> JSONValue {
    func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    var fields: [String: JSONValue] = [
      "path": .string(path), "old_path": optional(oldPath),
      "status": .string(status.rawValue),
      "kind": .string(kind.rawValue), "additions": .integer(Int64(additions)),
      "deletions": .integer(Int64(deletions)), "binary": .bool(binary),
      "old_mode": optional(oldMode), "new_mode": optional(newMode),
      "similarity": similarity.map { .integer(Int64($0)) } ?? .null,
      "old_id": optional(oldID), "new_id": optional(newID),
      "changes": .array(
        changes.map { change in
          var fields: [String: JSONValue] = [
            "kind": .string(change.kind.rawValue), "change": .string(change.change.rawValue),
            "path": .string(change.path), "old": optional(change.old), "new": optional(change.new),
            "weakens": optional(change.weakens),
          ]
          // A signer's path is "<principal> <fingerprint>"; the parts, for tools.
          switch change.kind {
          case .signer:
            let parts = change.path.split(separator: " ")
            fields["principal"] = .string(parts.dropLast().joined(separator: " "))
            fields["fingerprint"] = .string(parts.last.map(String.init) ?? "")
          case .revokedKey: fields["fingerprint"] = .string(change.path)
          default: break
          }
          return .object(fields)
        }),
      "sections": .array(sections.map(\.json)),
      "notes": .array(notes.map(JSONValue.string)),
    ]
    if let patch { fields["patch"] = .string(patch) }
    return .object(fields)
  }
}

extension SectionChange {
  /// `{"change", "path": [titles], "heading", "old_path", "units", "items": [...]}`.
  var json: JSONValue {
    func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    return .object([
      "change": .string(change.rawValue),
      "path": .array(path.map(JSONValue.string)),
      "heading": .string(MarkdownSections.display(path)),
      "old_path": oldPath.map { .array($0.map(JSONValue.string)) } ?? .null,
      "units": .integer(Int64(units)),
      "items": .array(
        items.map { item in
          .object([
            "change": .string(item.change.rawValue), "old": optional(item.old), "new": optional(item.new),
            "excerpt": optional(item.excerpt),
          ])
        }),
    ])
  }
}
