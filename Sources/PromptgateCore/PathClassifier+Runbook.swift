import Git

extension PathClassifier {
  /// The runbook's file name at the root of the gated repository.
  public static let runbookPath = "runbook.yaml"

  /// The classifier for diffing `head` against `base`: the base's runbook `paths:` (trust comes
  /// from the base), the head's when the base has no runbook, the defaults when neither has.
  static func forRelease(base: Commit, head: Commit, in repository: Repository, warnings: inout [String])
    -> PathClassifier
  {
    for commit in [base, head] {
      if let classifier = fromRunbook(in: commit, repository: repository, warnings: &warnings) {
        return classifier
      }
    }
    return PathClassifier()
  }

  private static func fromRunbook(in commit: Commit, repository: Repository, warnings: inout [String])
    -> PathClassifier?
  {
    let where_ = "\(runbookPath) at \(commit.id.short())"
    guard let entry = try? repository.entry(at: runbookPath, inTree: commit.tree), entry.mode.isBlob,
      let bytes = try? repository.blob(entry.id)
    else { return nil }
    let runbook: StructuredValue?
    do {
      runbook = try StructuredDocument.parse(String(decoding: bytes, as: UTF8.self))
    } catch {
      let place = error.location.map { ":\($0.line):\($0.column)" } ?? ""
      warnings.append(
        "\(runbookPath)\(place) (\(commit.id.short())) \(error.message); using the default paths")
      return PathClassifier()
    }
    guard let paths = runbook?["paths"] else { return PathClassifier() }
    func globs(_ key: String, default fallback: [String]) -> [String] {
      guard let value = paths[key] else { return fallback }
      guard let items = value.items, items.allSatisfy({ $0.scalar != nil }) else {
        warnings.append(
          "\(where_):\(value.location.line):\(value.location.column) paths.\(key) is not a list of globs; "
            + "using \(fallback)")
        return fallback
      }
      return items.compactMap { $0.scalar?.text }
    }
    return PathClassifier(
      prompts: globs("prompts", default: defaultPrompts),
      policies: globs("policies", default: defaultPolicies))
  }
}
