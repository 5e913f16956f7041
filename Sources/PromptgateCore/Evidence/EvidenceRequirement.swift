/// One entry of the runbook's `reliability.evidence` (SPEC §2): the evidence of one kind a
/// release needs, where its change touches `paths`, in `environments`, with at least
/// `min_pass_rate`, recorded no more than `max_age_days` before it is judged.
///
/// ```yaml
/// reliability:
///   evidence:
///     - { kind: evaluation, min_pass_rate: 0.95, paths: ["prompts/**"], environments: [production] }
///     - { kind: policy-tests, min_pass_rate: 1.0, paths: ["policies/**"], max_age_days: 7 }
/// governance:
///   evidence_roles: [release-bot]     # who may sign evidence (CI's key)
/// ```
public struct EvidenceRequirement: Sendable, Hashable {
  public let kind: String
  /// Between 0 and 1; 1 when not given: every test must pass.
  public let minimumPassRate: Double
  /// Globs of the paths whose change makes it apply; empty: any change.
  public let paths: [String]
  /// Environments it applies in; empty: every environment.
  public let environments: [String]
  /// How old the evidence may be when the release is judged; nil: any age.
  public let maximumAgeDays: Int?
  /// Where it is written, for diagnostics.
  public let location: SourceLocation?

  static let schema: Schema = .map([
    "kind": .required(.string),
    "min_pass_rate": .optional(.number),
    "paths": .optional(.list(.string)),
    "environments": .optional(.list(.string)),
    "max_age_days": .optional(.integer),
  ])

  /// The command that records this kind of evidence, for messages.
  public func recordCommand(for commit: String) -> String {
    "promptgate evidence record \(commit) --kind \(kind) --file <results> --key <ci key>"
  }
}

extension Runbook {
  /// `reliability.evidence`: what each release must carry.
  public var evidenceRequirements: [EvidenceRequirement] {
    (value(at: "reliability.evidence")?.items ?? []).compactMap { item in
      guard let kind = item["kind"]?.scalar?.text, !kind.isEmpty else { return nil }
      func strings(_ key: String) -> [String] { item[key]?.items?.compactMap { $0.scalar?.text } ?? [] }
      return EvidenceRequirement(
        kind: kind, minimumPassRate: item["min_pass_rate"]?.scalar?.number ?? 1.0, paths: strings("paths"),
        environments: strings("environments"),
        maximumAgeDays: item["max_age_days"]?.scalar.flatMap { Int($0.text) }, location: item.location)
    }
  }

  /// `governance.evidence_roles`: the roles whose holders may sign evidence.
  public var evidenceRoles: [String] {
    value(at: "governance.evidence_roles")?.items?.compactMap { $0.scalar?.text } ?? []
  }
}
