import Foundation
import TestSupport
import Testing

/// `sync` over a real ssh remote: an sshd of the test's own on a loopback port, keys from an
/// ssh-agent, and the host key checked against known_hosts as `ssh` does.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd"), "needs openssh-server"))
struct SSHRemoteTests {
  /// An sshd and an ssh-agent of the test's own, killed when it ends.
  final class Server {
    let folder: String
    private(set) var port = 0
    let agentSocket: String
    let home: String
    private var daemons: [Daemon] = []

    init() throws {
      folder = try makeTemporaryFolder(prefix: "promptgate-sshd")
      agentSocket = folder + "/agent.sock"
      home = folder + "/home"
      try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
      for name in ["host_key", "user_key", "impostor_key"] {
        #expect(
          try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(folder)/\(name)"]).status
            == 0)
      }
      try FileManager.default.copyItem(atPath: "\(folder)/user_key.pub", toPath: "\(folder)/authorized_keys")
      // A random port may be taken: sshd then exits at once, and another port is tried.
      for _ in 0..<8 {
        port = Int.random(in: 20_000...40_000)
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(folder)/host_key
        AuthorizedKeysFile \(folder)/authorized_keys
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        StrictModes no
        UsePAM no
        PermitRootLogin yes
        PidFile \(folder)/sshd.pid

        """.write(toFile: folder + "/sshd_config", atomically: true, encoding: .utf8)
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        // In the foreground (-D) as a child of this process, killed when it goes away. It
        // listens once it has written its pid file.
        let sshd = try Daemon(
          "/usr/sbin/sshd", ["-D", "-f", folder + "/sshd_config", "-E", folder + "/sshd.log"])
        for _ in 0..<250
        where !FileManager.default.fileExists(atPath: folder + "/sshd.pid") && !sshd.hasExited {
          usleep(20_000)
        }
        if FileManager.default.fileExists(atPath: folder + "/sshd.pid") {
          daemons.append(sshd)
          break
        }
        sshd.stop()
      }
      #expect(
        FileManager.default.fileExists(atPath: folder + "/sshd.pid"), "sshd did not start: see sshd.log")
      daemons.append(try Daemon("/usr/bin/ssh-agent", ["-D", "-a", agentSocket]))
      for _ in 0..<250 where !FileManager.default.fileExists(atPath: agentSocket) { usleep(20_000) }
      #expect(
        try run(
          "/usr/bin/ssh-add", ["-q", folder + "/user_key"], environment: ["SSH_AUTH_SOCK": agentSocket]
        )
        .status == 0)
    }

    func knownHosts(_ keyFile: String?) throws {
      let line = try keyFile.map { file in
        "[127.0.0.1]:\(port) "
          + (try String(contentsOfFile: "\(folder)/\(file).pub", encoding: .utf8))
          .split(separator: " ").prefix(2).joined(separator: " ") + "\n"
      }
      try (line ?? "").write(toFile: home + "/.ssh/known_hosts", atomically: true, encoding: .utf8)
    }

    func sync(_ clone: String, program: String = CLI.executable) throws -> ProcessResult {
      try CLI.run(
        ["-C", clone, "--no-color", "sync", "--remote", "viassh"],
        environment: ["SSH_AUTH_SOCK": agentSocket, "HOME": home].merging(CLI.sanitizerStacks) { _, new in
          new
        }, program: program)
    }
  }

  @Test func syncsOverSSHOnlyWithAHostKeyKnownHostsLists() throws {
    let server = try Server()
    let team = try SyncTests.Team()
    try team.approve(team.one, "alice", "prompt-review")
    try team.one.git("remote", "add", "viassh", "ssh://root@127.0.0.1:\(server.port)\(team.bare.path)")

    try server.knownHosts(nil)
    let unknown = try server.sync(team.one.path)
    #expect(unknown.status == 2, "\(unknown.stdout)\(unknown.stderr)")
    #expect(
      unknown.stderr.contains("is not in ~/.ssh/known_hosts; check the fingerprint"), "\(unknown.stderr)")
    #expect(unknown.stderr.contains("ssh-keyscan -p \(server.port) 127.0.0.1 >> ~/.ssh/known_hosts"))
    #expect(team.ledger(team.bare) == nil)

    try server.knownHosts("impostor_key")
    let changed = try server.sync(team.one.path)
    #expect(changed.status == 2)
    #expect(changed.stderr.contains("is not the one ~/.ssh/known_hosts lists for it"), "\(changed.stderr)")
    #expect(team.ledger(team.bare) == nil)

    try server.knownHosts("host_key")
    let synced = try server.sync(team.one.path)
    #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
    #expect(team.ledger(team.bare) == team.ledger(team.one))
    let fingerprint = try run("/usr/bin/ssh-keygen", ["-l", "-f", server.folder + "/host_key.pub"]).stdout
    #expect(unknown.stderr.contains(String(fingerprint.split(separator: " ")[1])), "\(fingerprint)")
  }
}
