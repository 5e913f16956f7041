/// One meaningful change inside a prompt or policy file: a front-matter field, a template
/// variable, or a policy key.
public struct SemanticChange: Sendable, Hashable {
  public enum Kind: String, Sendable {
    /// A prompt's front-matter field (`model.parameters.temperature`, `version`, `inputs.x`).
    case field
    /// A template variable (`{{ customer_name }}`) the prompt body uses.
    case variable
    /// A key path in a YAML or JSON policy, or in `runbook.yaml`.
    case key
    /// A principal and key fingerprint in `.promptgate/allowed_signers`.
    case signer
    /// A key fingerprint in `.promptgate/revoked_keys`.
    case revokedKey = "revoked_key"
    /// A gate of `.promptgate/gates/*`, by id (`my-gate`, `my-gate.severity`).
    case gate
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
  /// Why this change weakens governance (more people may approve, sign, release or override,
  /// or a change passes with fewer checks); nil when it does not.
  public let weakens: String?

  public init(
    kind: Kind, change: Change, path: String, old: String? = nil, new: String? = nil, weakens: String? = nil
  ) {
    self.kind = kind
    self.change = change
    self.path = path
    self.old = old
    self.new = new
    self.weakens = weakens
  }

  /// The same change marked as weakening governance for `reason` (unmarked when nil).
  func marked(_ reason: String?) -> SemanticChange {
    SemanticChange(kind: kind, change: change, path: path, old: old, new: new, weakens: reason)
  }
}
