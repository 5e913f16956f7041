/// One meaningful change inside a prompt or policy file: a front-matter field, a template
/// variable, or a policy key.
public struct SemanticChange: Sendable, Hashable {
  public enum Kind: String, Sendable {
    /// A prompt's front-matter field (`model.parameters.temperature`, `version`, `inputs.x`).
    case field
    /// A template variable (`{{ customer_name }}`) the prompt body uses.
    case variable
    /// A key path in a YAML or JSON policy.
    case key
  }

  public enum Change: String, Sendable {
    case added, removed, changed
  }

  public let kind: Kind
  public let change: Change
  /// The key path (`limits.max_tokens`, `rules[2].action`, `topics[]` for a list item) or the
  /// variable name.
  public let path: String
  /// The value before, rendered compactly; nil when added or for variables.
  public let old: String?
  /// The value after, rendered compactly; nil when removed or for variables.
  public let new: String?

  public init(kind: Kind, change: Change, path: String, old: String? = nil, new: String? = nil) {
    self.kind = kind
    self.change = change
    self.path = path
    self.old = old
    self.new = new
  }
}
