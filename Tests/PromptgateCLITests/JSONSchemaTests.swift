import Foundation
import PromptgateCore
import TestSupport
import Testing

/// Every command's `--format json` is described by a JSON Schema (draft 2020-12) under
/// docs/schemas/, and the real output of each, from the demo's month of releases, approvals,
/// rollbacks and an override, validates against it with Python's jsonschema.
@Suite struct JSONSchemaTests {
  static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("docs/schemas").path

  /// Checks each schema against the 2020-12 meta-schema, that every property it declares has a
  /// description, and validates each output file against its schema; prints one line per
  /// problem.
  static let validator = """
    import sys, json
    from jsonschema import Draft202012Validator
    folder, pairs = sys.argv[1], sys.argv[2:]
    problems = []
    def undescribed(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub: problems.append(f"{where}.{name} has no description")
            for key, sub in node.items(): undescribed(sub, f"{where}.{key}" if key != "properties" else where)
        elif isinstance(node, list):
            for sub in node: undescribed(sub, where)
    for pair in pairs:
        name, output = pair.split("=", 1)
        schema = json.load(open(f"{folder}/{name}.schema.json"))
        Draft202012Validator.check_schema(schema)
        undescribed(schema, name)
        for error in Draft202012Validator(schema).iter_errors(json.load(open(output))):
            problems.append(f"{name}: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
    print("\\n".join(problems))
    """

  private static let commands: [(schema: String, arguments: [String], status: Int32)] = [
    ("check", ["check", "v1.2", "--base", "v1.1", "--env", "production", "--format", "json"], 1),
    ("diff", ["diff", "v1.0", "v1.2", "--format", "json"], 0),
    ("status", ["status", "--format", "json"], 0),
    ("approvals", ["approvals", "v1.2", "--env", "production", "--format", "json"], 1),
    ("history", ["history", "--env", "production", "--format", "json"], 0),
    ("report", ["report", "--format", "json"], 0),
    ("audit-verify", ["audit", "verify", "--format", "json"], 0),
    ("audit-log", ["audit", "log", "--format", "json"], 0),
    ("sync", ["sync", "--remote", "origin", "--format", "json"], 0),
  ]

  @Test(
    .enabled(if: which("faketime") != nil, "the demo story needs faketime (make test installs it)"),
    .enabled(
      if: ProcessInfo.processInfo.environment["PROMPTGATE_SANITIZED"] == nil,
      "faketime and AddressSanitizer do not start together"))
  func everyCommandsJSONValidatesAgainstItsSchema() throws {
    let folder = try makeTemporaryFolder(prefix: "promptgate-schemas")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let repo = folder + "/demo-repo"
    #expect(try run(DemoStoryTests.scripts + "/make-demo-repo.sh", [repo]).status == 0)
    let story = try run(
      DemoStoryTests.scripts + "/demo-story.sh", [repo, folder + "/keys"],
      environment: ["PROMPTGATE": CLI.executable])
    #expect(story.status == 0, "\(story.stderr)")
    try run("/usr/bin/git", ["init", "-q", "--bare", folder + "/remote.git"])
    try run("/usr/bin/git", ["-C", repo, "remote", "add", "origin", folder + "/remote.git"])

    var pairs: [String] = []
    for command in Self.commands {
      let result = try CLI.run(["-C", repo] + command.arguments)
      #expect(result.status == command.status, "\(command.arguments): \(result.stderr)")
      let file = "\(folder)/\(command.schema).json"
      try result.stdout.write(toFile: file, atomically: true, encoding: .utf8)
      pairs.append("\(command.schema)=\(file)")
    }
    // export's release.json, the lock a deploy step reads: production's, after a month of
    // releases, a rollback and an override, so its provenance is a full one.
    let exported = try CLI.run(["-C", repo, "export", "--env", "production", "--out", folder + "/export"])
    #expect(exported.status == 0, "\(exported.stderr)")
    pairs.append("export-release=\(folder)/export/release.json")
    let schemaFiles = try FileManager.default.contentsOfDirectory(atPath: Self.schemas)
      .filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) }
    #expect(
      Set(schemaFiles) == Set(Self.commands.map(\.schema) + ["export-release"]),
      "one schema per output, each tested")

    let python = try #require(which("python3"))
    let validated = try run(python, ["-c", Self.validator, Self.schemas] + pairs)
    #expect(validated.status == 0, "\(validated.stderr)")
    #expect(validated.stdout == "\n", "\(validated.stdout)")

    // The schemas can fail: a check output without its verdict, a status with a number where
    // a commit goes.
    var check = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/check.json")))
        as? [String: Any])
    check["passed"] = nil
    check["rules_from"] = "head"
    try JSONSerialization.data(withJSONObject: check).write(
      to: URL(fileURLWithPath: folder + "/bad-check.json"))
    let refused = try run(python, ["-c", Self.validator, Self.schemas, "check=\(folder)/bad-check.json"])
    #expect(refused.stdout.contains("'passed' is a required property"), "\(refused.stdout)")
    #expect(
      refused.stdout.contains("rules_from: 'head' is not one of ['base', 'release']"), "\(refused.stdout)")

    // A lock whose file has no checksum, or whose provenance names a move no event makes.
    var lock = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: folder + "/export/release.json"))) as? [String: Any])
    var files = try #require(lock["files"] as? [[String: Any]])
    files[0]["sha256"] = nil
    lock["files"] = files
    var provenance = try #require(lock["provenance"] as? [String: Any])
    var event = try #require(provenance["event"] as? [String: Any])
    event["kind"] = "approval"
    provenance["event"] = event
    lock["provenance"] = provenance
    try JSONSerialization.data(withJSONObject: lock).write(
      to: URL(fileURLWithPath: folder + "/bad-lock.json"))
    let refusedLock = try run(
      python, ["-c", Self.validator, Self.schemas, "export-release=\(folder)/bad-lock.json"])
    #expect(refusedLock.stdout.contains("files/0: 'sha256' is a required property"), "\(refusedLock.stdout)")
    #expect(
      refusedLock.stdout.contains("provenance/event/kind: 'approval' is not one of"), "\(refusedLock.stdout)")
  }

  /// A new event kind is a new value of every `kind` enum: the schemas list exactly the ledger's.
  @Test(arguments: ["history", "report", "audit-log"])
  func eventKindsAreTheLedgers(_ schema: String) throws {
    let text = try String(contentsOfFile: "\(Self.schemas)/\(schema).schema.json", encoding: .utf8)
    let listed = try #require(text.firstMatch(of: /"enum": \[([^\]]*"mark-bad"[^\]]*)\]/)).1
    let kinds = listed.split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines.union(["\""]))
    }
    #expect(Set(kinds) == Set(LedgerEvent.Kind.allCases.map(\.rawValue)))
  }
}
