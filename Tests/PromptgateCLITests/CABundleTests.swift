import Foundation
import TestSupport
import Testing

/// Where Debian's libgit2 looks for the system's trusted certificate authorities.
private let systemBundle = "/etc/ssl/certs/ca-certificates.crt"

/// libgit2 built against mbedTLS (Debian's) parses the whole system CA bundle when it starts,
/// which cost every promptgate command about 9 ms. promptgate puts that off until it contacts a
/// remote. strace shows which files a run opens.
@Suite(
  .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace"),
  .enabled(if: FileManager.default.fileExists(atPath: systemBundle), "needs ca-certificates"))
struct CABundleTests {
  /// LeakSanitizer cannot run under ptrace; this suite is about files, not leaks.
  private static var noLeakCheck: [String: String] {
    guard let options = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] else { return [:] }
    return ["ASAN_OPTIONS": options + ":detect_leaks=0"]
  }

  /// Runs promptgate under strace and returns its result and the files it opened.
  private func opened(_ arguments: [String], in repository: ScratchRepository) throws -> (
    ProcessResult, String
  ) {
    let log = try makeTemporaryFolder(prefix: "promptgate-strace") + "/openat.log"
    defer {
      try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: log).deletingLastPathComponent().path)
    }
    let result = try run(
      "/usr/bin/strace", ["-f", "-qq", "-e", "trace=open,openat", "-o", log, CLI.executable] + arguments,
      in: repository.path,
      environment: ["GIT_SSL_CAINFO": "", "GIT_SSL_CAPATH": ""].merging(Self.noLeakCheck) { _, new in new })
    return (result, try String(contentsOfFile: log, encoding: .utf8))
  }

  @Test func onlyAConnectionToARemoteReadsTheSystemCABundle() throws {
    let repository = try ScratchRepository()
    try repository.write("prompts/a.prompt.md", "---\nversion: 1\n---\nHello {{ name }}\n")
    let first = try repository.commit("first")
    try repository.write("prompts/a.prompt.md", "---\nversion: 2\n---\nHello {{ name }}, again\n")
    let second = try repository.commit("second")

    let (diff, diffFiles) = try opened(["diff", first, second], in: repository)
    #expect(diff.status == 0, "\(diff.stderr)")
    #expect(diffFiles.contains("/.git/"), "strace saw the repository being read")
    #expect(!diffFiles.contains(systemBundle), "diff read the CA bundle")

    // Nothing listens on port 1: the bundle is read before the connection is tried.
    let (sync, syncFiles) = try opened(
      ["sync", "--remote", "https://127.0.0.1:1/remote.git"], in: repository)
    #expect(sync.status == 2, "\(sync.stderr)")
    #expect(syncFiles.contains(systemBundle), "sync over https did not read the CA bundle")
  }
}
