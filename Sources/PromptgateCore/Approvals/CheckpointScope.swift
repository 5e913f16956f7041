extension Runbook.Checkpoint {
  /// Whether a checkpoint applies to a change in an environment, and why not when it does not.
  public enum Scope: Sendable, Equatable {
    /// It applies; these changed paths are what it covers.
    case applies(touched: [String])
    /// The change touches none of its paths.
    case untouched
    /// It covers other environments only.
    case otherEnvironment
    /// It is limited to some environments and none was named.
    case needsEnvironment
  }

  /// Its scope for a change of `changedPaths` in `environment` (nil when none was named).
  public func scope(changedPaths: [String], environment: String?) -> Scope {
    let globs = paths.map(Glob.init)
    let touched =
      globs.isEmpty ? changedPaths : changedPaths.filter { path in globs.contains { $0.matches(path) } }
    guard !touched.isEmpty else { return .untouched }
    if !environments.isEmpty {
      guard let environment else { return .needsEnvironment }
      guard environments.contains(environment) else { return .otherEnvironment }
    }
    return .applies(touched: touched)
  }

  /// The note for a checkpoint that does not apply.
  public func note(for scope: Scope, environment: String?) -> String? {
    switch scope {
    case .applies: nil
    case .untouched: "\(name): not needed, the change touches none of its paths"
    case .otherEnvironment: "\(name): not needed in \(environment ?? "this environment")"
    case .needsEnvironment:
      "\(name): applies to \(environments.joined(separator: ", ")) only; check with --env to count it"
    }
  }
}
