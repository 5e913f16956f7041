import Foundation

/// One comparison: a promptgate command and the git command that does the least git would do
/// for the same question, run on the same commits; and, for diffs, the git command that also
/// reads every changed file and counts its lines, as promptgate does.
struct BenchmarkCase: Sendable {
  let name: String
  let promptgateArguments: [String]
  let gitArguments: [String]
  /// `git diff --numstat -M`: a like-for-like reference, not the one SPEC §8 names.
  let gitNumstatArguments: [String]?
  let runs: Int
  /// False for cases that diff nothing (process start-up).
  let countsFiles: Bool
  /// Exit codes that mean the command did its job: `check` exits 1 when a gate blocks.
  var acceptedExitCodes: Set<Int32> = [0]

  /// `promptgate diff --format json` against `git diff --name-status -M` on `base..head`.
  static func diff(_ name: String, repository: URL, base: String, head: String, runs: Int) -> BenchmarkCase {
    BenchmarkCase(
      name: name,
      promptgateArguments: ["-C", repository.path, "diff", base, head, "--format", "json"],
      gitArguments: ["-C", repository.path, "diff", "--name-status", "-M", base, head],
      gitNumstatArguments: ["-C", repository.path, "diff", "--numstat", "-M", base, head],
      runs: runs, countsFiles: true)
  }

  /// `promptgate check` (every gate, the diff included) against `git diff --name-status -M` on
  /// the same commits; SPEC §8 asks for a small factor of git. A blocked release is a result.
  static func check(_ name: String, repository: URL, base: String, head: String, runs: Int) -> BenchmarkCase {
    BenchmarkCase(
      name: name,
      promptgateArguments: ["-C", repository.path, "check", head, "--base", base, "--format", "json"],
      gitArguments: ["-C", repository.path, "diff", "--name-status", "-M", base, head],
      gitNumstatArguments: ["-C", repository.path, "diff", "--numstat", "-M", base, head],
      runs: runs, countsFiles: false, acceptedExitCodes: [0, 1])
  }

  /// What it costs to start each program and do nothing, the floor under every other case.
  static func startup(runs: Int) -> BenchmarkCase {
    BenchmarkCase(
      name: "start-up only (--version)", promptgateArguments: ["--version"], gitArguments: ["--version"],
      gitNumstatArguments: nil, runs: runs, countsFiles: false)
  }
}

/// What one case measured.
struct CaseResult: Sendable {
  let benchmark: BenchmarkCase
  /// Files in promptgate's JSON and lines of git's --name-status; nil for start-up.
  let promptgateFiles: Int?
  let gitFiles: Int?
  let promptgate: Measurement
  let git: Measurement
  let gitNumstat: Measurement?

  var ratio: Double { promptgate.medianMilliseconds / max(git.medianMilliseconds, 0.001) }
}

/// Runs cases: one warm-up run of each command, whose output is kept to count the files, then
/// the timed runs, promptgate and git taking turns so that neither gets a quieter moment of the
/// machine than the other.
struct BenchmarkRunner {
  let promptgate: String
  let git: String
  let environment: [String: String]
  /// A folder for the warm-up outputs.
  let scratch: URL

  func run(_ benchmark: BenchmarkCase) throws(BenchError) -> CaseResult {
    let promptgateOutput = scratch.appendingPathComponent("promptgate-output.txt").path
    let gitOutput = scratch.appendingPathComponent("git-output.txt").path
    _ = try runOnce(
      promptgate, benchmark.promptgateArguments, stdout: promptgateOutput,
      accepting: benchmark.acceptedExitCodes)
    _ = try runOnce(git, benchmark.gitArguments, stdout: gitOutput)

    var promptgateFiles: Int?
    var gitFiles: Int?
    if benchmark.countsFiles {
      guard let count = OutputCount.promptgateFiles(at: promptgateOutput) else {
        throw .unexpectedOutput("promptgate diff --format json printed no \"files\" array")
      }
      promptgateFiles = count
      gitFiles = OutputCount.gitFiles(at: gitOutput)
    }

    if let numstat = benchmark.gitNumstatArguments { _ = try runOnce(git, numstat) }

    var promptgateTimes = Measurement()
    var gitTimes = Measurement()
    var numstatTimes: Measurement?
    for _ in 0..<benchmark.runs {
      promptgateTimes.record(
        try runOnce(promptgate, benchmark.promptgateArguments, accepting: benchmark.acceptedExitCodes))
      gitTimes.record(try runOnce(git, benchmark.gitArguments))
      if let numstat = benchmark.gitNumstatArguments {
        numstatTimes = numstatTimes ?? Measurement()
        numstatTimes?.record(try runOnce(git, numstat))
      }
    }
    return CaseResult(
      benchmark: benchmark, promptgateFiles: promptgateFiles, gitFiles: gitFiles,
      promptgate: promptgateTimes, git: gitTimes, gitNumstat: numstatTimes)
  }

  private func runOnce(
    _ executable: String, _ arguments: [String], stdout: String = "/dev/null",
    accepting accepted: Set<Int32> = [0]
  ) throws(BenchError) -> ChildResult {
    let stderrPath = scratch.appendingPathComponent("stderr.txt").path
    let result = try ChildProcess.run(
      executable, arguments, environment: environment, stdout: stdout, stderr: stderrPath)
    try ChildProcess.requireSuccess(
      result, executable, arguments, stderrPath: stderrPath, accepting: accepted)
    return result
  }
}
