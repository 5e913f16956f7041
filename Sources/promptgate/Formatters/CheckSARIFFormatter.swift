import PromptgateCore

/// `check --format sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning,
/// sarif-tools, VS Code's SARIF viewer), as they read it: one rule per gate with its
/// description and help in text and markdown, one result per problem located at its file and
/// line, and a `partialFingerprints` entry that stays the same from run to run while the
/// problem stays, so a dashboard tracks one alert instead of opening a new one on every push.
struct CheckSARIFFormatter {
  /// Where a reader of an alert learns what promptgate is. The project has no published home
  /// page yet; change it here when it has one.
  static let informationURI = "https://github.com/promptgate/promptgate"
  /// Indented (`--pretty`) or compact, as every other JSON promptgate prints.
  var pretty = false
  /// The `partialFingerprints` key: versioned, so a change of the hash starts new alerts
  /// rather than mismatching old ones.
  static let fingerprintKey = "promptgateFinding/v1"

  func format(_ report: CheckReport) throws -> String {
    let rules = report.gates.map(rule)
    var results: [Result] = []
    for (index, gate) in report.gates.enumerated() where gate.status == .fail {
      let blocking = report.blockingFailures.contains(gate)
      var seen: [String: Int] = [:]
      for diagnostic in gate.diagnostics where diagnostic.severity != .note {
        let place = "\(diagnostic.file ?? "")\u{0}\(diagnostic.message)"
        seen[place, default: 0] += 1
        let fingerprint = FindingFingerprint.of(
          gate: gate.id, file: diagnostic.file, message: diagnostic.message, occurrence: seen[place]!)
        results.append(
          Result(
            ruleId: gate.id, ruleIndex: index, level: blocking ? "error" : "warning",
            message: Message(text: diagnostic.message), locations: [location(of: diagnostic)],
            partialFingerprints: [Self.fingerprintKey: fingerprint]))
      }
    }
    let log = Log(
      runs: [
        Run(
          tool: Tool(
            driver: Driver(
              name: "promptgate", version: PromptgateVersion.current,
              semanticVersion: PromptgateVersion.current, informationUri: Self.informationURI, rules: rules)),
          invocations: [Invocation(executionSuccessful: true)],
          results: results,
          properties: [
            "release": report.release.commit, "base": report.base?.commit ?? "",
            "rulesFrom": report.rulesFrom, "passed": report.passed ? "true" : "false",
          ])
      ])
    return try Output.json(log, pretty: pretty, keepingNames: true)
  }

  /// A gate as a rule: its summary, what its kind checks, the fix, and where it is defined.
  private func rule(_ gate: GateResult) -> Rule {
    let help = CheckGateHelp.text(forKind: gate.kind)
    let source = RepositoryText.safe(gate.source)
    let summary = RepositoryText.safe(gate.summary)
    return Rule(
      id: gate.id, name: gate.id, shortDescription: Message(text: summary),
      fullDescription: Message(text: "\(summary). Checks: \(help.checks)"),
      help: Message(
        text: "\(help.checks) To pass: \(help.fix) Defined in \(source) (\(gate.layer.rawValue) layer, "
          + "\(gate.severity.rawValue)).",
        markdown: "**\(summary)**\n\n\(help.checks)\n\n**To pass:** \(help.fix)\n\n"
          + "Defined in `\(source)` (\(gate.layer.rawValue) layer, \(gate.severity.rawValue)); gates are read "
          + "from the release's base, so a change cannot loosen the gates that judge it."),
      defaultConfiguration: Configuration(level: gate.severity.rawValue),
      properties: RuleProperties(
        tags: ["promptgate", gate.layer.rawValue], layer: gate.layer.rawValue, kind: gate.kind,
        source: gate.source))
  }

  /// The problem's file and line. A problem of no file (an environment the release never
  /// reached) is placed at runbook.yaml, which declares what was missing: code-scanning
  /// dashboards refuse a result without a location.
  private func location(of diagnostic: Diagnostic) -> Location {
    Location(
      physicalLocation: PhysicalLocation(
        artifactLocation: ArtifactLocation(uri: RepositoryText.uri(diagnostic.file ?? Runbook.path)),
        region: diagnostic.file == nil
          ? nil : diagnostic.location.map { Region(startLine: $0.line, startColumn: $0.column) }))
  }

  private struct Log: Encodable {
    let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    let version = "2.1.0"
    let runs: [Run]
    enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
  }

  private struct Run: Encodable {
    let tool: Tool
    let invocations: [Invocation]
    let results: [Result]
    let properties: [String: String]
  }

  private struct Tool: Encodable { let driver: Driver }

  private struct Driver: Encodable {
    let name: String
    let version: String
    let semanticVersion: String
    let informationUri: String
    let rules: [Rule]
  }

  private struct Invocation: Encodable { let executionSuccessful: Bool }

  private struct Rule: Encodable {
    let id: String
    let name: String
    let shortDescription: Message
    let fullDescription: Message
    let help: Message
    let defaultConfiguration: Configuration
    let properties: RuleProperties
  }

  private struct RuleProperties: Encodable {
    let tags: [String]
    let layer: String
    let kind: String
    let source: String
  }

  private struct Configuration: Encodable { let level: String }

  private struct Message: Encodable {
    let text: String
    var markdown: String? = nil
  }

  private struct Result: Encodable {
    let ruleId: String
    let ruleIndex: Int
    let level: String
    let message: Message
    let locations: [Location]
    let partialFingerprints: [String: String]
  }

  private struct Location: Encodable { let physicalLocation: PhysicalLocation }

  private struct PhysicalLocation: Encodable {
    let artifactLocation: ArtifactLocation
    let region: Region?
  }

  private struct ArtifactLocation: Encodable { let uri: String }

  private struct Region: Encodable {
    let startLine: Int
    let startColumn: Int
  }
}
