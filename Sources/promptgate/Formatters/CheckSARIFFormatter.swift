import PromptgateCore

/// `check --format sarif`: SARIF 2.1.0 for code-scanning dashboards, one rule per gate id and
/// one result per problem, located at its file and line.
struct CheckSARIFFormatter {
  func format(_ report: CheckReport) throws -> String {
    let rules = report.gates.map { gate in
      Rule(
        id: gate.id, name: gate.id, shortDescription: Message(text: gate.summary),
        defaultConfiguration: Configuration(level: gate.severity.rawValue),
        properties: ["layer": gate.layer.rawValue, "source": gate.source])
    }
    var results: [Result] = []
    for (index, gate) in report.gates.enumerated() where gate.status == .fail {
      for diagnostic in gate.diagnostics where diagnostic.severity != .note {
        let blocking = report.blockingFailures.contains(gate)
        let location = diagnostic.file.map { file in
          Location(
            physicalLocation: PhysicalLocation(
              artifactLocation: ArtifactLocation(uri: RepositoryText.uri(file)),
              region: diagnostic.location.map { Region(startLine: $0.line, startColumn: $0.column) }))
        }
        results.append(
          Result(
            ruleId: gate.id, ruleIndex: index, level: blocking ? "error" : "warning",
            message: Message(text: diagnostic.message), locations: location.map { [$0] } ?? []))
      }
    }
    let log = Log(
      runs: [
        Run(
          tool: Tool(
            driver: Driver(
              name: "promptgate", semanticVersion: Promptgate.configuration.version, rules: rules)),
          results: results,
          properties: [
            "release": report.release.commit, "base": report.base?.commit ?? "",
            "rulesFrom": report.rulesFrom,
          ])
      ])
    return try Output.json(log, keepingNames: true)
  }

  private struct Log: Encodable {
    let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    let version = "2.1.0"
    let runs: [Run]
    enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
  }

  private struct Run: Encodable {
    let tool: Tool
    let results: [Result]
    let properties: [String: String]
  }

  private struct Tool: Encodable { let driver: Driver }

  private struct Driver: Encodable {
    let name: String
    let semanticVersion: String
    let rules: [Rule]
  }

  private struct Rule: Encodable {
    let id: String
    let name: String
    let shortDescription: Message
    let defaultConfiguration: Configuration
    let properties: [String: String]
  }

  private struct Configuration: Encodable { let level: String }
  private struct Message: Encodable { let text: String }

  private struct Result: Encodable {
    let ruleId: String
    let ruleIndex: Int
    let level: String
    let message: Message
    let locations: [Location]
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
