import Foundation
import Git
import TestSupport
import Testing

/// Two https remotes used at once in one process, each of its own certificate authority, as a
/// program embedding the Git module (or a test run) does. libgit2 keeps one set of trusted
/// authorities per process and frees the old one when another is installed; the Git module must
/// neither free it under a connection nor let one connection verify against the other's set.
/// Run it once under ThreadSanitizer too (docs/benchmarks.md says how).
@Suite(.enabled(if: HTTPSGitServer.available, "needs python3, openssl and git-http-backend"))
struct ConcurrentHTTPSRemotesTests {
  /// What one connection was asked to do and what it got.
  private struct Attempt: Sendable {
    let server: String
    let authority: String
    let refs: [String: String]?
    let problem: RemoteProblem?
    let message: String?
  }

  @Test func twoRemotesAtOnceEachVerifiedAgainstItsOwnAuthority() throws {
    let bare = try ScratchRepository(bare: true)
    let work = try ScratchRepository()
    try work.write("a.txt", "a\n")
    let head = try work.commit("one")
    try work.git("push", "-q", bare.path, "main")
    let first = try HTTPSGitServer(serving: bare)
    let second = try HTTPSGitServer(serving: bare)
    let urls = ["first": first.url, "second": second.url]
    let authorities = ["first": first.authority, "second": second.authority]

    // Every pairing of server and authority, three times over, all at once: only a server with
    // its own authority is trusted; the system's authorities trust neither.
    let plans: [(server: String, authority: String)] = Array(
      repeating: [
        ("first", "first"), ("second", "second"), ("first", "second"), ("second", "first"),
        ("first", "system"), ("second", "second"), ("first", "first"),
      ], count: 3
    ).flatMap { $0 }
    let attempts = LockedList<Attempt>()
    let clone = work.path
    DispatchQueue.concurrentPerform(iterations: plans.count) { index in
      let plan = plans[index]
      do throws(GitError) {
        let repository = try Repository.open(at: clone)
        let remote = try Remote.anonymous(url: urls[plan.server]!, in: repository)
        if let authority = authorities[plan.authority] {
          remote.certificates = TrustedCertificates(file: .init(path: authority, source: "test"))
        }
        let refs = try remote.advertisedReferences()
        attempts.append(
          Attempt(
            server: plan.server, authority: plan.authority, refs: refs.mapValues { $0.description },
            problem: nil, message: nil))
      } catch {
        attempts.append(
          Attempt(
            server: plan.server, authority: plan.authority, refs: nil, problem: error.remoteProblem,
            message: error.message))
      }
    }

    let results = attempts.values
    #expect(results.count == plans.count)
    for attempt in results {
      if attempt.server == attempt.authority {
        #expect(attempt.refs?["refs/heads/main"] == head, "\(attempt)")
      } else {
        #expect(attempt.refs == nil, "trusted \(attempt.server) with \(attempt.authority)'s authority")
        guard case .certificateRefused(let host, let problems)? = attempt.problem else {
          Issue.record("\(attempt.server) with \(attempt.authority)'s authority: \(attempt.message ?? "")")
          continue
        }
        #expect(host == "localhost")
        #expect(problems.contains(.untrustedAuthority), "\(attempt)")
      }
    }
  }
}
