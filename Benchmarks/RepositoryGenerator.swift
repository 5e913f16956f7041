import Foundation

/// Makes a bare benchmark repository of a given shape once, and keeps it: a marker file written
/// last says the repository is complete and of the current generator version, so an interrupted
/// or outdated generation is redone.
struct RepositoryGenerator {
  let shape: RepositoryShape
  let folder: URL
  let git: String
  let environment: [String: String]

  /// Bump when the generated content changes, so cached repositories are rebuilt.
  static let version = 3

  var repository: URL { folder.appendingPathComponent("\(shape.name).git") }
  private var marker: URL { folder.appendingPathComponent("\(shape.name).ready") }

  private var markerText: String {
    "promptgate-bench repository v\(Self.version): \(shape.promptCount) prompts, "
      + "\(shape.totalCommits) commits\n"
  }

  var isReady: Bool {
    (try? String(contentsOf: marker, encoding: .utf8)) == markerText
      && FileManager.default.fileExists(atPath: repository.path)
  }

  /// The flag that makes promptgate-bench generate one repository and exit.
  static let childFlag = "--generate-in-child"

  /// Builds the repository in a child promptgate-bench, and returns how long that took.
  ///
  /// The history is built in memory; done in this process, it would leave this process's RSS
  /// higher, and with it the floor under every peak RSS measured after (``ChildProcess/resetPeakRSS()``).
  func generateInChild() throws(BenchError) -> Duration {
    guard let executable = Bundle.main.executablePath else {
      throw .cannotRun("promptgate-bench", "cannot find its own executable to generate in")
    }
    let arguments = [Self.childFlag, shape.name, "--repos", folder.path]
    let stderrPath = folder.appendingPathComponent("\(shape.name)-generation.log").path
    let result = try ChildProcess.run(executable, arguments, environment: environment, stderr: stderrPath)
    try ChildProcess.requireSuccess(result, executable, arguments, stderrPath: stderrPath)
    try? FileManager.default.removeItem(atPath: stderrPath)
    return result.wallTime
  }

  /// Builds the repository from scratch, in this process.
  func generate() throws(BenchError) {
    let files = FileManager.default
    try? files.removeItem(at: marker)
    try? files.removeItem(at: repository)
    do {
      try files.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(folder.path, error.localizedDescription)
    }
    try runGit(["init", "--quiet", "--bare", "--initial-branch=main", repository.path])

    let streamPath = folder.appendingPathComponent("\(shape.name).fast-import").path
    defer { try? files.removeItem(atPath: streamPath) }
    var history = History(shape: shape, stream: try FastImportStream(path: streamPath))
    try history.write()
    try runGit(["-C", repository.path, "fast-import", "--quiet", "--done"], stdin: streamPath)
    // fast-import's pack deltas each blob only against the previous version of its path; a
    // repack gives the pack a clone or `git gc` would leave, which is what CI reads.
    try runGit(["-C", repository.path, "repack", "-a", "-d", "-q"])
    try runGit(["-C", repository.path, "pack-refs", "--all"])

    do {
      try markerText.write(to: marker, atomically: true, encoding: .utf8)
    } catch {
      throw .cannotWrite(marker.path, error.localizedDescription)
    }
  }

  private func runGit(_ arguments: [String], stdin: String = "/dev/null") throws(BenchError) {
    let stderrPath = folder.appendingPathComponent("git-stderr.txt").path
    defer { try? FileManager.default.removeItem(atPath: stderrPath) }
    let result = try ChildProcess.run(
      git, arguments, environment: environment, stdin: stdin, stderr: stderrPath)
    try ChildProcess.requireSuccess(result, git, arguments, stderrPath: stderrPath)
  }
}
