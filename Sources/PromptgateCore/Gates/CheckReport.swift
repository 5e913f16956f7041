/// The verdict of one gate on one release.
public struct GateResult: Sendable, Encodable, Hashable {
  public enum Status: String, Sendable, Encodable {
    case pass, fail
    case notApplicable = "not-applicable"
  }

  public let id: String
  /// The gate's kind (`checkpoints`, `fallback`...); `gate-files` for the pack's own check.
  public let kind: String
  public let layer: GateDefinition.Layer
  public let severity: GateDefinition.Severity
  public let summary: String
  /// The file that defines the gate.
  public let source: String
  public let status: Status
  /// Why it failed, or notes on why it passed or did not apply.
  public let diagnostics: [Diagnostic]
}

/// Everything `promptgate check` found about a release.
public struct CheckReport: Sendable, Encodable {
  public let release: ReleaseDiff.Point
  /// What the release is compared with and whose rules judge it; nil for a first release.
  public let base: ReleaseDiff.Point?
  /// `base` when the base's runbook, roles and gates judge; `release` when there is no base
  /// (or the base has no runbook), so the release trusts its own files.
  public let rulesFrom: String
  public let environment: String?
  public let strict: Bool
  public let gates: [GateResult]
  /// Notes for the reader: which rules were trusted and why.
  public let notes: [String]

  /// Gates whose failure blocks the release: errors, and warnings too when strict.
  public var blockingFailures: [GateResult] {
    gates.filter { $0.status == .fail && ($0.severity == .error || strict) }
  }

  public var warnings: [GateResult] {
    gates.filter { $0.status == .fail && $0.severity == .warning && !strict }
  }

  public var passed: Bool { blockingFailures.isEmpty }

  /// What approvals the release still lacks: the problems of failing gates that count them.
  public var openCheckpoints: [Diagnostic] {
    gates.filter { $0.status == .fail && GateKind.countingApprovals.contains($0.kind) }
      .flatMap { $0.diagnostics.filter { $0.severity != .note } }
  }

  enum CodingKeys: String, CodingKey {
    case release, base, rulesFrom = "rules_from", environment, strict, gates, notes, passed
  }

  public init(
    release: ReleaseDiff.Point, base: ReleaseDiff.Point?, rulesFrom: String, environment: String?,
    strict: Bool,
    gates: [GateResult], notes: [String]
  ) {
    self.release = release
    self.base = base
    self.rulesFrom = rulesFrom
    self.environment = environment
    self.strict = strict
    self.gates = gates
    self.notes = notes
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(release, forKey: .release)
    try container.encode(base, forKey: .base)
    try container.encode(rulesFrom, forKey: .rulesFrom)
    try container.encode(environment, forKey: .environment)
    try container.encode(strict, forKey: .strict)
    try container.encode(passed, forKey: .passed)
    try container.encode(gates, forKey: .gates)
    try container.encode(notes, forKey: .notes)
  }
}
