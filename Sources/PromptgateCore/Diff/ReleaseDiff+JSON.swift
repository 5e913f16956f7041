/// `diff --format json` (SPEC §6), built directly rather than through `Codable`: a whole-history
/// diff lists thousands of files, and Foundation's encoder was a third of the command's time.
extension ReleaseDiff {
  public var json: JSONValue {
    func point(_ point: Point) -> JSONValue {
      .object(["commit": .string(point.commit), "tree": .string(point.tree)])
    }
    func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    let files = files.map { file -> JSONValue in
      .object([
        "path": .string(file.path), "old_path": optional(file.oldPath),
        "status": .string(file.status.rawValue),
        "kind": .string(file.kind.rawValue), "additions": .integer(Int64(file.additions)),
        "deletions": .integer(Int64(file.deletions)), "binary": .bool(file.binary),
        "old_mode": optional(file.oldMode), "new_mode": optional(file.newMode),
        "similarity": file.similarity.map { .integer(Int64($0)) } ?? .null,
        "old_id": optional(file.oldID), "new_id": optional(file.newID),
        "changes": .array(
          file.changes.map { change in
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
        "sections": .array(file.sections.map(\.json)),
        "notes": .array(file.notes.map(JSONValue.string)),
      ])
    }
    return .object([
      "base": point(base), "head": point(head), "files": .array(files),
      "warnings": .array(warnings.map(JSONValue.string)),
    ])
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

extension JSONValue {
  /// A `diff --format json` document with each file's `--patch` text as its `patch` field.
  public func addingPatches(_ patches: [String]) -> JSONValue {
    guard case .object(var document) = self, case .array(let files) = document["files"] else { return self }
    document["files"] = .array(
      zip(files, patches).map { file, patch in
        guard case .object(var fields) = file else { return file }
        fields["patch"] = .string(patch)
        return .object(fields)
      })
    return .object(document)
  }
}
