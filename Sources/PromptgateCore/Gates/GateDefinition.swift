/// One gate instance, read from a YAML file: which check (its kind) with which parameters, and
/// how bad a failure is.
public struct GateDefinition: Sendable, Hashable {
  /// The runbook layer a gate belongs to (SPEC §1).
  public enum Layer: String, Sendable, Codable, CaseIterable, Comparable {
    case service, reliability, governance, improvement

    public static func < (lhs: Layer, rhs: Layer) -> Bool {
      allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
  }

  public enum Severity: String, Sendable, Codable, CaseIterable {
    case error, warning
  }

  public let id: String
  public let layer: Layer
  public let severity: Severity
  public let summary: String
  public let kind: GateKind
  /// The file it came from: `gates/fallback-declared.yaml` (standard pack, built in) or
  /// `.promptgate/gates/<name>.yaml` (the repository's own, read from the base).
  public let source: String
}

/// What a gate checks. Kinds are code; each takes its parameters from the gate file.
public enum GateKind: Sendable, Hashable {
  case runbookSchema
  /// Every listed runbook key path is present and not empty.
  case requiredKeys([String])
  /// `reliability.slo` declares each listed target as a number.
  case slo(required: [String])
  case fallback
  case rollbackPlan
  case checkpoints
  case versionBump
  /// Secret patterns and high-entropy tokens: runs of at least `minimumTokenLength`
  /// characters with at least `entropyThreshold` bits of entropy per character.
  case secrets(entropyThreshold: Double, minimumTokenLength: Int)
  /// Governance, roles or `.promptgate/**` changed: the named checkpoint must be approved.
  case governanceChange(checkpoint: String)
  case incidentFollowUp
  /// A declared environment with `after:` takes only a release that soaked there (SPEC §3).
  case promotion
  /// The evidence the trusted runbook's `reliability.evidence` requires is recorded for the
  /// release's own content, signed by an evidence role, fresh, passing (SPEC §5).
  case evidence

  /// The `kind:` names of gate files, with the schema of each kind's parameters.
  static let parameterSchemas: [String: [String: Schema.Field]] = [
    "runbook-schema": [:],
    "required-keys": ["keys": .required(.list(.string))],
    "slo": ["required": .optional(.list(.string))],
    "fallback": [:],
    "rollback-plan": [:],
    "checkpoints": [:],
    "version-bump": [:],
    "secrets": ["entropy_threshold": .optional(.number), "min_token_length": .optional(.integer)],
    "governance-change": ["checkpoint": .required(.string)],
    "incident-follow-up": [:],
    "promotion": [:],
    "evidence": [:],
  ]

  /// The kind a validated gate file describes.
  init?(name: String, document: StructuredValue) {
    func strings(_ key: String) -> [String] { document[key]?.items?.compactMap { $0.scalar?.text } ?? [] }
    switch name {
    case "runbook-schema": self = .runbookSchema
    case "required-keys": self = .requiredKeys(strings("keys"))
    case "slo": self = .slo(required: strings("required"))
    case "fallback": self = .fallback
    case "rollback-plan": self = .rollbackPlan
    case "checkpoints": self = .checkpoints
    case "version-bump": self = .versionBump
    case "secrets":
      self = .secrets(
        entropyThreshold: document["entropy_threshold"]?.scalar?.number ?? 4.0,
        minimumTokenLength: document["min_token_length"]?.scalar.flatMap { Int($0.text) } ?? 24)
    case "governance-change": self = .governanceChange(checkpoint: document["checkpoint"]?.scalar?.text ?? "")
    case "incident-follow-up": self = .incidentFollowUp
    case "promotion": self = .promotion
    case "evidence": self = .evidence
    default: return nil
    }
  }

  /// The `kind:` name a gate file gives.
  public var name: String {
    switch self {
    case .runbookSchema: "runbook-schema"
    case .requiredKeys: "required-keys"
    case .slo: "slo"
    case .fallback: "fallback"
    case .rollbackPlan: "rollback-plan"
    case .checkpoints: "checkpoints"
    case .versionBump: "version-bump"
    case .secrets: "secrets"
    case .governanceChange: "governance-change"
    case .incidentFollowUp: "incident-follow-up"
    case .promotion: "promotion"
    case .evidence: "evidence"
    }
  }

  /// The kinds that count signed approvals: what `status` lists as open checkpoints.
  public static let countingApprovals: Set<String> = ["checkpoints", "governance-change"]
}

extension GateDefinition {
  /// Parses a gate file; a bad one gives diagnostics naming the file, the place and the fix.
  static func parse(_ text: String, source: String) -> (GateDefinition?, [Diagnostic]) {
    let document: StructuredValue?
    do {
      document = try StructuredDocument.parse(text, limits: StructuredDocument.Limits(maxBytes: 256 << 10))
    } catch {
      return (nil, [Diagnostic(.error, "the gate file \(error.message)", file: source, at: error.location)])
    }
    guard let document, document.entries != nil else {
      return (
        nil,
        [
          Diagnostic(
            .error, "a gate file must be a map with id, layer, severity, summary and kind", file: source)
        ]
      )
    }
    var diagnostics: [Diagnostic] = []
    let kindName = document["kind"]?.scalar?.text ?? ""
    var fields: [String: Schema.Field] = [
      "id": .required(.string),
      "layer": .required(.oneOf(Layer.allCases.map(\.rawValue))),
      "severity": .required(.oneOf(Severity.allCases.map(\.rawValue))),
      "summary": .required(.string),
      "kind": .required(.oneOf(GateKind.parameterSchemas.keys.sorted())),
    ]
    fields.merge(GateKind.parameterSchemas[kindName] ?? [:]) { common, _ in common }
    Schema.map(fields).validate(document, path: "", file: source, into: &diagnostics)
    if let id = document["id"]?.scalar?.text,
      id.isEmpty || !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) || !id.first!.isLetter
    {
      diagnostics.append(
        Diagnostic(
          .error, "gate id `\(id)` must be lower-case letters, digits and dashes, starting with a letter",
          file: source, at: document["id"]?.location))
    }
    guard diagnostics.isEmpty,
      let id = document["id"]?.scalar?.text,
      let layer = document["layer"]?.scalar.flatMap({ Layer(rawValue: $0.text) }),
      let severity = document["severity"]?.scalar.flatMap({ Severity(rawValue: $0.text) }),
      let summary = document["summary"]?.scalar?.text,
      let kind = GateKind(name: kindName, document: document)
    else { return (nil, diagnostics) }
    return (
      GateDefinition(id: id, layer: layer, severity: severity, summary: summary, kind: kind, source: source),
      []
    )
  }
}
