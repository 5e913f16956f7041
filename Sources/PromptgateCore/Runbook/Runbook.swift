/// The runbook (`runbook.yaml`, SPEC §2): the four layers every release declares, the roles,
/// and the paths that make a file a prompt or a policy.
///
/// Plain values; ``document`` keeps the parsed YAML so gates can point at the line of any key.
public struct Runbook: Sendable, Hashable {
  public static let path = "runbook.yaml"
  public static let supportedVersion = 1

  public struct Escalation: Sendable, Hashable {
    public let when: String
    public let to: String

    public init(when: String, to: String) {
      self.when = when
      self.to = to
    }
  }

  public struct Service: Sendable, Hashable {
    public let name: String?
    public let scope: [String]
    public let outOfScope: [String]
    public let inputs: StructuredValue?
    public let outputs: StructuredValue?
    public let escalation: [Escalation]
    /// Who the service is run for (`service.client`): an MSP's client, named in its reports.
    public let client: String?
  }

  public struct Fallback: Sendable, Hashable {
    public enum Strategy: String, Sendable, CaseIterable {
      case previousRelease = "previous-release"
      case staticResponse = "static-response"
      case humanHandoff = "human-handoff"
    }

    public let strategy: Strategy?
    public let response: String?
    public let queue: String?

    public init(strategy: Strategy?, response: String?, queue: String?) {
      self.strategy = strategy
      self.response = response
      self.queue = queue
    }
  }

  public struct RollbackPlan: Sendable, Hashable {
    public let owner: String?
    public let target: String?
    public let triggers: [String]
    public let maxRecoveryMinutes: Int?
    public let steps: [String]
  }

  public struct Checkpoint: Sendable, Hashable {
    public let name: String
    public let role: String
    public let approvals: Int
    /// Globs of the paths whose change makes this checkpoint apply; empty means any change.
    public let paths: [String]
    /// Environments it applies to; empty means every environment.
    public let environments: [String]
  }

  public struct Governance: Sendable, Hashable {
    public let checkpoints: [Checkpoint]
    public let separationOfDuties: Bool
    public let approvalTTLDays: Int?
    public let overrideRoles: [String]
    /// Who may sign a release into an environment that names no `release_roles` of its own.
    public let releaseRoles: [String]
    /// True: every commit between base and release that touches gated paths must carry an SSH
    /// signature by a key of the base's allowed_signers (namespace `git`).
    public let signedCommits: Bool
  }

  /// An environment declared in `environments:`, in promotion order (SPEC §3).
  public struct Environment: Sendable, Hashable {
    public let name: String
    /// The environment a release must have been deployed in before it comes here.
    public let after: String?
    public let soakMinutes: Int?
    /// Who may sign a release here; empty means `governance.release_roles`.
    public let releaseRoles: [String]
  }

  public let version: Int?
  public let service: Service?
  public let slo: [(name: String, value: Scalar)]
  public let fallback: Fallback?
  public let rollback: RollbackPlan?
  public let governance: Governance?
  public let incidents: [String]
  /// How often the service is reviewed (`improvement.review_cadence`), nil when not said.
  public let reviewCadence: ReviewCadence?
  /// Who may sign a service review (`improvement.review_roles`; default: service-manager) and
  /// a metrics import (`improvement.metrics_roles`; default: the review roles).
  public let reviewRoles: [String]
  public let metricsRoles: [String]
  /// The declared environments in promotion order; empty when the runbook declares none.
  public let environments: [Environment]
  /// Role name → principals (as in allowed_signers), in the runbook's order.
  public let roles: [String: [String]]
  public let paths: PathClassifier
  public let document: StructuredValue

  /// The value at a dotted key path (`reliability.fallback.strategy`), nil when absent.
  public func value(at keyPath: String) -> StructuredValue? {
    var current: StructuredValue? = document
    for key in keyPath.split(separator: ".") {
      current = current?[String(key)]
    }
    return current
  }

  /// Where the key at `keyPath` is written, or where its nearest written ancestor is: a gate
  /// complaining that `reliability.fallback` is missing points at `reliability:`.
  public func location(of keyPath: String) -> SourceLocation {
    var keys = keyPath.split(separator: ".").map(String.init)
    while !keys.isEmpty {
      let parent = keys.dropLast().reduce(Optional(document)) { $0?[$1] }
      if let entry = parent?.entries?.first(where: { $0.key == keys.last }) { return entry.keyLocation }
      keys.removeLast()
    }
    return SourceLocation(line: 1, column: 1)
  }

  /// True when the principal holds `role`.
  public func holds(_ principal: String, role: String) -> Bool {
    roles[role]?.contains(principal) ?? false
  }

  /// The declared environment called `name`, if the runbook declares it.
  public func environment(_ name: String) -> Environment? {
    environments.first { $0.name == name }
  }

  /// The roles whose holders may sign `move` in `environment` (SPEC §3): the environment's
  /// `release_roles` (else `governance.release_roles`) for a release; the rollback owner or a
  /// release role for a rollback or mark-bad; `governance.override_roles` for an override.
  public func roles(allowedTo move: MoveKind, in environment: String) -> [String] {
    let declared = self.environment(environment)?.releaseRoles ?? []
    let release = declared.isEmpty ? governance?.releaseRoles ?? [] : declared
    switch move {
    case .release: return release
    case .rollback, .markBad:
      let owner = rollback?.owner.map { [$0] } ?? []
      return owner + release.filter { !owner.contains($0) }
    case .override: return governance?.overrideRoles ?? []
    }
  }

  public static func == (lhs: Runbook, rhs: Runbook) -> Bool { lhs.document == rhs.document }
  public func hash(into hasher: inout Hasher) { hasher.combine(document) }
}
