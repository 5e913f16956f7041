import Foundation
import TestSupport

/// Runs the built `promptgate` executable, which sits next to the test binary.
enum CLI {
  static let executable: String = {
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

  @discardableResult
  static func run(
    _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
    unsetting: [String] = []
  ) throws -> ProcessResult {
    try TestSupport.run(executable, arguments, in: directory, environment: environment, unsetting: unsetting)
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
