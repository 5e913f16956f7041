import Foundation
import PromptgateCore
import TestSupport
import Testing

/// Reviewers with real SSH keys (made by ssh-keygen) and a gated repository whose base lists
/// them: alice (prompt-owner, ed25519), carol (compliance-reviewer, ecdsa), sam
/// (service-manager, ed25519), dave (listed, holds no role) and mallory (listed nowhere).
final class ApprovalFixture: @unchecked Sendable {
  let repository: GatedRepository
  let keys: String
  /// The base (first release) and a release that changes a prompt, committed by dev.
  let base: String
  var head: String

  var path: String { repository.path }

  static let runbook = GatedRepository.runbook
    .replacingOccurrences(
      of: ", paths: [\"prompts/**\"], environments: [production] }", with: ", paths: [\"prompts/**\"] }"
    )
    .replacingOccurrences(
      of: "paths: [\"policies/**\", \"runbook.yaml\", \".promptgate/**\"], environments: [production] }",
      with: "paths: [\"policies/**\", \"runbook.yaml\", \".promptgate/**\"] }\n"
        + "    - { name: service-signoff, role: service-manager, approvals: 1, environments: [production] }")

  /// The people of the fixture and the type of key each holds.
  static let people = [
    ("alice", "ed25519"), ("alice-laptop", "ecdsa"), ("carol", "ecdsa"), ("sam", "ed25519"),
    ("dave", "ed25519"), ("mallory", "ed25519"), ("ci", "ed25519"), ("omar", "ed25519"),
  ]

  /// Their keys, made by ssh-keygen once per test process and copied into each fixture's own
  /// folder (eight ssh-keygen runs for each of a hundred fixtures added up to more than the tests
  /// that use them). Every fixture's people thus hold the same keys, as every fixture's
  /// repository has the same first commit; a key nobody lists is mallory's.
  static let madeKeys = Result { () throws -> String in
    let keys = try makeTemporaryFolder(prefix: "promptgate-made-keys")
    for (name, type) in people {
      let result = try run(
        "/usr/bin/ssh-keygen",
        ["-q", "-t", type, "-N", "", "-C", "\(name)@example.com", "-f", "\(keys)/\(name)"])
      guard result.status == 0 else { throw CLIFailure(result: result) }
    }
    return keys
  }

  init() throws {
    repository = try GatedRepository()
    let keys = try makeTemporaryFolder(prefix: "promptgate-keys")
    self.keys = keys
    try copyFolder(try Self.madeKeys.get(), to: keys)
    try repository.scratch.write("runbook.yaml", Self.runbook)
    try repository.scratch.write(
      ".promptgate/allowed_signers",
      try ["alice", "carol", "sam", "dave", "ci", "omar"].map { name in
        try Self.signerLine(name, keys: keys)
      }.joined())
    base = try repository.commit("first release with reviewers")
    ReleaseBotKeys.shared.register("\(keys)/ci", for: repository.path)
    try repository.bumpPrompt()
    head = try repository.scratch.commit("billing: kinder", author: "Dev Eloper <dev@example.com>")
  }

  /// A copy of `template` in folders of its own (repository, ledger and keys), its release-bot
  /// key registered for the copy.
  private init(copying template: ApprovalFixture) throws {
    repository = try GatedRepository(copying: template.repository)
    let keys = try makeTemporaryFolder(prefix: "promptgate-keys")
    self.keys = keys
    try copyFolder(template.keys, to: keys)
    base = template.base
    head = template.head
    ReleaseBotKeys.shared.register("\(keys)/ci", for: repository.path)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: keys)
  }

  /// An allowed_signers line for `name`'s key.
  func signerLine(_ name: String, principals: String? = nil) throws -> String {
    try Self.signerLine(name, principals: principals, keys: keys)
  }

  static func signerLine(
    _ name: String, principals: String? = nil, keys: String, namespaces: String = "promptgate"
  ) throws -> String {
    let publicKey = try String(contentsOfFile: "\(keys)/\(name).pub", encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    return "\(principals ?? "\(name)@example.com") namespaces=\"\(namespaces)\" \(publicKey)\n"
  }

  func key(_ name: String) -> String { "\(keys)/\(name)" }

  /// The fixture with its base approved by alice (#1) and carol (#2) and released to staging by
  /// the release-bot (#3): made once per test process through the command line, and copied for
  /// each test.
  static func baseInStaging() throws -> ApprovalFixture {
    try ApprovalFixture(copying: stagedBase.get())
  }

  private static let stagedBase = Result { () throws -> ApprovalFixture in
    let fixture = try ApprovalFixture()
    for (name, checkpoint) in [("alice", "prompt-review"), ("carol", "compliance-review")] {
      let approved = try fixture.approve(name, checkpoint, env: "staging", release: fixture.base)
      guard approved.status == 0 else { throw CLIFailure(result: approved) }
    }
    let released = try CLI.run([
      "-C", fixture.path, "--no-color", "release", fixture.base, "--env", "staging",
    ])
    guard released.status == 0 else { throw CLIFailure(result: released) }
    return fixture
  }

  /// The release-bot's signing arguments: every release is signed by a release role.
  var releaseBot: [String] { ["--key", key("ci")] }

  /// The rollback owner's (omar, ai-operations-engineer) signing arguments.
  var rollbackOwner: [String] { ["--key", key("omar")] }

  @discardableResult
  func approve(
    _ name: String, _ checkpoint: String, env: String = "production", release: String? = nil,
    _ extra: [String] = []
  ) throws -> ProcessResult {
    try CLI.run(
      ["-C", path, "approve", release ?? head, "--env", env, "--checkpoint", checkpoint, "--key", key(name)]
        + extra)
  }

  func approvals(env: String = "production", release: String? = nil) throws -> ProcessResult {
    try CLI.run(["-C", path, "approvals", release ?? head, "--env", env, "--base", base, "--no-color"])
  }

  /// The verdicts of `approvals --format json` for one checkpoint.
  func verdicts(_ checkpoint: String, env: String = "production", release: String? = nil) throws -> [[String:
    Any]]
  {
    let result = try CLI.run(
      ["-C", path, "approvals", release ?? head, "--env", env, "--base", base, "--format", "json"])
    guard let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
      let checkpoints = report["checkpoints"] as? [[String: Any]],
      let entry = checkpoints.first(where: { $0["name"] as? String == checkpoint })
    else { throw CLIFailure(result: result) }
    return entry["verdicts"] as? [[String: Any]] ?? []
  }

  /// Signs `statement` with ssh-keygen itself (the interop path) in `namespace`.
  func sshKeygenSign(
    _ statement: ApprovalStatement, as name: String, namespace: String = "promptgate"
  )
    throws -> String
  {
    let result = try run(
      "/usr/bin/ssh-keygen", ["-Y", "sign", "-q", "-n", namespace, "-f", key(name)],
      input: statement.json.canonicalString)
    guard result.status == 0 else { throw CLIFailure(result: result) }
    return result.stdout
  }

  /// A statement as `approve` would write it for `name` on the head.
  func statement(
    by name: String, checkpoint: String, role: String, env: String = "production",
    expires: String = "2099-01-01T00:00:00Z",
    comment: String = ""
  ) throws -> ApprovalStatement {
    let tree = try repository.scratch.git("rev-parse", "\(head)^{tree}")
    return ApprovalStatement(
      checkpoint: checkpoint, comment: comment, decision: .approve, environment: env, expiresAt: expires,
      principal: "\(name)@example.com", release: LedgerEvent.Release(commit: head, tree: tree),
      repository: try repository.scratch.git("rev-list", "--max-parents=0", "HEAD"), role: role,
      signedAt: Ledger.timestamp())
  }

  /// Appends `event` (its sequence number replaced by the next one) to the ledger with git's
  /// plumbing, as an insider who can push refs/promptgate/* could, with `signature` if given.
  @discardableResult
  func forge(_ event: LedgerEvent, signature: String? = nil) throws -> String {
    let scratch = repository.scratch
    let parent = try? scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/ledger")
    let sequence = try parent.map { Int(try scratch.git("rev-list", "--count", $0))! } ?? 0
    let numbered = LedgerEvent(
      kind: event.kind, sequence: sequence + 1, time: event.time, actor: event.actor,
      environment: event.environment, release: event.release, repository: event.repository,
      details: event.details)
    func blob(_ text: String) throws -> String {
      try run("/usr/bin/git", ["-C", path, "hash-object", "-w", "--stdin"], input: text)
        .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    var entries = "100644 blob \(try blob(numbered.json.canonicalString))\tevent.json\n"
    if let signature { entries += "100644 blob \(try blob(signature))\tevent.sig\n" }
    let tree = try run("/usr/bin/git", ["-C", path, "mktree"], input: entries)
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let commit = try scratch.git(
      ["commit-tree", tree, "-m", numbered.summary] + (parent.map { ["-p", $0] } ?? []))
    try scratch.git(["update-ref", "refs/promptgate/ledger", commit] + (parent.map { [$0] } ?? []))
    return commit
  }

  /// Signs any bytes with ssh-keygen in the namespace `promptgate`, as `name`.
  func sshKeygenSign(_ text: String, as name: String, namespace: String = "promptgate") throws -> String {
    let result = try run(
      "/usr/bin/ssh-keygen", ["-Y", "sign", "-q", "-n", namespace, "-f", key(name)], input: text)
    guard result.status == 0 else { throw CLIFailure(result: result) }
    return result.stdout
  }

  /// The tree id of a revision.
  func tree(_ revision: String) throws -> String {
    try repository.scratch.git("rev-parse", "\(revision)^{tree}")
  }

  /// The repository id: the root commit.
  var rootCommit: String {
    get throws { try repository.scratch.git("rev-list", "--max-parents=0", base) }
  }

  /// Appends a hand-made event to the ledger with git's plumbing, as an attacker with write
  /// access to the repository could: `event` as written, `signature` as given.
  @discardableResult
  func forge(statement: ApprovalStatement, signature: String, eventRelease: LedgerEvent.Release? = nil) throws
    -> String
  {
    let scratch = repository.scratch
    let parent = try? scratch.git("rev-parse", "--verify", "-q", "refs/promptgate/ledger")
    let sequence = try parent.map { Int(try scratch.git("rev-list", "--count", $0))! } ?? 0
    let event = LedgerEvent(
      kind: .approval, sequence: sequence + 1, time: statement.signedAt, actor: statement.principal,
      environment: statement.environment, release: eventRelease ?? statement.release,
      repository: statement.repository,
      details: ["statement": statement.json])
    let eventBlob = try run(
      "/usr/bin/git", ["-C", path, "hash-object", "-w", "--stdin"], input: event.json.canonicalString
    )
    .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let sigBlob = try run("/usr/bin/git", ["-C", path, "hash-object", "-w", "--stdin"], input: signature)
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let tree = try run(
      "/usr/bin/git", ["-C", path, "mktree"],
      input: "100644 blob \(eventBlob)\tevent.json\n100644 blob \(sigBlob)\tevent.sig\n"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let commit = try scratch.git(
      ["commit-tree", tree, "-m", event.summary] + (parent.map { ["-p", $0] } ?? []))
    try scratch.git(["update-ref", "refs/promptgate/ledger", commit] + (parent.map { [$0] } ?? []))
    return commit
  }
}
