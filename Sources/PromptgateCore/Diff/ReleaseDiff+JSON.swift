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
            .object([
              "kind": .string(change.kind.rawValue), "change": .string(change.change.rawValue),
              "path": .string(change.path), "old": optional(change.old), "new": optional(change.new),
            ])
          }),
        "notes": .array(file.notes.map(JSONValue.string)),
      ])
    }
    return .object([
      "base": point(base), "head": point(head), "files": .array(files),
      "warnings": .array(warnings.map(JSONValue.string)),
    ])
  }
}
