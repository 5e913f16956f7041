/// Compares two parsed documents key by key and lists what was added, removed or changed.
///
/// Maps are compared by key; lists of scalars as collections (`topics[]` gained "crypto");
/// lists of maps by their `name` or `id` when every item has a distinct one
/// (`checkpoints[name=prompt-review].approvals`), otherwise by position.
public enum StructuredDiff {
  /// The changes from `old` to `new`, labelled `kind`; nil documents count as empty.
  public static func changes(
    from old: StructuredValue?, to new: StructuredValue?, kind: SemanticChange.Kind
  ) -> [SemanticChange] {
    // A missing document is an empty one of the other's shape, so adding front matter lists
    // its fields rather than one opaque blob.
    let empty = { (other: StructuredValue) in
      StructuredValue(other.entries != nil ? .map([]) : .list([]), at: other.location)
    }
    var changes: [SemanticChange] = []
    compare(old ?? new.map(empty), new ?? old.map(empty), path: "", kind: kind, into: &changes)
    return changes
  }

  private static func compare(
    _ old: StructuredValue?, _ new: StructuredValue?, path: String, kind: SemanticChange.Kind,
    into changes: inout [SemanticChange]
  ) {
    switch (old?.content, new?.content) {
    case (nil, nil):
      return
    case (.map(let oldEntries), .map(let newEntries)):
      let oldByKey = Dictionary(
        oldEntries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
      let newKeys = Set(newEntries.map(\.key))
      for entry in newEntries {
        compare(oldByKey[entry.key], entry.value, path: join(path, entry.key), kind: kind, into: &changes)
      }
      for entry in oldEntries where !newKeys.contains(entry.key) {
        compare(entry.value, nil, path: join(path, entry.key), kind: kind, into: &changes)
      }
    case (.list(let oldItems), .list(let newItems)):
      compareLists(oldItems, newItems, path: path, kind: kind, into: &changes)
    case (.some, .some):
      guard old != new else { return }
      changes.append(
        SemanticChange(kind: kind, change: .changed, path: path, old: old.map(render), new: new.map(render)))
    case (nil, .some):
      changes.append(SemanticChange(kind: kind, change: .added, path: path, new: new.map(render)))
    case (.some, nil):
      changes.append(SemanticChange(kind: kind, change: .removed, path: path, old: old.map(render)))
    }
  }

  private static func compareLists(
    _ old: [StructuredValue], _ new: [StructuredValue], path: String, kind: SemanticChange.Kind,
    into changes: inout [SemanticChange]
  ) {
    guard old != new else { return }
    if (old + new).allSatisfy({ $0.scalar != nil }) {
      // A list of scalars is a collection: report what left and what came, not every shifted index.
      var remaining = old.map { $0 }
      var added: [StructuredValue] = []
      for item in new {
        if let index = remaining.firstIndex(of: item) {
          remaining.remove(at: index)
        } else {
          added.append(item)
        }
      }
      for item in remaining {
        changes.append(SemanticChange(kind: kind, change: .removed, path: path + "[]", old: render(item)))
      }
      for item in added {
        changes.append(SemanticChange(kind: kind, change: .added, path: path + "[]", new: render(item)))
      }
      return
    }
    if let identity = sharedIdentity(old, new) {
      let oldByID = Dictionary(old.map { (identity($0)!, $0) }, uniquingKeysWith: { first, _ in first })
      let newIDs = Set(new.map { identity($0)! })
      for item in new {
        let id = identity(item)!
        compare(oldByID[id], item, path: path + "[\(id.key)=\(id.value)]", kind: kind, into: &changes)
      }
      for item in old {
        let id = identity(item)!
        if !newIDs.contains(id) {
          compare(item, nil, path: path + "[\(id.key)=\(id.value)]", kind: kind, into: &changes)
        }
      }
      return
    }
    for index in 0..<max(old.count, new.count) {
      compare(
        index < old.count ? old[index] : nil, index < new.count ? new[index] : nil, path: path + "[\(index)]",
        kind: kind, into: &changes)
    }
  }

  private struct Identity: Hashable {
    let key: String
    let value: String
  }

  /// A way to name every item of both lists by its `name` or `id`, if each has a distinct one.
  private static func sharedIdentity(_ old: [StructuredValue], _ new: [StructuredValue])
    -> ((StructuredValue) -> Identity?)?
  {
    for key in ["name", "id"] {
      let identify: (StructuredValue) -> Identity? = { item in
        item[key]?.scalar.map { Identity(key: key, value: $0.text) }
      }
      let oldIDs = old.compactMap(identify)
      let newIDs = new.compactMap(identify)
      if oldIDs.count == old.count, newIDs.count == new.count, Set(oldIDs).count == oldIDs.count,
        Set(newIDs).count == newIDs.count
      {
        return identify
      }
    }
    return nil
  }

  private static func join(_ path: String, _ key: String) -> String {
    // Most keys are ASCII words: decided from their bytes, without Unicode's character tables.
    let plain =
      !key.isEmpty
      && (key.utf8.allSatisfy(isPlainASCII)
        || key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
    let component = plain ? key : "\"\(key.replacingLiteral("\"", with: "\\\""))\""
    if path.isEmpty { return component }
    return plain ? path + "." + component : path + "[" + component + "]"
  }

  /// A letter, digit, `_` or `-` of ASCII: a byte that keeps a key plain.
  private static func isPlainASCII(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      true
    default: false
    }
  }

  /// A compact one-line rendering: scalars as written, maps and lists in flow style, cut at
  /// 120 characters.
  static func render(_ value: StructuredValue) -> String {
    let full = renderFlow(value)
    return full.count > 120 ? String(full.prefix(117)) + "..." : full
  }

  private static func renderFlow(_ value: StructuredValue) -> String {
    switch value.content {
    case .scalar(let scalar):
      if scalar.kind == .string && (scalar.text.isEmpty || scalar.text != scalar.text.trimmingWhitespace) {
        return "\"\(scalar.text)\""
      }
      // Foundation's replace, bridged through NSString, cost more than the rest of the
      // comparison; without a line feed it can only return the text as it is.
      return scalar.text.utf8.contains(UInt8(ascii: "\n"))
        ? scalar.text.replacingLiteral("\n", with: "\\n") : scalar.text
    case .list(let items):
      return "[" + items.map(renderFlow).joined(separator: ", ") + "]"
    case .map(let entries):
      return "{" + entries.map { "\($0.key): \(renderFlow($0.value))" }.joined(separator: ", ") + "}"
    }
  }
}
