import Git

extension PathClassifier {
  /// The classifier for diffing `head` against `base`: the base's runbook `paths:` (trust comes
  /// from the base), the head's when the base has no runbook, the defaults when neither has.
  static func forRelease(base: Commit, head: Commit, in repository: Repository, warnings: inout [String])
    -> PathClassifier
  {
    for commit in [base, head] {
      guard let loaded = try? Runbook.load(from: commit, in: repository) else { continue }
      if let runbook = loaded.runbook { return runbook.paths }
      let problem = loaded.diagnostics.first?.formatted ?? "\(Runbook.path) cannot be read"
      warnings.append("\(problem) (at \(commit.id.short())); using the default paths")
      return PathClassifier()
    }
    return PathClassifier()
  }
}
