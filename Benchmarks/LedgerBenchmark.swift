import Foundation
import PromptgateCore

// The ledger's costs (SPEC §8): `audit verify` reads every event, but `approvals` and `check`
// must not walk the whole ledger per checkpoint, so their time should barely move between a
// ledger of 10,000 events and one of 50,000.

/// Builds ledgers of generated events with `git fast-import` and times promptgate on them.
struct LedgerBenchmark {
  let promptgate: String
  let git: String
  let folder: URL
  let environment: [String: String]

  struct Row {
    let name: String
    let events: Int
    let milliseconds: Double
    let peakMiB: Double
  }

  func run(sizes: [Int] = [10_000, 50_000], runs: Int = 5) throws -> [Row] {
    var rows: [Row] = []
    for size in sizes {
      let repository = folder.appendingPathComponent("ledger-\(size)")
      let (base, head) = try makeRepository(repository, events: size)
      let approvals = [
        "-C", repository.path, "approvals", head, "--env", "live", "--base", base, "--format", "json",
      ]
      // The first run after a clone builds the index under .git/promptgate; later runs reuse it.
      try? FileManager.default.removeItem(at: repository.appendingPathComponent(".git/promptgate"))
      rows.append(
        try time("approvals, first run (builds the index)", size, approvals, runs: 1, expectFailure: false))
      rows.append(try time("approvals", size, approvals, runs: runs, expectFailure: false))
      rows.append(
        try time(
          "check --env live", size,
          ["-C", repository.path, "check", head, "--base", base, "--env", "live", "--format", "json"],
          runs: runs, expectFailure: false))
    }
    return rows
  }

  /// `status` and `rollback` of one environment on ledgers of 1,000 and 10,000 events: both
  /// derive the environment from the index and verify only what is new, so they should cost
  /// the same on both (SPEC §8); `audit verify` re-judges every event, a tenth of them releases,
  /// so it grows linearly: its row says the cost per event.
  func environmentRows(sizes: [Int] = [1_000, 10_000], runs: Int = 5) throws -> [Row] {
    var rows: [Row] = []
    for size in sizes {
      let repository = folder.appendingPathComponent("ledger-\(size)")
      _ = try makeRepository(repository, events: size)
      let status = ["-C", repository.path, "status", "--env", "live"]
      // The first status after a clone builds the index and verifies every event once.
      try? FileManager.default.removeItem(at: repository.appendingPathComponent(".git/promptgate"))
      rows.append(
        try time("status, first run (index, full verification)", size, status, runs: 1, expectFailure: false))
      rows.append(try time("status --env live", size, status, runs: runs, expectFailure: false))
      rows.append(try timeRollback(repository, events: size, runs: runs))
      let audit = try time(
        "audit verify", size, ["-C", repository.path, "audit", "verify"], runs: 1, expectFailure: false)
      rows.append(
        Row(
          name: "audit verify (\(String(format: "%.2f", audit.milliseconds / Double(size))) ms per event)",
          events: size, milliseconds: audit.milliseconds, peakMiB: audit.peakMiB))
    }
    return rows
  }

  /// Times `rollback --env live`, putting the ledger, the environment ref and the clone's memory
  /// back as they were before each run, so every run rolls back the same release.
  private func timeRollback(_ repository: URL, events: Int, runs: Int) throws -> Row {
    let ledger = try gitOutput(["rev-parse", "refs/promptgate/ledger"], in: repository)
    // A freshly generated ledger has no mirror ref yet (the first rollback makes it): then each
    // run's is deleted again.
    let live = try gitOutput(
      ["rev-parse", "--verify", "--quiet", "refs/promptgate/environments/live"], in: repository)
    let memory = repository.appendingPathComponent(".git/promptgate")
    let saved = repository.appendingPathComponent(".git/promptgate-saved")
    try? FileManager.default.removeItem(at: saved)
    try FileManager.default.copyItem(at: memory, to: saved)
    defer { try? FileManager.default.removeItem(at: saved) }
    var durations: [Double] = []
    var peak = 0.0
    for _ in 0..<runs {
      let (status, milliseconds, rss) = try spawn(
        promptgate,
        [
          "-C", repository.path, "rollback", "--env", "live", "--reason", "bench", "--key",
          repository.appendingPathComponent(".git/bench-key-bot").path,
        ])
      guard status == 0 else { throw LedgerBenchmarkError("promptgate rollback exited \(status)") }
      durations.append(milliseconds)
      peak = max(peak, rss)
      try gitRun(["update-ref", "refs/promptgate/ledger", ledger], in: repository)
      try gitRun(
        live.isEmpty
          ? ["update-ref", "-d", "refs/promptgate/environments/live"]
          : ["update-ref", "refs/promptgate/environments/live", live], in: repository)
      try FileManager.default.removeItem(at: memory)
      try FileManager.default.copyItem(at: saved, to: memory)
    }
    durations.sort()
    return Row(
      name: "rollback --env live", events: events, milliseconds: durations[durations.count / 2], peakMiB: peak
    )
  }

  /// Times `arguments` (median of `runs`) and reads the peak memory of the slowest run.
  private func time(_ name: String, _ events: Int, _ arguments: [String], runs: Int, expectFailure: Bool)
    throws -> Row
  {
    var durations: [Double] = []
    var peak = 0.0
    for _ in 0..<runs {
      let (status, milliseconds, rss) = try spawn(promptgate, arguments)
      guard status == 0 || expectFailure else {
        throw LedgerBenchmarkError("promptgate \(arguments.joined(separator: " ")) exited \(status)")
      }
      durations.append(milliseconds)
      peak = max(peak, rss)
    }
    durations.sort()
    return Row(name: name, events: events, milliseconds: durations[durations.count / 2], peakMiB: peak)
  }

  /// A gated repository (base, head) whose ledger holds `events` events as a long-lived one does,
  /// every one of which `audit verify` re-judges and passes: a chain of commits, each bumping the
  /// prompt; for each, the prompt owner's approvals for `staging` and `live` and its release to
  /// `staging`, signed by the release-bot; `live` takes the last 25 of them, at every size, so
  /// its history stays the same while the ledger grows around it (status and rollback of `live`
  /// must not grow with the ledger); the rest are approvals of candidates for `qa`. Signed
  /// in-process with the same code `approve` and `release` use.
  private func makeRepository(_ repository: URL, events: Int) throws -> (String, String) {
    // v4: every event real and signed (issue 11); `live` has the last 25 releases; its last is the head.
    let marker = repository.appendingPathComponent(".git/bench-ledger-ready-v4")
    if FileManager.default.fileExists(atPath: marker.path),
      let text = try? String(contentsOf: marker, encoding: .utf8)
    {
      let ids = text.split(separator: " ").map(String.init)
      if ids.count == 2 { return (ids[0], ids[1]) }
    }
    try? FileManager.default.removeItem(at: repository)
    try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
    try gitRun(["init", "-q", "-b", "main"], in: repository)
    var keys: [String: SSHPrivateKey] = [:]
    var signers = ""
    for name in ["alice", "bot"] {
      let path = repository.appendingPathComponent(".git/bench-key-\(name)").path
      _ = try spawn("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
      keys[name] = try SSHPrivateKey.load(path: path)
      let publicKey = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ").prefix(
        2
      )
      .joined(separator: " ")
      signers += "\(name)@example.com namespaces=\"promptgate\" \(publicKey)\n"
    }

    // The commits: one per release pair, each a new prompt version, written by fast-import.
    let commits = max(2, events / 10)
    var stream = ""
    func file(_ path: String, _ text: String) {
      stream += "M 100644 inline \(path)\ndata \(text.utf8.count)\n\(text)\n"
    }
    for index in 1...commits {
      stream += "commit refs/heads/main\nmark :\(index)\n"
      stream += "author Dev <dev@example.com> \(1_764_000_000 + index) +0000\n"
      stream += "committer Dev <dev@example.com> \(1_764_000_000 + index) +0000\n"
      stream += "data 10\nversion \(index % 10)\n"
      if index > 1 { stream += "from :\(index - 1)\n" }
      file("runbook.yaml", Self.runbook)
      file(".promptgate/allowed_signers", signers)
      file("fallbacks/static.md", "Sorry.\n")
      file("prompts/billing.prompty", "---\nversion: 1.0.\(index)\n---\nHello {{ name }} (\(index))\n")
      stream += "\n"
    }
    try fastImport(stream, in: repository)
    let chain = try gitOutput(["log", "--reverse", "--format=%H %T", "main"], in: repository)
      .split(separator: "\n").map { line in
        let parts = line.split(separator: " ").map(String.init)
        return LedgerEvent.Release(commit: parts[0], tree: parts[1])
      }
    let root = chain[0].commit

    // The ledger, oldest first, each event one second after the one before.
    var sequence = 0
    var previous: String?
    stream = ""
    func append(_ kind: LedgerEvent.Kind, _ statement: any SignableStatement, signer: String) throws {
      sequence += 1
      let time = Timestamp.rfc3339(1_764_100_000 + Int64(sequence))
      let event = LedgerEvent(
        kind: kind, sequence: sequence, time: time, actor: statement.principal,
        environment: statement.environment, release: statement.release, repository: root,
        details: ["statement": statement.json])
      let signature = try SSHSignature.sign(
        statement.signedBytes, namespace: Statement.namespace, with: keys[signer]!
      ).armored
      let json = event.json.canonicalString
      stream += "commit refs/promptgate/ledger\nmark :\(100_000 + sequence)\n"
      stream +=
        "committer \(statement.principal) <\(statement.principal)> \(1_764_100_000 + sequence) +0000\n"
      stream += "data \(event.summary.utf8.count + 1)\n\(event.summary)\n"
      if let previous { stream += "from \(previous)\n" }
      stream += "deleteall\nM 100644 inline event.json\ndata \(json.utf8.count)\n\(json)\n"
      stream += "M 100644 inline event.sig\ndata \(signature.utf8.count)\n\(signature)\n\n"
      previous = ":\(100_000 + sequence)"
    }
    func signedAt() -> String { Timestamp.rfc3339(1_764_100_000 + Int64(sequence + 1)) }
    func approve(_ release: LedgerEvent.Release, _ environment: String) throws {
      try append(
        .approval,
        ApprovalStatement(
          checkpoint: "prompt-review", comment: "", decision: .approve, environment: environment,
          expiresAt: "2099-01-01T00:00:00Z", principal: "alice@example.com", release: release,
          repository: root,
          role: "prompt-owner", signedAt: signedAt()), signer: "alice")
    }
    var deployed: [String: LedgerEvent.Release] = [:]
    var newest: LedgerEvent.Release?
    let judgedBy = MoveStatement.JudgedBy(
      version: PromptgateVersion.current, gatePack: GatePack.standardDigest)
    func release(_ release: LedgerEvent.Release, _ environment: String) throws {
      try append(
        .release,
        MoveStatement(
          move: .release, environment: environment, release: release, repository: root,
          principal: "bot@example.com", role: "release-bot", signedAt: signedAt(),
          replaces: deployed[environment],
          base: deployed[environment] ?? newest, outcome: .release, judgedBy: judgedBy), signer: "bot")
      deployed[environment] = release
      newest = release
    }
    let liveReleases = min(25, commits)
    let fillers = max(0, events - 3 * commits - liveReleases)
    for (index, commit) in chain.enumerated() {
      try approve(commit, "staging")
      try approve(commit, "live")
      try release(commit, "staging")
      if index >= commits - liveReleases { try release(commit, "live") }
      let share = fillers / commits + (index < fillers % commits ? 1 : 0)
      for _ in 0..<share { try approve(commit, "qa") }
    }
    try fastImport(stream, in: repository)
    let (base, head) = (chain[chain.count - 2].commit, chain[chain.count - 1].commit)
    try "\(base) \(head)".write(to: marker, atomically: true, encoding: .utf8)
    return (base, head)
  }

  static let runbook = """
    version: 1
    service:
      name: bench
      scope: ["answer"]
      out_of_scope: ["legal advice"]
      inputs: { max_chars: 4000 }
      outputs: { format: markdown }
      escalation: [{ when: "asked", to: queue }]
    reliability:
      slo: { latency_p95_ms: 2500, error_rate: 0.02 }
      fallback: { strategy: static-response, response: fallbacks/static.md }
      rollback: { owner: ops, target: last-good, triggers: ["errors"], max_recovery_minutes: 30, steps: ["roll back"] }
    governance:
      checkpoints:
        - { name: prompt-review, role: prompt-owner, approvals: 1, paths: ["prompts/**"] }
      release_roles: [release-bot]
    roles:
      prompt-owner: [alice@example.com]
      ops: [omar@example.com]
      release-bot: [bot@example.com]

    """

  private func write(_ repository: URL, _ path: String, _ text: String) throws {
    let url = repository.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  private func gitRun(_ arguments: [String], in repository: URL) throws {
    let (status, _, _) = try spawn(git, ["-C", repository.path] + arguments)
    guard status == 0 else { throw LedgerBenchmarkError("git \(arguments.joined(separator: " ")) failed") }
  }

  private func gitOutput(_ arguments: [String], in repository: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: git)
    process.arguments = ["-C", repository.path] + arguments
    process.environment = environment.merging(Self.identity) { _, new in new }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
  }

  private func fastImport(_ stream: String, in repository: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: git)
    process.arguments = ["-C", repository.path, "fast-import", "--quiet"]
    process.environment = environment
    let input = Pipe()
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(Data(stream.utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw LedgerBenchmarkError("git fast-import failed") }
  }

  private static let identity = [
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
  ]

  /// Runs a program to completion; its exit status, wall time in milliseconds and peak RSS in MiB.
  private func spawn(_ executable: String, _ arguments: [String]) throws -> (Int32, Double, Double) {
    let result = try ChildProcess.run(
      executable, arguments, environment: environment.merging(Self.identity) { _, new in new })
    let elapsed = result.wallTime.components
    let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
    return (result.exitStatus, milliseconds, Double(result.peakRSSBytes) / 1_048_576)
  }
}

extension LedgerBenchmark {
  /// A Markdown table of the rows.
  static func render(_ rows: [Row]) -> String {
    var out = "| case | ledger events | median ms | peak RSS MiB |\n|---|--:|--:|--:|\n"
    for row in rows {
      out += "| \(row.name) | \(row.events) | \(String(format: "%.1f", row.milliseconds)) | "
      out += "\(String(format: "%.1f", row.peakMiB)) |\n"
    }
    return out
  }
}

struct LedgerBenchmarkError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
