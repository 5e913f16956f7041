import Foundation
import TestSupport

// promptgate-bench (`make bench`): SPEC §8 asks that `promptgate diff` cost about what
// `git diff --numstat -M` costs on the same commits (the same reading work), and that its cost
// grow with the change, not with the repository. This times both, side by side, on two generated
// repositories, and prints each of issue 16's goals against what it measured (``Goals``).

func benchmark(_ arguments: [String]) throws(BenchError) {
  let clock = ContinuousClock()
  let started = clock.now
  let options = try BenchOptions.parse(arguments)
  if options.help {
    print(BenchOptions.usage)
    return
  }
  if let name = options.generateOnly {
    try generateOnly(name, repos: options.repos)
    return
  }
  // Only looked for when a default needs it, so explicit paths work from anywhere.
  func root() throws(BenchError) -> URL {
    guard let root = PackageRoot.find() else { throw .noPackageRoot }
    return root
  }
  if options.only == "secrets" {
    try scoreSecrets(corpus: options.corpus, root: root)
    return
  }
  let promptgate =
    if let path = options.promptgate {
      URL(fileURLWithPath: path).standardizedFileURL.path
    } else {
      try root().appendingPathComponent(".build/release/promptgate").path
    }
  guard FileManager.default.isExecutableFile(atPath: promptgate) else { throw .missingPromptgate(promptgate) }
  guard let git = ChildProcess.find("git") else { throw .missingGit }
  let repos =
    if let path = options.repos {
      URL(fileURLWithPath: path).standardizedFileURL
    } else {
      try root().appendingPathComponent("bench-repos")
    }

  // Neither the machine's nor the user's git configuration may change what git does or how
  // fast (diff.renameLimit, core.preloadIndex...); both programs get the same environment.
  var environment = ProcessInfo.processInfo.environment
  environment["GIT_CONFIG_NOSYSTEM"] = "1"
  environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
  environment["NO_COLOR"] = "1"
  let scratch = repos.appendingPathComponent("scratch")
  do {
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  } catch {
    throw .cannotWrite(scratch.path, error.localizedDescription)
  }

  let gitVersion = try ChildProcess.output(git, ["--version"], environment: environment, scratch: scratch)
  print("promptgate: \(promptgate)")
  print("git:        \(git) (\(gitVersion.trimmingCharacters(in: .whitespacesAndNewlines)))")
  print("repositories: \(repos.path)")
  if let load = loadAverage() {
    // Another build or test run on the machine skews every figure; say so beside them.
    print(
      "load average (1 min): \(load)\(Double(load).map { $0 > 0.5 ? "; figures will be noisy" : "" } ?? "")")
  }

  if options.runs("diff") {
    try timeDiffAndCheck(
      options: options, repos: repos, promptgate: promptgate, git: git, environment: environment,
      scratch: scratch)
  }
  if options.runs("ledger") {
    print("")
    print("timing: the ledger (approvals and check on 10,000 and 50,000 events; audit verify on 10,000)")
    let ledger = LedgerBenchmark(promptgate: promptgate, git: git, folder: repos, environment: environment)
    do {
      print(LedgerBenchmark.render(try ledger.run(runs: options.runs)))
      print("timing: environments (status and rollback on 1,000 and 20,000 events)")
      print(LedgerBenchmark.render(try ledger.environmentRows(runs: options.runs)))
    } catch {
      throw .unexpectedOutput("the ledger benchmark failed: \(error)")
    }
  }
  if options.runs("report") {
    print("")
    print("timing: report on a ledger of \(ReportBenchmark.events) events over a year, two environments")
    let report = ReportBenchmark(promptgate: promptgate, git: git, folder: repos, environment: environment)
    print(LedgerBenchmark.render(try report.run(runs: options.runs)))
  }
  if options.runs("prose") {
    print("")
    try timeProse(
      options: options, repos: repos, promptgate: promptgate, git: git, environment: environment,
      scratch: scratch)
  }
  if options.runs("secrets") {
    print("")
    try scoreSecrets(corpus: options.corpus, root: root)
  }
  print("total bench time: \(format(clock.now - started))")
}

/// Prints the secrets gate's precision and recall on the labelled corpus, and every miss.
func scoreSecrets(corpus: String?, root: () throws(BenchError) -> URL) throws(BenchError) {
  let folder =
    if let corpus {
      URL(fileURLWithPath: corpus).standardizedFileURL
    } else {
      try SecretsCorpus.bundled(package: root()).folder
    }
  let score: SecretsCorpus.Score
  do {
    score = try SecretsCorpus(folder: folder).score()
  } catch {
    throw .unexpectedOutput("cannot read the secrets corpus in \(folder.path): \(error.localizedDescription)")
  }
  print("secrets gate on \(folder.path):")
  print(
    "  clean material: \(score.cleanFiles) real files (\(score.cleanBytes / 1024) KiB), "
      + "\(score.falseAlarms.count) findings (goal 0)")
  print("  fakes: \(score.found) of \(score.fakes) found by their rule (goal all)")
  print(String(format: "  precision %.3f, recall %.3f", score.precision, score.recall))
  for alarm in score.falseAlarms.prefix(40) { print("  false alarm: \(alarm)") }
  for miss in score.missed { print("  missed: \(miss)") }
}

/// The diff and check cases: promptgate beside git on the generated prompt repositories.
func timeDiffAndCheck(
  options: BenchOptions, repos: URL, promptgate: String, git: String, environment: [String: String],
  scratch: URL
) throws(BenchError) {
  var tags: [String: [String: String]] = [:]
  var repositories: [String: URL] = [:]
  for shape in [RepositoryShape.small, .large] {
    let generator = RepositoryGenerator(shape: shape, folder: repos, git: git, environment: environment)
    if options.regenerate || !generator.isReady {
      print(
        "generating the \(shape.name) repository: \(shape.promptCount) prompts, "
          + "\(shape.totalCommits) commits...")
      let took = try generator.generateInChild()
      print("  done in \(format(took))")
    }
    repositories[shape.name] = generator.repository
    tags[shape.name] = try resolve(
      BenchTag.all, in: generator.repository, git: git, environment: environment, scratch: scratch)
  }

  let runs = options.runs
  let longRuns = max(3, runs / 2)
  func diff(_ name: String, _ shape: RepositoryShape, _ base: String, _ head: String, runs: Int)
    -> BenchmarkCase
  {
    .diff(
      name, repository: repositories[shape.name]!, base: tags[shape.name]![base]!,
      head: tags[shape.name]![head]!, runs: runs)
  }
  let small = RepositoryShape.small
  let large = RepositoryShape.large
  let cases: [BenchmarkCase] = [
    .startup(runs: 2 * runs),
    diff("1 file, 2k repo", small, BenchTag.blockBase, BenchTag.blockOne, runs: runs),
    diff("1 file, 20k repo", large, BenchTag.blockBase, BenchTag.blockOne, runs: runs),
    diff("100 files, 2k repo", small, BenchTag.blockBase, BenchTag.blockHead, runs: runs),
    diff("100 files, 20k repo", large, BenchTag.blockBase, BenchTag.blockHead, runs: runs),
    diff("first to last commit, 2k repo", small, BenchTag.first, BenchTag.last, runs: longRuns),
    diff("first to last commit, 20k repo", large, BenchTag.first, BenchTag.last, runs: longRuns),
    .check(
      "check, 100 files, 20k repo", repository: repositories[large.name]!,
      base: tags[large.name]![BenchTag.blockBase]!,
      head: tags[large.name]![BenchTag.blockHead]!, runs: runs),
  ]

  let runner = BenchmarkRunner(promptgate: promptgate, git: git, environment: environment, scratch: scratch)
  var results: [CaseResult] = []
  print("")
  for benchmark in cases {
    print("timing: \(benchmark.name) (1 warm-up + \(benchmark.runs) runs each)")
    results.append(try runner.run(benchmark))
  }
  print("")
  print(ResultTable.render(results))
  print("")
  print(
    "ms: median wall time, process start-up included; CPU ms: median user + system time. "
      + "git --numstat: a like-for-like reference that, as promptgate, reads every changed file.")
  print(Verdicts.lines(for: results).joined(separator: "\n"))
  print("")
  print(Goals.render(results))
}

/// The child side of ``RepositoryGenerator/generateInChild()``.
func generateOnly(_ name: String, repos: String?) throws(BenchError) {
  guard let shape = [RepositoryShape.small, .large].first(where: { $0.name == name }), let repos else {
    throw .usage("\(RepositoryGenerator.childFlag) wants small or large, and --repos")
  }
  guard let git = ChildProcess.find("git") else { throw .missingGit }
  let generator = RepositoryGenerator(
    shape: shape, folder: URL(fileURLWithPath: repos), git: git,
    environment: ProcessInfo.processInfo.environment)
  try generator.generate()
}

/// The commit ids the tags name, so both programs get ids and neither pays for a ref lookup
/// the other skips.
func resolve(
  _ tags: [String], in repository: URL, git: String, environment: [String: String], scratch: URL
) throws(BenchError) -> [String: String] {
  let output = try ChildProcess.output(
    git, ["-C", repository.path, "rev-parse"] + tags.map { "\($0)^{commit}" }, environment: environment,
    scratch: scratch)
  let ids = output.split(separator: "\n").map(String.init)
  guard ids.count == tags.count else { throw .unexpectedOutput("git rev-parse printed \(ids.count) ids") }
  return Dictionary(uniqueKeysWithValues: zip(tags, ids))
}

/// The 1-minute load average, on Linux; nil elsewhere.
func loadAverage() -> String? {
  guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
  return text.split(separator: " ").first.map(String.init)
}

func format(_ duration: Duration) -> String {
  let parts = duration.components
  let seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  return String(format: "%.1f s", seconds)
}

do {
  try benchmark(Array(CommandLine.arguments.dropFirst()))
} catch {
  FileHandle.standardError.write(Data("promptgate-bench: \(error.message)\n".utf8))
  exit(error.isUsage ? 2 : 1)
}
