import Foundation
import Git
import TestSupport
import Testing

/// Commit signatures as libgit2 reads them, checked against what git and ssh-keygen make of the
/// same commits.
@Suite struct CommitSignatureTests {
  @Test func anUnsignedCommitHasNoSignature() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompt.md", "Be brief.\n")
    let id = try #require(ObjectID(hex: try scratch.commit("unsigned")))
    let repository = try Repository.open(at: scratch.path)
    #expect(try repository.commitSignature(id) == nil)
    #expect(try scratch.git("log", "-1", "--format=%G?") == "N")
  }

  /// libgit2 1.5's extraction alone reads a `gpgsig ` line of the message as a signature; git
  /// reads only the header, and so does promptgate.
  @Test func aSignatureLineInTheMessageIsNotASignature() throws {
    let scratch = try ScratchRepository()
    let message = "subject\n\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n"
    let id = try #require(ObjectID(hex: try scratch.commit(message)))
    let repository = try Repository.open(at: scratch.path)
    #expect(try repository.commitSignature(id) == nil)
    #expect(try scratch.git("log", "-1", "--format=%G?") == "N")
  }

  @Test func aSignedCommitGivesTheBytesSSHKeygenVerifies() throws {
    let scratch = try ScratchRepository()
    let keys = try KeyFolder()
    let key = try keys.make("alice")
    try scratch.write("prompt.md", "Be brief.\n")
    let id = try #require(ObjectID(hex: try scratch.signedCommit("signed\n\nwith a body\n", key: key)))
    let repository = try Repository.open(at: scratch.path)
    let signature = try #require(try repository.commitSignature(id))

    #expect(signature.signature.hasPrefix("-----BEGIN SSH SIGNATURE-----\n"))
    #expect(signature.signature.hasSuffix("\n-----END SSH SIGNATURE-----"))
    // The signed data is the raw commit without its gpgsig header, as git hands it to ssh-keygen.
    let raw = try scratch.git("cat-file", "commit", id.hex) + "\n"
    #expect(signature.signedData == Array(withoutSignatureHeader(raw).utf8))
    #expect(String(decoding: signature.signedData, as: UTF8.self).hasSuffix("\n\nsigned\n\nwith a body\n"))

    let allowed = "alice@example.com \(try keys.publicKey("alice"))\n"
    #expect(
      try keys.sshKeygenVerifies(signature.signature, over: signature.signedData, allowedSigners: allowed))
    #expect(
      !(try keys.sshKeygenVerifies(
        signature.signature, over: signature.signedData + Array("x".utf8), allowedSigners: allowed)))
    #expect(
      !(try keys.sshKeygenVerifies(
        signature.signature, over: signature.signedData, namespace: "promptgate", allowedSigners: allowed)))
  }

  @Test func aForeignSignatureIsReturnedAsItIs() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompt.md", "Be brief.\n")
    let plain = try scratch.commit("plain")
    let raw = try scratch.git("cat-file", "commit", plain) + "\n"
    let pgp = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----"
    let forged = try #require(ObjectID(hex: try scratch.writeCommitObject(withSignatureHeader(raw, pgp))))
    let repository = try Repository.open(at: scratch.path)
    let signature = try #require(try repository.commitSignature(forged))
    #expect(signature.signature == pgp)
    #expect(signature.signedData == Array(raw.utf8))
  }

  @Test func aMissingObjectOrATreeIsAnErrorNotAnUnsignedCommit() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompt.md", "Be brief.\n")
    try scratch.commit("one")
    let repository = try Repository.open(at: scratch.path)
    let missing = try #require(ObjectID(hex: String(repeating: "1", count: 40)))
    #expect { try repository.commitSignature(missing) } throws: { ($0 as? GitError)?.code == .notFound }
    let tree = try #require(ObjectID(hex: try scratch.git("rev-parse", "HEAD^{tree}")))
    #expect(throws: GitError.self) { try repository.commitSignature(tree) }
  }
}

/// `raw` (a commit object) without its `gpgsig` header and the header's continuation lines.
private func withoutSignatureHeader(_ raw: String) -> String {
  var lines: [Substring] = []
  var inSignature = false
  var inHeader = true
  for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
    if inHeader && line.isEmpty { inHeader = false }
    if inHeader && line.hasPrefix("gpgsig ") {
      inSignature = true
    } else if !(inSignature && line.hasPrefix(" ")) {
      inSignature = false
      lines.append(line)
    }
  }
  return lines.joined(separator: "\n")
}

/// `raw` (an unsigned commit object) with a `gpgsig` header holding `signature`, where git puts it.
private func withSignatureHeader(_ raw: String, _ signature: String) -> String {
  let header = "gpgsig " + signature.replacingOccurrences(of: "\n", with: "\n ") + "\n"
  guard let end = raw.range(of: "\n\n") else { return raw }
  return String(raw[..<end.lowerBound]) + "\n" + header + String(raw[raw.index(after: end.lowerBound)...])
}

extension ScratchRepository {
  /// Stages everything and makes a commit git signs with the SSH key `key` (a private key path).
  fileprivate func signedCommit(_ message: String, key: String) throws -> String {
    try git(["add", "-A"])
    try git([
      "-c", "gpg.format=ssh", "-c", "user.signingkey=\(key).pub", "commit", "-q", "-S", "--allow-empty",
      "-m", message,
    ])
    return try git("rev-parse", "HEAD")
  }

  /// Writes `object` as a commit object with `git hash-object`, which checks its format.
  fileprivate func writeCommitObject(_ object: String) throws -> String {
    let result = try run(
      "/usr/bin/git", ["-C", path, "hash-object", "-t", "commit", "-w", "--stdin"], input: object)
    #expect(result.status == 0, "git hash-object: \(result.stderr)")
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// A temporary folder of SSH keys made by ssh-keygen, away from any ssh-agent.
private final class KeyFolder {
  let path: String

  init() throws {
    path = try makeTemporaryFolder(prefix: "promptgate-commit-keys")
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Makes an ed25519 key pair; returns the private key's path.
  func make(_ name: String) throws -> String {
    let result = try run(
      which("ssh-keygen") ?? "/usr/bin/ssh-keygen",
      ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", name],
      in: path)
    #expect(result.status == 0, "ssh-keygen: \(result.stderr)")
    return "\(path)/\(name)"
  }

  func publicKey(_ name: String) throws -> String {
    try String(contentsOfFile: "\(path)/\(name).pub", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `ssh-keygen -Y verify` of `signature` over exactly `data`, as alice, in `namespace`.
  func sshKeygenVerifies(
    _ signature: String, over data: [UInt8], namespace: String = "git", allowedSigners: String
  ) throws -> Bool {
    try allowedSigners.write(toFile: "\(path)/allowed_signers", atomically: true, encoding: .utf8)
    try (signature + "\n").write(toFile: "\(path)/commit.sig", atomically: true, encoding: .utf8)
    try Data(data).write(to: URL(fileURLWithPath: "\(path)/commit.data"))
    // Through a shell, so ssh-keygen reads exactly these bytes on its standard input.
    let result = try run(
      "/bin/sh",
      [
        "-c",
        "exec \"$0\" -Y verify -f allowed_signers -I alice@example.com -n \"$1\" -s commit.sig <commit.data",
        which("ssh-keygen") ?? "/usr/bin/ssh-keygen", namespace,
      ], in: path, environment: ["SSH_AUTH_SOCK": ""])
    return result.status == 0
  }
}
