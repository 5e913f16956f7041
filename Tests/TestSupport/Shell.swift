import Foundation

/// What a finished process printed and how it exited.
public struct ProcessResult: Sendable {
  public let status: Int32
  public let stdout: String
  public let stderr: String
}

/// Runs `executable` with `arguments` and waits; stdin is empty. Tests use it to run the
/// promptgate binary and git, the oracle. The child gets the test's environment with
/// `environment` added and the variables in `unsetting` taken out.
///
/// Foundation's `Process`, not swiftlang/swift-subprocess: subprocess is `async` only, and the
/// tests call this from synchronous fixtures and initialisers (a repository built in `init`) by
/// the thousand; making them all async buys nothing a test checks.
@discardableResult
public func run(
  _ executable: String, _ arguments: [String], in directory: String? = nil,
  environment: [String: String] = [:], unsetting: [String] = [], input: String? = nil
) throws -> ProcessResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    .filter { !unsetting.contains($0.key) }
  let stdout = Pipe()
  let stderr = Pipe()
  let stdin = Pipe()
  process.standardOutput = stdout
  process.standardError = stderr
  process.standardInput = stdin
  try process.run()
  if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
  try stdin.fileHandleForWriting.close()
  // Read both pipes before waiting, or a chatty child blocks on a full pipe.
  let group = DispatchGroup()
  let outBox = DataBox()
  let errBox = DataBox()
  for (pipe, box) in [(stdout, outBox), (stderr, errBox)] {
    group.enter()
    DispatchQueue.global().async {
      box.data = pipe.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
  }
  group.wait()
  process.waitUntilExit()
  return ProcessResult(
    status: process.terminationStatus, stdout: String(decoding: outBox.data, as: UTF8.self),
    stderr: String(decoding: errBox.data, as: UTF8.self))
}

private final class DataBox: @unchecked Sendable {
  var data = Data()
}

/// Finds a program on PATH.
public func which(_ program: String) -> String? {
  for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
    let candidate = "\(folder)/\(program)"
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
  }
  return nil
}
