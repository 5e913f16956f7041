import Git

/// The gates that read the changed files: prompt versions and secrets.
extension GateContext {
  func versionBumpOutcome() -> GateOutcome {
    var problems: [Diagnostic] = []
    var checked = 0
    for file in files where file.kind == .prompt && !file.binary && file.oldID != file.newID {
      guard file.status == .modified || file.status == .renamed,
        let old = text(of: file.oldID.flatMap(ObjectID.init(hex:))),
        let new = text(of: file.newID.flatMap(ObjectID.init(hex:)))
      else { continue }
      let before = FrontMatter(splitting: old)
      let after = FrontMatter(splitting: new)
      guard before.yaml != nil || after.yaml != nil else { continue }
      checked += 1
      let oldVersion = version(in: before)
      let newVersion = version(in: after)
      let place = newVersion?.location
      let name = file.path
      guard let newVersion else {
        problems.append(
          Diagnostic(
            .error, "the prompt changed but its front matter declares no `version`; add `version: x.y.z`",
            file: name, at: SourceLocation(line: 1, column: 1)))
        continue
      }
      guard let parsed = SemanticVersion(newVersion.text) else {
        problems.append(
          Diagnostic(
            .error, "`version: \(newVersion.text)` is not a semantic version such as 1.4.0", file: name,
            at: place))
        continue
      }
      guard let oldText = oldVersion?.text, let previous = SemanticVersion(oldText) else { continue }
      if !(previous < parsed) {
        problems.append(
          Diagnostic(
            .error,
            "the prompt changed but its version \(parsed) is not above the base's \(previous); "
              + "bump it (to \(previous.major).\(previous.minor).\(previous.patch + 1) at least)",
            file: name, at: place))
      }
    }
    if checked == 0 && problems.isEmpty {
      return .notApplicable("no changed prompt has front matter")
    }
    return .judging(problems)
  }

  /// A front matter's document, nil when it is empty or does not parse. The diff parsed most of
  /// them already, and a text always parses to the same document.
  private func frontMatter(_ yaml: String) -> StructuredValue? {
    if let kept = texts.document(parsedFrom: yaml) { return kept }
    return try? StructuredDocument.parse(yaml)
  }

  /// The front matter's `version` as text, with its line in the whole file.
  private func version(in parts: FrontMatter) -> (text: String, location: SourceLocation)? {
    guard let yaml = parts.yaml, let document = frontMatter(yaml),
      let entry = document.entries?.first(where: { $0.key == "version" }), let scalar = entry.value.scalar
    else { return nil }
    // The front matter starts on the file's second line, after `---`.
    return (
      scalar.text, SourceLocation(line: entry.value.location.line + 1, column: entry.value.location.column)
    )
  }
}
