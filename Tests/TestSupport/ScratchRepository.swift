import Foundation

/// A throwaway git repository in a temporary folder, built with the git command line (the
/// oracle), deleted when the value goes away.
public final class ScratchRepository: @unchecked Sendable {
  public let path: String
  private var clock = 1_700_000_000

  public enum Failure: Error, CustomStringConvertible {
    case git([String], ProcessResult)
    public var description: String {
      switch self {
      case .git(let arguments, let result):
        "git \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)"
      }
    }
  }

  /// A new repository with branch `main`; `bare` for one without a work tree.
  public init(bare: Bool = false) throws {
    path = try makeTemporaryFolder(prefix: "promptgate-repo")
    try git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []))
  }

  /// Wraps an existing folder (a clone made by a test); deleted with this value.
  public init(existing path: String) {
    self.path = path
  }

  /// A copy of `other` (work tree, objects, refs and all) in a new folder, its clock where
  /// `other`'s is, so that the next commit is dated after every commit it has: a fixture built
  /// once and copied for each test that starts from it.
  public init(copying other: ScratchRepository) throws {
    path = try makeTemporaryFolder(prefix: "promptgate-repo")
    try copyFolder(other.path, to: path)
    clock = other.clock
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Runs git in the repository with a fixed identity and a clock that moves one minute a
  /// commit, so ids are repeatable; returns stdout without its final newline.
  @discardableResult
  public func git(_ arguments: [String], author: String = "Alice Prompt <alice@example.com>") throws -> String
  {
    let (name, email) = Self.split(author)
    clock += 60
    let date = "\(clock) +0000"
    let result = try run(
      "/usr/bin/git", ["-C", path] + arguments,
      environment: [
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_ALLOW_PROTOCOL": "file",
      ])
    guard result.status == 0 else { throw Failure.git(arguments, result) }
    return result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
  }

  @discardableResult
  public func git(_ arguments: String...) throws -> String {
    try git(arguments)
  }

  /// Writes a file in the work tree, creating folders.
  public func write(_ relativePath: String, _ content: String) throws {
    try write(relativePath, Data(content.utf8))
  }

  public func write(_ relativePath: String, _ content: Data) throws {
    let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try content.write(to: url)
  }

  public func remove(_ relativePath: String) throws {
    try FileManager.default.removeItem(atPath: "\(path)/\(relativePath)")
  }

  /// Stages everything and commits; returns the new commit's id.
  @discardableResult
  public func commit(_ message: String, author: String = "Alice Prompt <alice@example.com>") throws -> String
  {
    try git(["add", "-A"], author: author)
    try git(["commit", "-q", "--allow-empty", "-m", message], author: author)
    return try git("rev-parse", "HEAD")
  }

  private static func split(_ author: String) -> (String, String) {
    guard let open = author.firstIndex(of: "<"), let close = author.firstIndex(of: ">") else {
      return (author, "\(author)@example.com")
    }
    let name = author[..<open].trimmingCharacters(in: .whitespaces)
    return (name, String(author[author.index(after: open)..<close]))
  }
}

/// Copies the contents of `source` into the folder `destination` as `cp -a` does: modes (a
/// private key must stay 0600 for ssh-keygen), symbolic links and times kept.
public func copyFolder(_ source: String, to destination: String) throws {
  let result = try run("/bin/cp", ["-a", source + "/.", destination])
  guard result.status == 0 else {
    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination, "stderr": result.stderr])
  }
}

/// A new empty folder under the system's temporary directory.
public func makeTemporaryFolder(prefix: String) throws -> String {
  let url = URL(fileURLWithPath: TestFolders.root).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}

/// Where a test process keeps its temporary folders: one folder per process, removed when the
/// process exits, so a run leaves nothing behind in the system's temporary folder even where a
/// test keeps no handle to delete its folders with. The folders of a run that was killed are
/// removed by the next run, once their process is gone.
public enum TestFolders {
  static let prefix = "promptgate-tests-"

  public static let root: String = {
    let temporary = FileManager.default.temporaryDirectory.path
    for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
    where name.hasPrefix(prefix) {
      guard let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
      try? FileManager.default.removeItem(atPath: "\(temporary)/\(name)")
    }
    let root = "\(temporary)/\(prefix)\(getpid())"
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: TestFolders.root) }
    return root
  }()
}

/// libgit2's own test repositories from Debian's libgit2-fixtures (installed by `make test`).
public enum Libgit2Fixtures {
  public static let folder = "/usr/share/doc/libgit2-fixtures/examples"

  /// The path to a fixture repository, opened in place and only read.
  public static func path(_ name: String) -> String { "\(folder)/\(name)" }
}
