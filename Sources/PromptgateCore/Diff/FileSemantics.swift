/// What changed inside one prompt or policy file, beyond its lines.
public struct FileSemantics: Sendable, Equatable {
  public var changes: [SemanticChange] = []
  /// A prose prompt's Markdown sections added, removed, moved or edited.
  public var sections: [SectionChange] = []
  /// Why part of the file could not be compared (invalid YAML, too large, ...).
  public var notes: [String] = []

  public init(changes: [SemanticChange] = [], notes: [String] = []) {
    self.changes = changes
    self.notes = notes
  }

  /// Prompts: front-matter fields old → new, the body's Markdown sections, and template
  /// variables added or removed. A prompt written as a YAML or JSON document is compared key by
  /// key as fields. Without `sections`, the body's sections are not compared. The front matters
  /// parsed are kept in `texts` (when it keeps anything) for the version gate.
  public static func prompt(path: String, old: String, new: String, sections: Bool = true) -> FileSemantics {
    prompt(path: path, old: old, new: new, sections: sections, keeping: nil)
  }

  static func prompt(path: String, old: String, new: String, sections: Bool, keeping texts: BlobTexts?)
    -> FileSemantics
  {
    var result = FileSemantics()
    let oldParts = FrontMatter(splitting: old)
    let newParts = FrontMatter(splitting: new)
    if oldParts.yaml != nil || newParts.yaml != nil {
      result.compareDocuments(
        old: oldParts.yaml, new: newParts.yaml, kind: .field, what: "front matter", lineOffset: 1,
        keeping: texts)
    } else if isStructured(path) {
      result.compareDocuments(old: old, new: new, kind: .field, what: "document", lineOffset: 0)
    }
    if sections, !isStructured(path), oldParts.body != newParts.body {
      result.sections = ProseDiff.changes(old: oldParts.body, new: newParts.body)
    }
    let before = TemplateVariables.names(in: oldParts.body)
    let after = TemplateVariables.names(in: newParts.body)
    for name in after.subtracting(before).sorted() {
      result.changes.append(SemanticChange(kind: .variable, change: .added, path: name))
    }
    for name in before.subtracting(after).sorted() {
      result.changes.append(SemanticChange(kind: .variable, change: .removed, path: name))
    }
    return result
  }

  /// Policies: YAML and JSON key paths added, removed or changed, old → new.
  public static func policy(path: String, old: String, new: String) -> FileSemantics {
    var result = FileSemantics()
    if isStructured(path) {
      result.compareDocuments(old: old, new: new, kind: .key, what: "document", lineOffset: 0)
    }
    return result
  }

  /// True for files promptgate reads as YAML or JSON, by extension.
  public static func isStructured(_ path: String) -> Bool {
    let lower = path.lowercased()
    return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".json")
  }

  private mutating func compareDocuments(
    old: String?, new: String?, kind: SemanticChange.Kind, what: String, lineOffset: Int,
    keeping texts: BlobTexts? = nil
  ) {
    var documents: [StructuredValue?] = []
    for (side, text) in [("old", old), ("new", new)] {
      guard let text else {
        documents.append(nil)
        continue
      }
      do {
        let document = try StructuredDocument.parse(text)
        texts?.keep(document, parsedFrom: text)
        documents.append(document)
      } catch {
        let place = error.location.map { " at line \($0.line + lineOffset), column \($0.column)" } ?? ""
        notes.append(
          "\(kind == .key ? "keys" : "fields") not compared: the \(side) \(what)\(place) \(error.message)")
        return
      }
    }
    changes += StructuredDiff.changes(from: documents[0], to: documents[1], kind: kind)
  }
}
