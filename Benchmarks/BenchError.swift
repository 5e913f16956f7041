import Foundation

/// Why the benchmark could not run, said in one line that names the fix.
enum BenchError: Error {
  case usage(String)
  case missingPromptgate(String)
  case missingGit
  case noPackageRoot
  case cannotRun(String, String)
  case failed(String, String)
  case cannotWrite(String, String)
  case unexpectedOutput(String)

  /// Usage errors exit 2, as promptgate's do; everything else exits 1.
  var isUsage: Bool {
    if case .usage = self { return true }
    return false
  }

  var message: String {
    switch self {
    case .usage(let problem):
      "\(problem); usage: promptgate-bench [--promptgate <path>] [--repos <folder>] [--runs <n>] [--regenerate] "
        + "[--only diff|ledger|report]"
    case .missingPromptgate(let path):
      "no promptgate binary at \(path); build it with `swift build -c release --product promptgate` "
        + "(or run `make bench`), or pass --promptgate <path>"
    case .missingGit:
      "git is not on PATH; the benchmark needs it to generate its repositories and to time git diff"
    case .noPackageRoot:
      "cannot find the promptgate package (a folder with Package.swift and Benchmarks/) above the "
        + "executable or the current folder; run from the package, or pass --promptgate and --repos"
    case .cannotRun(let program, let reason):
      "cannot start \(program): \(reason)"
    case .failed(let command, let reason):
      "`\(command)` failed (\(reason))"
    case .cannotWrite(let path, let reason):
      "cannot write \(path): \(reason)"
    case .unexpectedOutput(let what):
      "unexpected output: \(what)"
    }
  }
}
