import Foundation
import TestSupport
import Testing

/// `sync` over a real https remote: git http-backend behind a TLS server of the test's own on a
/// loopback port, with a certificate from a test certificate authority that only
/// `GIT_SSL_CAINFO` or `http.sslCAInfo` makes trusted, as git trusts it.
@Suite(.enabled(if: HTTPSGitServer.available, "needs python3, openssl and git-http-backend"))
struct HTTPSRemoteTests {
  @Test func syncsOverHTTPSOnlyWithTheServersAuthorityTrusted() throws {
    let team = try SyncTests.Team()
    let server = try HTTPSGitServer(serving: team.bare)
    try team.approve(team.one, "alice", "prompt-review")
    try team.approve(team.two, "carol", "compliance-review")

    // The system's authorities alone: the test authority is not among them.
    let untrusted = try server.sync(team.one, authority: nil)
    #expect(untrusted.status == 2, "\(untrusted.stdout)\(untrusted.stderr)")
    #expect(untrusted.stderr.split(separator: "\n").count == 1, "\(untrusted.stderr)")
    #expect(untrusted.stderr.contains("cannot sync with \(server.url): "), "\(untrusted.stderr)")
    #expect(
      untrusted.stderr.contains(
        "localhost was not trusted: its certificate is not signed by a certificate authority promptgate "
          + "trusts; if it comes from an authority of your own, name that authority's certificate in "
          + "GIT_SSL_CAINFO or http.sslCAInfo (promptgate never skips this check)"),
      "\(untrusted.stderr)")
    #expect(team.ledger(team.bare) == nil)

    // Named in GIT_SSL_CAINFO: the first clone's ledger is pushed over https.
    let first = try server.sync(team.one, authority: server.authority)
    try team.record()
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    #expect(first.stdout.contains("pushed \(server.url) refs/promptgate/ledger: (new).."), "\(first.stdout)")
    #expect(team.ledger(team.bare) == team.ledger(team.one))

    // Named in the second clone's http.sslCAInfo instead: it fetches the first clone's event and
    // pushes its own on top.
    try team.two.git("config", "http.sslCAInfo", server.authority)
    let second = try server.sync(team.two, authority: nil)
    try team.record()
    #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
    #expect(second.stdout.contains("1 new event"), "\(second.stdout)")
    #expect(second.stdout.contains("replayed 1 event onto it:"), "\(second.stdout)")
    #expect(team.ledger(team.two) == team.ledger(team.bare))

    let third = try server.sync(team.one, authority: server.authority)
    #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
    #expect(team.ledger(team.one) == team.ledger(team.bare))
    let events = try team.events(team.bare)
    #expect(events.count == 2)
    #expect(events.first?.hasPrefix("approval: alice@example.com approves prompt-review") == true)
    #expect(events.last?.hasPrefix("approval: carol@example.com approves compliance-review") == true)
    try team.verify(team.two)
    try team.checkRemoteNeverRewritten()
  }

  @Test func aMissingAuthorityFileIsNamed() throws {
    let team = try SyncTests.Team()
    let server = try HTTPSGitServer(serving: team.bare)
    try team.approve(team.one, "alice", "prompt-review")

    let missing = server.folder + "/no-such-ca.pem"
    let result = try server.sync(team.one, authority: missing)
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains("GIT_SSL_CAINFO names \(missing), which does not exist; correct or unset it"),
      "\(result.stderr)")
    #expect(team.ledger(team.bare) == nil)

    let folder = try server.sync(team.one, authority: server.folder)
    #expect(folder.status == 2)
    #expect(
      folder.stderr.contains(
        "GIT_SSL_CAINFO names \(server.folder), which is a folder; it takes a file of PEM certificates "
          + "(a folder goes in GIT_SSL_CAPATH or http.sslCAPath)"), "\(folder.stderr)")

    let key = try server.sync(team.one, authority: server.folder + "/server.key")
    #expect(key.status == 2)
    #expect(key.stderr.split(separator: "\n").count == 1, "\(key.stderr)")
    #expect(
      key.stderr.contains("could not read the certificates in \(server.folder)/server.key ("), "\(key.stderr)"
    )
    #expect(key.stderr.contains("); GIT_SSL_CAINFO must name PEM certificates"), "\(key.stderr)")
    #expect(team.ledger(team.bare) == nil)
  }

  @Test func aCertificateForAnotherNameIsRefusedEvenFromATrustedAuthority() throws {
    let team = try SyncTests.Team()
    let server = try HTTPSGitServer(serving: team.bare)
    try team.approve(team.one, "alice", "prompt-review")

    // The certificate names localhost, not 127.0.0.1: trusting its authority is not enough.
    let address = server.url.replacingOccurrences(of: "//localhost:", with: "//127.0.0.1:")
    let result = try server.sync(team.one, authority: server.authority, at: address)
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "cannot sync with \(address): 127.0.0.1 was not trusted: its certificate is not issued for 127.0.0.1; "
          + "use the host name it names in the URL (promptgate never skips this check)"),
      "\(result.stderr)")
    #expect(team.ledger(team.bare) == nil)
  }
}

extension HTTPSRemoteTests {
  /// GitHub's actions/checkout leaves the job's token in the clone's configuration as
  /// `http.https://github.com/.extraheader`; sync sends it as git would, and never prints it.
  @Test func sendsTheExtraHeaderGitConfigurationNames() throws {
    let team = try SyncTests.Team()
    let token = "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46czNjcmV0"
    let server = try HTTPSGitServer(serving: team.bare, requiring: "basic eC1hY2Nlc3MtdG9rZW46czNjcmV0")
    try team.approve(team.one, "alice", "prompt-review")

    let refused = try server.sync(team.one, authority: server.authority)
    #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
    #expect(team.ledger(team.bare) == nil)

    try team.one.git("config", "http.https://localhost:\(server.port)/.extraheader", token)
    let synced = try server.sync(team.one, authority: server.authority)
    #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
    #expect(team.ledger(team.bare) == team.ledger(team.one))
    for output in [refused.stdout, refused.stderr, synced.stdout, synced.stderr] {
      #expect(!output.contains("czNjcmV0"), "the token was printed: \(output)")
    }

    // A header for another host is not sent.
    try team.two.git("config", "http.https://example.com/.extraheader", token)
    let elsewhere = try server.sync(team.two, authority: server.authority)
    #expect(elsewhere.status == 2, "\(elsewhere.stdout)\(elsewhere.stderr)")

    // A malformed one (a colon missing) is refused before anything is sent, without its value.
    try team.two.git(
      "config", "http.https://localhost:\(server.port)/.extraheader", "AUTHORIZATION basic czNjcmV0")
    let malformed = try server.sync(team.two, authority: server.authority)
    #expect(malformed.status == 2)
    #expect(
      malformed.stderr.contains(
        "http.extraHeader value 1 for this remote is not `Name: value` (its value is not shown)"),
      "\(malformed.stderr)")
    #expect(!malformed.stderr.contains("czNjcmV0"))
  }
}

extension HTTPSRemoteTests {
  /// A remote that redirects to another host is refused before anything is sent there; one that
  /// redirects to another port of its host gets no credentials: they and the http.extraHeader
  /// lines go only to the host and port the user named.
  @Test func credentialsAndHeadersNeverFollowARedirectElsewhere() throws {
    let team = try SyncTests.Team()
    let elsewhere = try HTTPSGitServer(serving: team.bare, requiring: "basic c2VjcmV0", plainHTTP: true)
    try team.approve(team.one, "alice", "prompt-review")
    let secrets = ["GIT_USERNAME": "ci", "GIT_PASSWORD": "s3cret-password"]
    func sync(_ url: String) throws -> ProcessResult {
      try CLI.run(
        ["-C", team.one.path, "--no-color", "sync", "--remote", url],
        environment: CLI.sanitizerStacks.merging(secrets) { _, new in new })
    }

    let otherHost = try HTTPSGitServer(
      serving: team.bare, plainHTTP: true, redirectingTo: "http://127.0.0.1:\(elsewhere.port)")
    try team.one.git("config", "http.\(otherHost.url).extraheader", "AUTHORIZATION: basic c2VjcmV0")
    let refused = try sync(otherHost.url)
    #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
    #expect(
      refused.stderr.contains(
        "localhost redirects to 127.0.0.1; promptgate follows redirects within a host only, so that "
          + "credentials and http.extraHeader stay with the host you named"), "\(refused.stderr)")
    #expect(otherHost.log.contains(" 302 "), "\(otherHost.log)")
    #expect(elsewhere.log.isEmpty, "\(elsewhere.log)")

    let otherPort = try HTTPSGitServer(
      serving: team.bare, plainHTTP: true, redirectingTo: "http://localhost:\(elsewhere.port)")
    let withheld = try sync(otherPort.url)
    #expect(withheld.status == 2, "\(withheld.stdout)\(withheld.stderr)")
    #expect(
      withheld.stderr.contains(
        "localhost:\(otherPort.port) redirected promptgate to localhost:\(elsewhere.port), which asks for "
          + "credentials; they go only to localhost:\(otherPort.port)"), "\(withheld.stderr)")
    #expect(elsewhere.log.contains(" 401 "), "\(elsewhere.log)")
    #expect(!elsewhere.log.contains("received an Authorization header"), "\(elsewhere.log)")
    for output in [refused.stderr, withheld.stderr] { #expect(!output.contains("s3cret-password")) }
    #expect(team.ledger(team.bare) == nil)
  }
}

/// A team's bare repository served over https until the value goes away.
final class HTTPSGitServer {
  static let python = which("python3")
  static let openssl = which("openssl")
  static let backend = "/usr/lib/git-core/git-http-backend"
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/https_git_server.py").path
  static var available: Bool {
    python != nil && openssl != nil && FileManager.default.isExecutableFile(atPath: backend)
  }

  let folder: String
  /// The test certificate authority's certificate, which signed the server's.
  let authority: String
  let port: Int
  /// Where the bare repository is served.
  let url: String
  private let daemon: Daemon

  /// Serves `bare`; only to requests with this `Authorization` header when `authorization` is
  /// given. `plainHTTP` serves http without TLS; `redirectingTo` (a base URL) answers every
  /// request with a redirect there instead.
  init(
    serving bare: ScratchRepository, requiring authorization: String? = nil, plainHTTP: Bool = false,
    redirectingTo redirect: String? = nil
  ) throws {
    folder = try makeTemporaryFolder(prefix: "promptgate-https")
    authority = folder + "/ca.pem"
    if !plainHTTP { try Self.makeCertificates(in: folder) }
    // The served folder holds only the bare repository (a link to it).
    let name = URL(fileURLWithPath: bare.path).lastPathComponent + ".git"
    try FileManager.default.createDirectory(atPath: folder + "/root", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: "\(folder)/root/\(name)", withDestinationPath: bare.path)
    let ready = folder + "/port"
    daemon = try Daemon(
      Self.python ?? "python3",
      [Self.script, folder + "/root"]
        + (plainHTTP ? ["-", "-"] : [folder + "/server.pem", folder + "/server.key"]) + [ready]
        + (authorization.map { [$0] } ?? []),
      environment: redirect.map { ["REDIRECT_TO": $0] } ?? [:], log: folder + "/server.log")
    // The server writes the port it listens on once it listens.
    for _ in 0..<500 where !FileManager.default.fileExists(atPath: ready) { usleep(20_000) }
    guard let port = Int((try? String(contentsOfFile: ready, encoding: .utf8)) ?? "") else {
      throw NotStarted(log: (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "")
    }
    self.port = port
    // localhost, not 127.0.0.1: libgit2's TLS (mbedTLS 2.28) matches DNS names only.
    url = "\(plainHTTP ? "http" : "https")://localhost:\(port)/\(name)"
  }

  /// What the server logged: requests, and "received an Authorization header".
  var log: String { (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "" }

  deinit {
    daemon.stop()
    try? FileManager.default.removeItem(atPath: folder)
  }

  /// A certificate authority of the test's own (EC P-256), and the server's certificate for
  /// localhost signed by it.
  private static func makeCertificates(in folder: String) throws {
    let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    try "subjectAltName=DNS:localhost\n".write(toFile: folder + "/ext.cnf", atomically: true, encoding: .utf8)
    for arguments in [
      ["req", "-x509"] + key + [
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=promptgate test CA",
      ],
      ["req"] + key + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
      [
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        "server.pem", "-days", "2", "-extfile", "ext.cnf",
      ],
    ] {
      let result = try run(openssl ?? "openssl", arguments, in: folder)
      guard result.status == 0 else { throw CLIFailure(result: result) }
    }
  }

  /// `promptgate sync --remote <url>` in `clone` (or with `address` as the remote), with
  /// `GIT_SSL_CAINFO` set to `authority`, or unset when nil; `program` is the debug build unless named.
  func sync(
    _ clone: ScratchRepository, authority: String?, at address: String? = nil,
    program: String = CLI.executable
  ) throws -> ProcessResult {
    var environment = CLI.sanitizerStacks
    environment["GIT_SSL_CAINFO"] = authority
    return try CLI.run(
      ["-C", clone.path, "--no-color", "sync", "--remote", address ?? url], environment: environment,
      unsetting: authority == nil ? ["GIT_SSL_CAINFO"] : [], program: program)
  }

  struct NotStarted: Error, CustomStringConvertible {
    let log: String
    var description: String { "the https git server did not start: \(log)" }
  }
}
