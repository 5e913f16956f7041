import Foundation
import TestSupport
import Testing

/// `check`'s CI formats, read back by the programs CI systems use: JUnit by Python's
/// junitparser, SARIF by Microsoft's sarif-tools and the sarif-pydantic 2.1.0 model, and the
/// GitHub workflow commands line by line. `make test` installs the Python tools.
@Suite struct CheckFormatsTests {
  /// A blocked release: a missing fallback plan and a secret in a prompt, with a warning gate.
  private func blockedRelease() throws -> (GatedRepository, String) {
    let repository = try GatedRepository()
    try repository.scratch.write(
      ".promptgate/gates/cadence.yaml",
      "id: review-cadence\nlayer: improvement\nseverity: warning\nsummary: Incidents are reviewed\n"
        + "kind: required-keys\nkeys: [improvement.owner]\n")
    let base = try repository.commit("add a warning gate")
    try repository.bumpPrompt(line: "Be brief.\nkey: sk-proj-4fJ9s8dKq2LmN7pQ3rT6vW1xY5zA0bC8")
    try repository.edit("runbook.yaml") {
      $0.replacingOccurrences(
        of: "  fallback:\n    strategy: static-response\n    response: fallbacks/static.md\n", with: "")
    }
    return (repository, base)
  }

  private func check(
    _ repository: GatedRepository, base: String, _ format: String, environment: [String: String] = [:]
  )
    throws -> ProcessResult
  {
    let head = try repository.scratch.git("rev-parse", "HEAD")
    return try CLI.run(
      ["-C", repository.path, "check", head, "--base", base, "--format", format], environment: environment)
  }

  private func python(_ script: String, _ arguments: [String]) throws -> ProcessResult {
    try run(try #require(which("python3")), ["-c", script] + arguments)
  }

  private func writeTemporary(_ text: String, suffix: String) throws -> String {
    let path = try makeTemporaryFolder(prefix: "promptgate-format") + "/report" + suffix
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func junitReadsBackWithJunitparser() throws {
    let (repository, base) = try blockedRelease()
    _ = try repository.commit()
    let result = try check(repository, base: base, "junit")
    #expect(result.status == 1)
    let file = try writeTemporary(result.stdout, suffix: ".xml")
    let read = try python(
      """
      import sys, json
      from junitparser import JUnitXml, Failure, Skipped
      xml = JUnitXml.fromfile(sys.argv[1])
      cases = [case for suite in xml for case in suite]
      out = {"tests": len(cases), "failed": sorted(c.name for c in cases if any(isinstance(r, Failure) for r in c.result)),
             "skipped": sorted(c.name for c in cases if any(isinstance(r, Skipped) for r in c.result)),
             "messages": {c.name: [r.message for r in c.result] for c in cases},
             "classes": sorted({c.classname for c in cases})}
      print(json.dumps(out))
      """, [file])
    #expect(read.status == 0, "\(read.stderr)")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
    // One case per gate and file: the 12 gates that passed or did not apply (evidence-recorded
    // included), and one for each failed gate's file.
    #expect(summary["tests"] as? Int == 14)
    #expect(
      summary["failed"] as? [String] == [
        "fallback-declared - runbook.yaml", "no-secrets - prompts/billing.prompty",
      ])
    #expect((summary["skipped"] as? [String])?.contains("incident-follow-up") == true)
    #expect(
      (summary["classes"] as? [String])
        == [
          "promptgate.governance", "promptgate.improvement", "promptgate.reliability", "promptgate.service",
        ])
    let messages = try #require(summary["messages"] as? [String: [String]])
    #expect(
      messages["fallback-declared - runbook.yaml"]
        == [
          "runbook.yaml:10:1: no fallback plan: add `reliability.fallback.strategy` (previous-release, "
            + "static-response or human-handoff)"
        ])
    #expect(messages["slo-declared"] == [], "a passing gate is one case with no result")
  }

  /// A gate that fails in two files is two failed cases, each naming its own file and holding
  /// only its own findings, as Conftest reports a policy per file.
  @Test func junitHasOneFailedCasePerGateAndFile() throws {
    let repository = try GatedRepository()
    try repository.bumpPrompt(line: "Be brief.\nkey: sk-proj-4fJ9s8dKq2LmN7pQ3rT6vW1xY5zA0bC8")
    try repository.scratch.write(
      "policies/safety.yaml",
      "blocked_topics: [legal]\nlimits: { max_tokens: 800 }\ntoken: ghp_Zx8Kq2LmN7pQ3rT6vW1xY5zA0bC8dE4fG9hJ\n"
    )
    _ = try repository.commit()
    let result = try check(repository, base: repository.base, "junit")
    #expect(result.status == 1)
    let file = try writeTemporary(result.stdout, suffix: ".xml")
    let read = try python(
      """
      import sys, json
      from junitparser import JUnitXml, Failure
      xml = JUnitXml.fromfile(sys.argv[1])
      failed = [c for suite in xml for c in suite if any(isinstance(r, Failure) for r in c.result)]
      print(json.dumps([[c.name, c._elem.get("file"), [r.message for r in c.result], [r.text for r in c.result]]
                        for c in failed]))
      """, [file])
    #expect(read.status == 0, "\(read.stderr)")
    let cases = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[Any]])
    #expect(
      cases.map { $0[0] as? String } == [
        "no-secrets - policies/safety.yaml", "no-secrets - prompts/billing.prompty",
      ])
    #expect(cases.map { $0[1] as? String } == ["policies/safety.yaml", "prompts/billing.prompty"])
    for testCase in cases {
      let file = try #require(testCase[1] as? String)
      let message = try #require((testCase[2] as? [String])?.first)
      let body = try #require((testCase[3] as? [String])?.first)
      #expect(message.hasPrefix(file + ":"), "the failure names its own file: \(message)")
      #expect(
        body.split(separator: "\n").allSatisfy { $0.hasPrefix(file + ":") }, "only its own findings: \(body)")
    }
  }

  @Test func sarifReadsBackWithSarifToolsAndValidatesAs210() throws {
    let (repository, base) = try blockedRelease()
    _ = try repository.commit()
    let result = try check(repository, base: base, "sarif")
    #expect(result.status == 1)
    let file = try writeTemporary(result.stdout, suffix: ".sarif")

    let validated = try python(
      """
      import sys, json
      from sarif_pydantic import Sarif
      log = Sarif.model_validate_json(open(sys.argv[1]).read())
      run = log.runs[0]
      print(json.dumps({"version": str(log.version.value if hasattr(log.version, "value") else log.version),
        "rules": [r.id for r in run.tool.driver.rules],
        "results": [[r.rule_id, r.level.value if hasattr(r.level, "value") else r.level,
          r.locations[0].physical_location.artifact_location.uri,
          r.locations[0].physical_location.region.start_line] for r in run.results]}))
      """, [file])
    #expect(validated.status == 0, "\(validated.stderr)")
    let model = try #require(
      try JSONSerialization.jsonObject(with: Data(validated.stdout.utf8)) as? [String: Any])
    #expect(model["version"] as? String == "2.1.0")
    #expect((model["rules"] as? [String])?.count == 14)
    let results = try #require(model["results"] as? [[Any]])
    #expect(
      results.contains {
        $0[0] as? String == "fallback-declared" && $0[2] as? String == "runbook.yaml" && $0[3] as? Int == 10
      })
    #expect(
      results.contains {
        $0[0] as? String == "no-secrets" && $0[2] as? String == "prompts/billing.prompty"
          && $0[3] as? Int == 9
      })
    #expect(results.contains { $0[0] as? String == "review-cadence" && $0[1] as? String == "warning" })

    let sarif = try #require(which("sarif"), "make test installs sarif-tools")
    let summary = try run(sarif, ["summary", file])
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(summary.stdout.contains("fallback-declared"))
    #expect(summary.stdout.contains("no-secrets"))
    let gate = try run(sarif, ["--check", "error", "summary", file])
    #expect(gate.status != 0, "sarif-tools sees the errors")
  }

  /// What code-scanning dashboards read beyond the results: the tool's version and home, each
  /// rule's descriptions and help, and fingerprints that name a finding the same way on every
  /// run, even when lines above it move, and differently from every other finding.
  @Test func sarifDescribesRulesAndFingerprintsFindingsStably() throws {
    let (repository, base) = try blockedRelease()
    _ = try repository.commit()
    let first = try sarif(try check(repository, base: base, "sarif").stdout)
    let driver = try #require((first.run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let version = try CLI.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(driver["version"] as? String == version)
    #expect(driver["semanticVersion"] as? String == version)
    #expect((driver["informationUri"] as? String)?.hasPrefix("https://") == true)
    let rules = try #require(driver["rules"] as? [[String: Any]])
    let fallback = try #require(rules.first { $0["id"] as? String == "fallback-declared" })
    #expect(
      (fallback["shortDescription"] as? [String: String])?["text"]
        == "A fallback plan is declared and can be carried out with what this release holds")
    #expect(
      (fallback["fullDescription"] as? [String: String])?["text"]?.contains(
        "`static-response` names a file (`response`)") == true)
    let help = try #require(fallback["help"] as? [String: String])
    #expect(help["text"]?.contains("To pass: Declare `reliability.fallback.strategy`") == true)
    #expect(help["markdown"]?.hasPrefix("**A fallback plan is declared") == true)
    #expect(help["markdown"]?.contains("Defined in `gates/fallback-declared.yaml`") == true)
    #expect((fallback["defaultConfiguration"] as? [String: String])?["level"] == "error")
    let cadence = try #require(rules.first { $0["id"] as? String == "review-cadence" })
    #expect((cadence["defaultConfiguration"] as? [String: String])?["level"] == "warning")
    #expect(
      first.levels == ["fallback-declared": "error", "no-secrets": "error", "review-cadence": "warning"])

    let second = try sarif(try check(repository, base: base, "sarif").stdout)
    #expect(second.fingerprints == first.fingerprints, "the same findings, the same names")
    #expect(Set(first.fingerprints.values).count == 3, "each finding its own name")

    // Three lines above the secret: it moves to line 12, and keeps its name.
    try repository.edit("prompts/billing.prompty") {
      $0.replacingOccurrences(of: "Be brief.\n", with: "Line one.\nLine two.\nLine three.\nBe brief.\n")
    }
    _ = try repository.commit("more words above the secret")
    let moved = try sarif(try check(repository, base: base, "sarif").stdout)
    #expect(moved.lines["no-secrets"] == 12)
    #expect(moved.fingerprints["no-secrets"] == first.fingerprints["no-secrets"])
  }

  private struct SARIFRead {
    let run: [String: Any]
    var results: [[String: Any]] { run["results"] as? [[String: Any]] ?? [] }
    var fingerprints: [String: String] {
      Dictionary(
        results.map {
          (
            $0["ruleId"] as? String ?? "",
            ($0["partialFingerprints"] as? [String: String])?["promptgateFinding/v1"] ?? ""
          )
        }, uniquingKeysWith: { first, _ in first })
    }
    var levels: [String: String] {
      Dictionary(
        results.map { ($0["ruleId"] as? String ?? "", $0["level"] as? String ?? "") },
        uniquingKeysWith: { a, _ in a })
    }
    var lines: [String: Int] {
      Dictionary(
        results.map { result in
          let location =
            (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
          return (
            result["ruleId"] as? String ?? "",
            (location?["region"] as? [String: Any])?["startLine"] as? Int ?? 0
          )
        }, uniquingKeysWith: { a, _ in a })
    }
  }

  private func sarif(_ text: String) throws -> SARIFRead {
    let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    return SARIFRead(run: try #require((log["runs"] as? [[String: Any]])?.first))
  }

  @Test func githubAnnotationsLineByLineAndTheJobSummary() throws {
    let (repository, base) = try blockedRelease()
    _ = try repository.commit()
    let summaryFile = try writeTemporary("# earlier step\n", suffix: ".md")
    let result = try check(
      repository, base: base, "github", environment: ["GITHUB_STEP_SUMMARY": summaryFile])
    #expect(result.status == 1)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines == [
        "::error file=runbook.yaml,line=10,col=1,title=promptgate fallback-declared::no fallback plan: add "
          + "`reliability.fallback.strategy` (previous-release, static-response or human-handoff)",
        lines.first { $0.hasPrefix("::error file=prompts/billing.prompty,line=9,") }
          ?? "missing secret annotation",
        "::warning file=runbook.yaml,line=28,col=1,title=promptgate review-cadence::`improvement.owner` is not declared; "
          + "add it to runbook.yaml",
        "promptgate check blocked: fallback-declared, no-secrets",
      ])
    #expect(lines.count > 1 && lines[1].contains("title=promptgate no-secrets::"))
    #expect(!result.stdout.contains("4fJ9s8dKq2LmN7pQ3rT6vW1xY5zA0bC8"))
    let summary = try String(contentsOfFile: summaryFile, encoding: .utf8)
    #expect(summary.hasPrefix("# earlier step\n## promptgate check"), "appended, not overwritten")
    #expect(summary.contains("⛔ blocked"))
    #expect(summary.contains("| ❌ | `fallback-declared` | reliability | **fail** |"))
  }

  @Test func jsonNamesEveryGateAndVerdict() throws {
    let (repository, base) = try blockedRelease()
    _ = try repository.commit()
    let result = try check(repository, base: base, "json")
    #expect(result.status == 1)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(report["passed"] as? Bool == false)
    #expect(report["rules_from"] as? String == "base")
    #expect((report["base"] as? [String: String])?["commit"] == base)
    let gates = try #require(report["gates"] as? [[String: Any]])
    let fallback = try #require(gates.first { $0["id"] as? String == "fallback-declared" })
    #expect(fallback["status"] as? String == "fail")
    #expect(fallback["layer"] as? String == "reliability")
    let diagnostic = try #require((fallback["diagnostics"] as? [[String: Any]])?.first)
    #expect(diagnostic["file"] as? String == "runbook.yaml")
    #expect(diagnostic["line"] as? Int == 10)
  }

  @Test func markdownHasATableAndTheFailures() throws {
    let (repository, base) = try blockedRelease()
    _ = try repository.commit()
    let result = try check(repository, base: base, "markdown")
    #expect(result.stdout.contains("| ❌ | `no-secrets` | governance | **fail** |"))
    #expect(result.stdout.contains("| ⚠️ | `review-cadence` | improvement | warning |"))
    #expect(result.stdout.contains("### `fallback-declared`: "))
  }
}
