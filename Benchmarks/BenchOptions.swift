import Foundation

/// The command line of promptgate-bench. Hand-parsed: the target depends on Foundation only.
struct BenchOptions {
  var promptgate: String?
  var repos: String?
  /// Timed runs of each small case; the cases over all of history get half as many.
  var runs = 10
  var regenerate = false
  var help = false
  /// Only this group of cases: `diff`, `ledger`, `report`, `secrets` or `prose`; nil for all.
  var only: String?

  static let groups = ["diff", "ledger", "report", "secrets", "prose"]
  /// The labelled secrets corpus (default: the tests' fixture).
  var corpus: String?

  /// Whether the cases of `group` run.
  func runs(_ group: String) -> Bool { only == nil || only == group }
  /// Internal: generate the named repository and exit (see ``RepositoryGenerator/generateInChild()``).
  var generateOnly: String?

  static let usage = """
    usage: promptgate-bench [--promptgate <path>] [--repos <folder>] [--runs <n>] [--regenerate]
                            [--only diff|ledger|report|secrets|prose] [--corpus <folder>]

    Times `promptgate diff --format json` beside `git diff --name-status -M` on the same commits
    of two generated repositories (2,000 and 20,000 prompts), kept in <package>/bench-repos.

      --promptgate <path>  the binary to time (default: <package>/.build/release/promptgate)
      --repos <folder>     where the generated repositories live (default: <package>/bench-repos)
      --runs <n>           timed runs of each small case (default: 10)
      --regenerate         rebuild the repositories even if they are there
      --only <group>       only the diff and check cases (diff), the ledger and environment
                           commands (ledger: approvals, check, status, rollback, audit verify), or
                           report on a 20,000-event ledger (report), or the secrets gate's
                           precision and recall on its labelled corpus (secrets), or a 1 MiB
                           Markdown prompt rewritten throughout and lightly edited (prose)
      --corpus <folder>    the labelled corpus for secrets (default:
                           <package>/Tests/PromptgateCoreTests/Fixtures/secrets)
    """

  static func parse(_ arguments: [String]) throws(BenchError) -> BenchOptions {
    var options = BenchOptions()
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "--promptgate": options.promptgate = try value(of: argument, from: &rest)
      case "--repos": options.repos = try value(of: argument, from: &rest)
      case "--runs":
        let text = try value(of: argument, from: &rest)
        guard let runs = Int(text), runs >= 1 else {
          throw .usage("--runs wants a whole number ≥ 1, not \(text)")
        }
        options.runs = runs
      case "--regenerate": options.regenerate = true
      case "--corpus": options.corpus = try value(of: argument, from: &rest)
      case "--only":
        let group = try value(of: argument, from: &rest)
        guard groups.contains(group) else {
          throw .usage("--only wants \(groups.joined(separator: ", ")), not \(group)")
        }
        options.only = group
      case RepositoryGenerator.childFlag: options.generateOnly = try value(of: argument, from: &rest)
      case "-h", "--help": options.help = true
      default: throw .usage("unknown argument \(argument)")
      }
    }
    return options
  }

  private static func value(of option: String, from rest: inout ArraySlice<String>) throws(BenchError)
    -> String
  {
    guard let value = rest.popFirst() else { throw .usage("\(option) needs a value") }
    return value
  }
}

/// Finds the package the benchmark belongs to, so that `make bench` and a bare
/// `.build/release/promptgate-bench` both find `.build/release/promptgate` and `bench-repos/`.
enum PackageRoot {
  /// The first folder holding Package.swift and Benchmarks/, above the executable (symlinks
  /// resolved: `.build/release` is one) or else above the current folder.
  static func find() -> URL? {
    var starts: [URL] = []
    if let executable = Bundle.main.executableURL {
      starts.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    for start in starts {
      var folder = start.standardizedFileURL
      while folder.path != "/" {
        if isPackage(folder) { return folder }
        folder = folder.deletingLastPathComponent()
      }
    }
    return nil
  }

  private static func isPackage(_ folder: URL) -> Bool {
    var isFolder: ObjCBool = false
    let files = FileManager.default
    return files.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
      && files.fileExists(atPath: folder.appendingPathComponent("Benchmarks").path, isDirectory: &isFolder)
      && isFolder.boolValue
  }
}
