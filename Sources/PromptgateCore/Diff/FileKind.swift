/// What a file in the gated repository is, by the runbook's path globs.
public enum FileKind: String, Sendable, Codable, CaseIterable {
  case prompt, policy, other
}

/// Decides whether a path is a prompt, a policy or another file.
///
/// The globs come from the runbook's `paths:` (defaults `prompts/**` and `policies/**`). A path
/// matching both is a prompt.
public struct PathClassifier: Sendable {
  public let prompts: [Glob]
  public let policies: [Glob]

  public static let defaultPrompts = ["prompts/**"]
  public static let defaultPolicies = ["policies/**"]

  public init(prompts: [String] = defaultPrompts, policies: [String] = defaultPolicies) {
    self.prompts = prompts.map(Glob.init)
    self.policies = policies.map(Glob.init)
  }

  public func kind(of path: String) -> FileKind {
    if prompts.contains(where: { $0.matches(path) }) { return .prompt }
    if policies.contains(where: { $0.matches(path) }) { return .policy }
    return .other
  }
}
