import Foundation
import TestSupport
import Testing

/// Runs the built `promptgate` executable: the one `PROMPTGATE_TEST_PROGRAM` names (`make test`
/// names the release build, which ships and runs about four times faster), else the one next to
/// the test binary (a plain `swift test`, `--enable-code-coverage` included, and the leak check).
enum CLI {
  static let executable: String = {
    if let program = ProcessInfo.processInfo.environment["PROMPTGATE_TEST_PROGRAM"], !program.isEmpty {
      return program
    }
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    // On Linux the test binary is `.build/debug/<package>PackageTests.xctest`, beside promptgate.
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("promptgate").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      folder = folder.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/debug/promptgate").path
  }()

  /// Runs `promptgate` (or `program`: the installed release build, say) with `arguments`.
  @discardableResult
  static func run(
    _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
    unsetting: [String] = [], program: String = CLI.executable
  ) throws -> ProcessResult {
    var environment = environment
    // A repository's CI job signs its moves with the release-bot key it keeps as a secret.
    if let index = arguments.firstIndex(of: "-C"), index + 1 < arguments.count,
      let key = ReleaseBotKeys.shared.key(for: arguments[index + 1]), environment["PROMPTGATE_KEY"] == nil
    {
      environment["PROMPTGATE_KEY"] = key
    }
    return try TestSupport.run(
      program, arguments, in: directory, environment: environment, unsetting: unsetting)
  }

  /// Under the leak check, full stacks for the runs that contact a remote: libgit2's own ssh
  /// leak is suppressed by the libgit2 function it happens in (scripts/lsan.supp), which the
  /// fast unwinder cannot see, and any other leak is reported with its whole stack. Empty in the
  /// plain run.
  static var sanitizerStacks: [String: String] {
    guard let options = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] else { return [:] }
    return ["ASAN_OPTIONS": options + ":fast_unwind_on_malloc=0"]
  }

  /// Decodes `diff --format json` output.
  static func diffJSON(_ arguments: [String]) throws -> [String: Any] {
    let result = try run(["diff"] + arguments + ["--format", "json"])
    guard result.status == 0,
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    else {
      throw CLIFailure(result: result)
    }
    return object
  }
}

struct CLIFailure: Error, CustomStringConvertible {
  let result: ProcessResult
  var description: String { "promptgate exited \(result.status): \(result.stderr)" }
}

/// Which release-bot key the "CI job" of each test repository holds: as a pipeline sets
/// PROMPTGATE_KEY once for every promptgate command it runs, the tests set it for every run on
/// a repository (or a clone of it) that registered one. A test that passes --key (or sets
/// PROMPTGATE_KEY itself) signs with that instead.
final class ReleaseBotKeys: @unchecked Sendable {
  static let shared = ReleaseBotKeys()
  private let lock = NSLock()
  private var keys: [String: String] = [:]

  func register(_ key: String, for repository: String) { lock.withLock { keys[repository] = key } }
  func key(for repository: String) -> String? { lock.withLock { keys[repository] } }
}

extension Trait where Self == ConditionTrait {
  /// For tests that run promptgate under libfaketime: its preloaded clock hooks deadlock with
  /// AddressSanitizer's start-up, so the leak check (scripts/leak-check.sh sets
  /// PROMPTGATE_SANITIZED) leaves them to the plain run.
  static var withFaketime: Self {
    .enabled(
      if: ProcessInfo.processInfo.environment["PROMPTGATE_SANITIZED"] == nil,
      "faketime and AddressSanitizer do not start together")
  }
}
