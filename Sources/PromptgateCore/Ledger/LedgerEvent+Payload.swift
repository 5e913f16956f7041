/// What each kind of event carries, read in one place: the signed statement of an approval,
/// an override or a move, and the unsigned record of a decision (its gates, what it skipped).
/// Events recorded by earlier versions, before moves were signed, keep their `details` keys
/// (`from`, `reason`, `incident`, `base`); they are read here too, so no other file looks
/// inside `details`.
extension LedgerEvent {
  /// The signed statement of an approval or rejection.
  public var approvalStatement: ApprovalStatement? {
    guard kind == .approval || kind == .rejection, let json = details["statement"] else { return nil }
    return try? ApprovalStatement(json: json)
  }

  /// The signed statement of a break-glass override.
  public var overrideStatement: OverrideStatement? {
    guard kind == .override, let json = details["statement"] else { return nil }
    return try? OverrideStatement(json: json)
  }

  /// The signed statement of a release, blocked attempt, rollback or mark-bad.
  public var moveStatement: MoveStatement? {
    guard [.release, .blocked, .rollback, .markBad].contains(kind), let json = details["statement"] else {
      return nil
    }
    return try? MoveStatement(json: json)
  }

  /// The move this event is, for the role check: nil for approvals and rejections. A blocked
  /// attempt is a release its gates stopped, signed by a release role like any release.
  public var move: MoveKind? {
    switch kind {
    case .release, .blocked: .release
    case .rollback: .rollback
    case .markBad: .markBad
    case .override: .override
    case .approval, .rejection, .evidence, .metrics, .review: nil
    }
  }

  /// Why: a rollback's or mark-bad's reason, an override's.
  public var reason: String? {
    moveStatement?.reason ?? overrideStatement?.reason ?? details["reason"]?.string
      ?? details["statement"]?["reason"]?.string
  }

  /// The role the signer signed in, as the statement says.
  public var signedRole: String? { statement?.role ?? details["statement"]?["role"]?.string }

  /// The incident a rollback answers, and when it began.
  public var incident: String? { moveStatement?.incident ?? details["incident"]?.string }
  public var incidentStart: String? { moveStatement?.incidentStart ?? details["incident_start"]?.string }

  /// What a rollback moved the environment off.
  public var rolledBackFrom: Release? {
    guard kind == .rollback else { return nil }
    if let statement = moveStatement { return statement.replaces }
    return Self.release(details["from"])
  }

  /// What the environment ran when this move was decided: `.some(nil)` when it ran nothing,
  /// nil when the event does not say (events of earlier versions that recorded no base).
  public var decidedOn: Release?? {
    if let statement = moveStatement { return .some(statement.replaces) }
    if let replaces = details["replaces"] { return .some(Self.release(replaces)) }
    switch kind {
    case .release, .override, .blocked:
      guard let base = details["base"] else { return nil }
      return .some(Self.release(base))
    case .rollback:
      return rolledBackFrom.map { .some($0) }
    default:
      return nil
    }
  }

  /// The base a release, blocked attempt or override was judged against.
  public var judgedAgainst: Release? {
    moveStatement?.base ?? Self.release(details["base"])
  }

  /// The gates that failed: a blocked attempt's, or those an override overrode.
  public var failedGates: [String] {
    details["failed"]?.array?.compactMap(\.string) ?? overrideStatement?.overrides ?? []
  }

  /// Every gate of a release, blocked attempt or override, with its status.
  public var gateResults: [(id: String, status: String)] {
    details["gates"]?.array?.compactMap { gate in
      guard let id = gate["id"]?.string, let status = gate["status"]?.string else { return nil }
      return (id, status)
    } ?? []
  }

  /// The releases a rollback passed over, each with why.
  public var skipped: [(commit: String, reason: String)] {
    details["skipped"]?.array?.compactMap { entry in
      guard let commit = entry["commit"]?.string, let reason = entry["reason"]?.string else { return nil }
      return (commit, reason)
    } ?? []
  }

  /// What an event records beside its envelope, written here and nowhere else: the signed
  /// statement, and what the decision saw (each gate's status, the gates that failed or were
  /// overridden, the releases a rollback passed over, an override's base and what it replaced).
  public struct Record: Sendable {
    public var statement: (any SignableStatement)?
    public var gates: [(id: String, status: String)] = []
    public var failed: [String] = []
    public var skipped: [(commit: String, reason: String)] = []
    /// An override's base and what the environment ran (a move's statement says both itself).
    public var base: Release?? = nil
    public var replaces: Release?? = nil

    public init(statement: (any SignableStatement)? = nil) {
      self.statement = statement
    }

    /// The `details` object of `event.json`.
    public var details: [String: JSONValue] {
      var details: [String: JSONValue] = [:]
      if let statement { details["statement"] = statement.json }
      if !gates.isEmpty {
        details["gates"] = .array(
          gates.map { .object(["id": .string($0.id), "status": .string($0.status)]) })
      }
      if !failed.isEmpty { details["failed"] = .array(failed.map(JSONValue.string)) }
      if !skipped.isEmpty {
        details["skipped"] = .array(
          skipped.map { .object(["commit": .string($0.commit), "reason": .string($0.reason)]) })
      }
      if let base { details["base"] = base?.json ?? .null }
      if let replaces { details["replaces"] = replaces?.json ?? .null }
      return details
    }
  }

  /// The checkpoint an approval or rejection is about, for its summary line.
  var decidedCheckpoint: String? { details["statement"]?["checkpoint"]?.string }

  /// True when the event carries a statement, readable or not: the audit tells a signed event
  /// whose statement is broken from an unsigned one.
  var carriesStatement: Bool { details["statement"] != nil }

  private static func release(_ value: JSONValue?) -> Release? {
    guard let commit = value?["commit"]?.string, let tree = value?["tree"]?.string else { return nil }
    return Release(commit: commit, tree: tree)
  }
}
