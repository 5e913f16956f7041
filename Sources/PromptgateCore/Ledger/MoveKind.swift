/// The moves of an environment that need a role (SPEC §3), each signed by a principal holding
/// a role the base's runbook allows for it.
public enum MoveKind: String, Sendable, CaseIterable, Codable {
  case release, rollback, override
  case markBad = "mark-bad"

  /// The move with its article, for messages: "a release", "an override".
  public var withArticle: String { self == .override ? "an override" : "a \(rawValue)" }

  /// How the role that allows it is named in the runbook, for messages.
  public var rolesSetting: String {
    switch self {
    case .release: "`release_roles` of the environment or `governance.release_roles`"
    case .rollback, .markBad: "`reliability.rollback.owner` or the release roles"
    case .override: "`governance.override_roles`"
    }
  }
}
