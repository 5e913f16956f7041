import Foundation
import TestSupport
import Testing

/// Every command's text output, as a user reads it, compared in full with a golden file under
/// Golden/commands/: one story on a repository whose every input is fixed (commit dates and
/// authors by ScratchRepository, the reviewers' ed25519 keys in Fixtures/golden-keys, each
/// command's clock by libfaketime), so a change to any message shows in review.
///
/// Regenerate with `PROMPTGATE_RECORD_GOLDEN=1 swift test --filter CommandGoldenTests` and read
/// the `git diff` of the files before committing them.
@Suite struct CommandGoldenTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Golden/commands"
  ).path
  static let fixedKeys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures/golden-keys"
  ).path
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures"
  ).path

  /// The one place output is normalised: the story's temporary folders, which change every run,
  /// become `<repo>`, `<remote>` and `<work>`, and this checkout's Fixtures folder `<fixtures>`.
  /// Everything else (commit ids, ledger commits, key fingerprints, times) is fixed by the
  /// fixture and compared as printed.
  static func normalised(_ text: String, folders: [(path: String, name: String)]) -> String {
    folders.reduce(text) { text, folder in text.replacingOccurrences(of: folder.path, with: folder.name) }
  }

  /// The runbook of ApprovalFixture, with the release-bot allowed to record evidence.
  static let runbook = ApprovalFixture.runbook.replacingOccurrences(
    of: "  release_roles: [release-bot, ai-operations-engineer]\n",
    with: "  release_roles: [release-bot, ai-operations-engineer]\n  evidence_roles: [release-bot]\n")

  static let october = """
    environment,period_start,period_end,metric,value,source,unit
    staging,2023-10-01,2023-10-31,resolution_rate,87,helpdesk export,%
    staging,2023-10-01,2023-10-31,csat,4.4,helpdesk export,
    staging,2023-10-01,2023-10-31,error_rate,0.031,grafana,

    """

  /// The story's state: the repository, a bare remote and a work folder for keys and files.
  final class Story: @unchecked Sendable {
    let repository: GatedRepository
    let remote: ScratchRepository
    let work: String
    var files: [String] = []
    var mismatches: [String] = []

    init() throws {
      repository = try GatedRepository()
      remote = try ScratchRepository(bare: true)
      work = try makeTemporaryFolder(prefix: "promptgate-golden")
      // ssh-keygen and promptgate want a private key only its owner can read; git keeps 0644.
      for name in ["alice", "carol", "sam", "omar", "ci"] {
        for suffix in ["", ".pub"] {
          try FileManager.default.copyItem(
            atPath: "\(CommandGoldenTests.fixedKeys)/\(name)\(suffix)", toPath: "\(work)/\(name)\(suffix)")
        }
        try FileManager.default.setAttributes(
          [.posixPermissions: 0o600], ofItemAtPath: "\(work)/\(name)")
      }
    }

    deinit { try? FileManager.default.removeItem(atPath: work) }

    var path: String { repository.path }
    func key(_ name: String) -> String { "\(work)/\(name)" }

    /// Runs promptgate at `time` (UTC, the clock standing still) and compares what it printed
    /// with Golden/commands/<name>.txt.
    @discardableResult
    func step(_ name: String, at time: String, _ arguments: [String], in directory: String? = nil)
      throws -> ProcessResult
    {
      let result = try run(
        "/usr/bin/faketime",
        ["-f", time, CLI.executable] + (directory == nil ? ["-C", path] : []) + ["--no-color"]
          + arguments,
        in: directory, environment: ["TZ": "UTC", "NO_COLOR": "1"], unsetting: ["PROMPTGATE_KEY"])
      let folders = [
        (path, "<repo>"), (remote.path, "<remote>"), (work, "<work>"),
        (CommandGoldenTests.fixtures, "<fixtures>"),
      ]
      var text = "$ promptgate \(arguments.joined(separator: " "))\n\(result.stdout)"
      if !result.stderr.isEmpty { text += "--- stderr\n\(result.stderr)" }
      text += "--- exit \(result.status)\n"
      let file = "\(name).txt"
      files.append(file)
      if let mismatch = try Golden.mismatch(
        CommandGoldenTests.normalised(text, folders: folders), golden: "\(CommandGoldenTests.folder)/\(file)")
      {
        mismatches.append(mismatch)
      }
      return result
    }
  }

  @Test(.withFaketime) func everyCommandsTextOutputMatchesItsGoldenFile() throws {
    let story = try Story()
    let scratch = story.repository.scratch
    let signers = try ["alice", "carol", "sam", "omar", "ci"].map {
      try ApprovalFixture.signerLine($0, keys: story.work)
    }.joined()

    // init in a repository of its own: what a newcomer sees first.
    let empty = try ScratchRepository()
    let initialised = try run(
      "/usr/bin/faketime",
      ["-f", "2023-11-15 08:00:00", CLI.executable, "--no-color", "init", "--service", "helpdesk"],
      in: empty.path, environment: ["TZ": "UTC"])
    var initText = "$ promptgate init --service helpdesk\n\(initialised.stdout)"
    if !initialised.stderr.isEmpty { initText += "--- stderr\n\(initialised.stderr)" }
    initText += "--- exit \(initialised.status)\n"
    story.files.append("init.txt")
    if let mismatch = try Golden.mismatch(
      Self.normalised(initText, folders: [(empty.path, "<repo>")]), golden: "\(Self.folder)/init.txt")
    {
      story.mismatches.append(mismatch)
    }

    try scratch.write("runbook.yaml", Self.runbook)
    try scratch.write(".promptgate/allowed_signers", signers)
    let base = try story.repository.commit("first release with reviewers")
    try story.repository.bumpPrompt()
    try scratch.write(
      "policies/safety.yaml", "blocked_topics: [legal, medical]\nlimits: { max_tokens: 800 }\n")
    let head = try story.repository.commit("billing: kinder; safety: no medical advice")
    try scratch.git("remote", "add", "origin", story.remote.path)

    let ci = ["--key", story.key("ci")]
    // The base goes to staging and production.
    for (time, env) in [("2023-11-15 09:00:00", "staging"), ("2023-11-15 09:30:00", "production")] {
      for (name, checkpoint) in [("alice", "prompt-review"), ("carol", "compliance-review")] {
        _ = try run(
          "/usr/bin/faketime",
          [
            "-f", time, CLI.executable, "-C", story.path, "approve", base, "--env", env, "--checkpoint",
            checkpoint, "--key", story.key(name),
          ], environment: ["TZ": "UTC"])
      }
    }
    try story.step(
      "approve", at: "2023-11-15 09:40:00",
      [
        "approve", base, "--env", "production", "--checkpoint", "service-signoff", "--key", story.key("sam"),
      ])
    try story.step("release-staging", at: "2023-11-15 10:00:00", ["release", base, "--env", "staging"] + ci)
    try story.step(
      "release-production", at: "2023-11-15 10:10:00", ["release", base, "--env", "production"] + ci)

    // The change: diffed, checked, approved for staging only, blocked in production.
    try story.step("diff", at: "2023-11-16 09:00:00", ["diff", base, head])
    try story.step("check", at: "2023-11-16 09:00:00", ["check", head, "--base", base])
    try story.step("check-production", at: "2023-11-16 09:00:00", ["check", head, "--env", "production"])
    try story.step("approvals-open", at: "2023-11-16 09:05:00", ["approvals", head, "--env", "staging"])
    for (time, name, checkpoint) in [
      ("2023-11-16 09:10:00", "alice", "prompt-review"),
      ("2023-11-16 09:20:00", "carol", "compliance-review"),
    ] {
      try story.step(
        "approve-\(name)", at: time,
        [
          "approve", head, "--env", "staging", "--checkpoint", checkpoint, "--key", story.key(name),
        ])
    }
    try story.step("approvals", at: "2023-11-16 09:25:00", ["approvals", head, "--env", "staging"])
    try story.step(
      "release-dry-run", at: "2023-11-16 09:30:00", ["release", head, "--env", "staging", "--dry-run"])
    try story.step("release", at: "2023-11-16 09:35:00", ["release", head, "--env", "staging"] + ci)
    try story.step(
      "release-blocked", at: "2023-11-16 09:40:00", ["release", head, "--env", "production"] + ci)

    // Evidence for the change, then it goes wrong in staging and is rolled back.
    let results = "\(Self.fixtures)/evidence/promptfoo-pass.json"
    try story.step(
      "evidence-record", at: "2023-11-16 10:00:00",
      [
        "evidence", "record", head, "--kind", "evaluation", "--file", results,
      ] + ci)
    try story.step("evidence-list", at: "2023-11-16 10:05:00", ["evidence", "list", head])
    try story.step("status", at: "2023-11-16 11:00:00", ["status"])
    try story.step(
      "rollback-dry-run", at: "2023-11-16 12:00:00",
      [
        "rollback", "--env", "staging", "--dry-run", "--reason", "answers too long",
      ])
    try story.step(
      "rollback", at: "2023-11-16 12:05:00",
      [
        "rollback", "--env", "staging", "--incident", "INC-7", "--incident-start", "2023-11-16T11:45:00Z",
        "--reason", "answers too long", "--key", story.key("omar"),
      ])
    try story.step(
      "mark-bad", at: "2023-11-16 12:10:00",
      [
        "mark-bad", head, "--env", "production", "--reason", "answers too long", "--key", story.key("omar"),
      ])
    try story.step("history", at: "2023-11-16 13:00:00", ["history", "--env", "staging"])
    try story.step(
      "export", at: "2023-11-16 13:00:00",
      [
        "export", "--env", "production", "--out", "\(story.work)/export",
      ])
    try story.step(
      "export-verify", at: "2023-11-16 13:00:00",
      [
        "export", "--env", "production", "--verify", "\(story.work)/export",
      ])

    // The month's figures and its review.
    try Self.october.write(toFile: "\(story.work)/october.csv", atomically: true, encoding: .utf8)
    try story.step(
      "metrics-import", at: "2023-11-20 09:00:00",
      [
        "metrics", "import", "\(story.work)/october.csv", "--key", story.key("sam"),
      ])
    try story.step(
      "review", at: "2023-11-20 10:00:00",
      [
        "review", "--period", "2023-10", "--summary", "One rollback in staging; production held",
        "--action", "Shorter answers", "--key", story.key("sam"),
      ])

    // What an auditor and a manager read, and the ledger shared with the remote.
    try story.step("audit-verify", at: "2023-11-20 11:00:00", ["audit", "verify"])
    try story.step("audit-log", at: "2023-11-20 11:00:00", ["audit", "log"])
    try story.step("report", at: "2023-11-20 11:00:00", ["report"])
    try story.step("sync", at: "2023-11-20 11:00:00", ["sync", "--remote", "origin"])
    try story.step("sync-again", at: "2023-11-20 11:05:00", ["sync", "--remote", "origin"])

    for mismatch in story.mismatches { Issue.record(Comment(rawValue: mismatch)) }
    let recorded = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
    #expect(Set(recorded) == Set(story.files), "golden files of steps that no longer exist")
  }
}
