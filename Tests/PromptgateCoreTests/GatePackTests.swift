import Foundation
import PromptgateCore
import Testing

@Suite struct GatePackTests {
  private var gatesFolder: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("gates")
  }

  @Test func theBuiltInPackIsTheGatesFolder() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: gatesFolder.path).filter {
      $0.hasSuffix(".yaml")
    }
    let pack = GatePack.standard
    #expect(pack.diagnostics == [])
    #expect(
      Set(pack.gates.map(\.source)) == Set(files.map { "gates/\($0)" }),
      "run `make gates` after editing gates/")
    for gate in pack.gates {
      let onDisk = try String(
        contentsOf: gatesFolder.appendingPathComponent(String(gate.source.dropFirst(6))), encoding: .utf8)
      #expect(onDisk.contains("id: \(gate.id)\n"))
    }
    #expect(Set(pack.gates.map(\.id)).count == pack.gates.count, "gate ids are unique")
  }

  @Test func theStandardPackCoversTheSpec() {
    let ids = Set(GatePack.standard.gates.map(\.id))
    for id in [
      "runbook-schema", "service-definition", "slo-declared", "fallback-declared", "rollback-plan",
      "checkpoints-approved", "prompt-version-bump", "no-secrets", "governance-changes", "incident-follow-up",
    ] {
      #expect(ids.contains(id))
    }
  }

  @Test func theGatesReadmeDocumentsEveryKind() throws {
    let readme = try String(contentsOf: gatesFolder.appendingPathComponent("README.md"), encoding: .utf8)
    for gate in GatePack.standard.gates {
      #expect(readme.contains("`\(gate.id)`"), "gates/README.md should list \(gate.id)")
    }
    for kind in [
      "runbook-schema", "required-keys", "slo", "fallback", "rollback-plan", "checkpoints", "version-bump",
      "secrets",
      "governance-change", "incident-follow-up",
    ] {
      #expect(readme.contains("| `\(kind)` |"), "gates/README.md should document the kind \(kind)")
    }
  }
}
