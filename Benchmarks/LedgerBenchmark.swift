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
        "-C", repository.path, "approvals", head, "--env", "production", "--base", base, "--format", "json",
      ]
      // The first run after a clone builds the index under .git/promptgate; later runs reuse it.
      try? FileManager.default.removeItem(at: repository.appendingPathComponent(".git/promptgate"))
      rows.append(
        try time("approvals, first run (builds the index)", size, approvals, runs: 1, expectFailure: false))
      rows.append(try time("approvals", size, approvals, runs: runs, expectFailure: false))
      rows.append(
        try time(
          "check --env production", size,
          ["-C", repository.path, "check", head, "--base", base, "--env", "production", "--format", "json"],
          runs: runs, expectFailure: false))
      if size == sizes.first {
        rows.append(
          try time(
            "audit verify", size, ["-C", repository.path, "audit", "verify"], runs: 3, expectFailure: false))
      }
    }
    return rows
  }

  /// `status` and `rollback` of one environment on ledgers of 1,000 and 20,000 events: both
  /// derive the environment from the index, so they should cost the same on both (SPEC §8).
  func environmentRows(sizes: [Int] = [1_000, 20_000], runs: Int = 5) throws -> [Row] {
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
    }
    return rows
  }

  /// Times `rollback --env live`, putting the ledger, the environment ref and the clone's memory
  /// back as they were before each run, so every run rolls back the same release.
  private func timeRollback(_ repository: URL, events: Int, runs: Int) throws -> Row {
    let ledger = try gitOutput(["rev-parse", "refs/promptgate/ledger"], in: repository)
    let live = try gitOutput(["rev-parse", "refs/promptgate/environments/live"], in: repository)
    let memory = repository.appendingPathComponent(".git/promptgate")
    let saved = repository.appendingPathComponent(".git/promptgate-saved")
    try? FileManager.default.removeItem(at: saved)
    try FileManager.default.copyItem(at: memory, to: saved)
    defer { try? FileManager.default.removeItem(at: saved) }
    var durations: [Double] = []
    var peak = 0.0
    for _ in 0..<runs {
      let (status, milliseconds, rss) = try spawn(
        promptgate, ["-C", repository.path, "rollback", "--env", "live", "--reason", "bench"])
      guard status == 0 else { throw LedgerBenchmarkError("promptgate rollback exited \(status)") }
      durations.append(milliseconds)
      peak = max(peak, rss)
      try gitRun(["update-ref", "refs/promptgate/ledger", ledger], in: repository)
      try gitRun(["update-ref", "refs/promptgate/environments/live", live], in: repository)
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

  /// A gated repository (base, head) whose ledger holds `events` events: five signed approvals
  /// of the head, spread out, and releases of other content in between.
  private func makeRepository(_ repository: URL, events: Int) throws -> (String, String) {
    // v2: the last two events release base, then head, into `live` (real commits to roll back).
    let marker = repository.appendingPathComponent(".git/bench-ledger-ready-v2")
    if FileManager.default.fileExists(atPath: marker.path),
      let text = try? String(contentsOf: marker, encoding: .utf8)
    {
      let ids = text.split(separator: " ").map(String.init)
      if ids.count == 2 { return (ids[0], ids[1]) }
    }
    try? FileManager.default.removeItem(at: repository)
    try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
    let key = repository.appendingPathComponent(".git/bench-key").path
    try gitRun(["init", "-q", "-b", "main"], in: repository)
    _ = try spawn("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", key])
    let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
      .joined(separator: " ")
    try write(repository, "runbook.yaml", Self.runbook)
    try write(
      repository, ".promptgate/allowed_signers",
      "alice@example.com namespaces=\"promptgate-approval\" \(publicKey)\n")
    try write(repository, "prompts/billing.prompty", "---\nversion: 1.0.0\n---\nHello {{ name }}\n")
    try write(repository, "fallbacks/static.md", "Sorry.\n")
    try gitRun(["add", "-A"], in: repository)
    try gitRun(["commit", "-q", "-m", "base"], in: repository)
    let base = try gitOutput(["rev-parse", "HEAD"], in: repository)
    try write(repository, "prompts/billing.prompty", "---\nversion: 1.1.0\n---\nHello {{ name }}, kindly\n")
    try gitRun(["commit", "-q", "-am", "head"], in: repository)
    let head = try gitOutput(["rev-parse", "HEAD"], in: repository)

    // One real approval, signed by promptgate; its statement and signature are reused.
    let (status, _, _) = try spawn(
      promptgate,
      [
        "-C", repository.path, "approve", head, "--env", "production", "--checkpoint", "prompt-review",
        "--key", key,
      ])
    guard status == 0 else { throw LedgerBenchmarkError("promptgate approve failed in \(repository.path)") }
    let event = try JSONValue(
      parsing: Array(try gitOutput(["show", "refs/promptgate/ledger:event.json"], in: repository).utf8))
    let signature = try gitOutput(["show", "refs/promptgate/ledger:event.sig"], in: repository) + "\n"
    guard let approval = event.canonicalString.data(using: .utf8), !approval.isEmpty else {
      throw LedgerBenchmarkError("no approval event to copy")
    }
    try gitRun(["update-ref", "-d", "refs/promptgate/ledger"], in: repository)
    try? FileManager.default.removeItem(at: repository.appendingPathComponent(".git/promptgate"))

    var stream = ""
    let approvalsAt = Set((0..<5).map { $0 * events / 5 + 1 })
    var random = SystemRandomNumberGenerator()
    func hex() -> String {
      (0..<40).map { _ in String("0123456789abcdef".randomElement(using: &random)!) }.joined()
    }
    for sequence in 1...events {
      let recorded: LedgerEvent
      var sig: String?
      if sequence > events - 2 {
        let commit = sequence == events ? head : base
        let tree = try gitOutput(["rev-parse", "\(commit)^{tree}"], in: repository)
        recorded = LedgerEvent(
          kind: .release, sequence: sequence, time: "2026-11-02T00:00:00Z",
          actor: "Bench Runner <bench@example.com>",
          environment: "live", release: LedgerEvent.Release(commit: commit, tree: tree), repository: base,
          details: ["gates": .array([])])
      } else if approvalsAt.contains(sequence) {
        let original = try LedgerEvent(json: event)
        recorded = LedgerEvent(
          kind: original.kind, sequence: sequence, time: original.time, actor: original.actor,
          environment: original.environment, release: original.release, repository: original.repository,
          details: original.details)
        sig = signature
      } else {
        recorded = LedgerEvent(
          kind: sequence % 7 == 0 ? .blocked : .release, sequence: sequence, time: "2026-11-01T00:00:00Z",
          actor: "Bench Runner <bench@example.com>",
          environment: sequence % 2 == 0 ? "staging" : "production",
          release: LedgerEvent.Release(commit: hex(), tree: hex()), repository: base,
          details: ["gates": .array([])])
      }
      let json = recorded.json.canonicalString
      stream += "commit refs/promptgate/ledger\ncommitter Bench <bench@example.com> 1764000000 +0000\n"
      stream += "data \(recorded.summary.utf8.count + 1)\n\(recorded.summary)\n"
      stream += "deleteall\nM 100644 inline event.json\ndata \(json.utf8.count)\n\(json)\n"
      if let sig { stream += "M 100644 inline event.sig\ndata \(sig.utf8.count)\n\(sig)\n" }
      stream += "\n"
    }
    try fastImport(stream, in: repository)
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
    roles:
      prompt-owner: [alice@example.com]
      ops: [omar@example.com]

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
