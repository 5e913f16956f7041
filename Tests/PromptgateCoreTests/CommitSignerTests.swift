import Foundation
import Git
import TestSupport
import Testing

@testable import PromptgateCore

/// Who signed a commit, judged on commits git signed with ssh-keygen keys; `git verify-commit`
/// with the same allowed_signers and revoked keys is the oracle.
@Suite struct CommitSignerTests {
  /// A repository and two keys: alice's, which signs the commits, and mallory's.
  struct Fixture {
    let scratch: ScratchRepository
    let keys: SSHKeyFolder
    let alicePath: String
    let alice: SSHPublicKey
    let mallory: SSHPublicKey

    init() throws {
      scratch = try ScratchRepository()
      keys = try SSHKeyFolder()
      alicePath = try keys.makeKey("alice", type: "ed25519")
      alice = try keys.publicKey("alice")
      _ = try keys.makeKey("mallory", type: "ed25519", comment: "mallory@example.com")
      mallory = try keys.publicKey("mallory")
      try scratch.write("prompts/support.md", "Answer in the customer's language.\n")
    }

    /// Commits the work tree, signed by alice's key as `git commit -S` signs.
    func signedCommit(_ message: String = "Support prompt: answer in kind") throws -> String {
      try scratch.git(["add", "-A"])
      try scratch.git([
        "-c", "gpg.format=ssh", "-c", "user.signingkey=\(alicePath).pub", "commit", "-q", "-S",
        "--allow-empty", "-m", message,
      ])
      return try scratch.git("rev-parse", "HEAD")
    }

    /// Writes `object` as a commit object, as an attacker with push access could.
    func writeCommitObject(_ object: String) throws -> String {
      let result = try run(
        "/usr/bin/git", ["-C", scratch.path, "hash-object", "-t", "commit", "-w", "--stdin"], input: object)
      #expect(result.status == 0, "git hash-object: \(result.stderr)")
      return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The raw commit object, as `git cat-file commit` prints it.
    func rawCommit(_ id: String) throws -> String {
      try scratch.git("cat-file", "commit", id) + "\n"
    }

    /// CommitSigner's verdict on `commit`, at its committer time as git checks validity.
    func verdict(_ commit: String, allowedSigners: String, revoked: String = "") throws
      -> CommitSigner.Verdict
    {
      let repository = try Repository.open(at: scratch.path)
      let id = try #require(ObjectID(hex: commit))
      let time = Date(timeIntervalSince1970: TimeInterval(try repository.commit(id).committer.time))
      let signer = CommitSigner(
        signers: AllowedSigners.parse(allowedSigners, file: TrustedSigners.allowedSignersPath).0,
        revoked: RevokedKeys.parse(revoked, file: TrustedSigners.revokedKeysPath).0)
      return signer.verdict(on: try repository.commitSignature(id), at: time)
    }

    /// Whether `git verify-commit` accepts `commit` with these files: the oracle.
    func gitVerifies(_ commit: String, allowedSigners: String, revoked: String? = nil) throws -> Bool {
      let allowedPath = try keys.write("allowed_signers", allowedSigners)
      var settings = ["-c", "gpg.ssh.allowedSignersFile=\(allowedPath)"]
      if let revoked {
        settings += ["-c", "gpg.ssh.revocationFile=\(try keys.write("revoked_keys", revoked))"]
      }
      let result = try run(
        "/usr/bin/git", ["-C", scratch.path] + settings + ["verify-commit", commit],
        environment: ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"])
      return result.status == 0
    }
  }

  @Test func anUnsignedCommitIsUnsigned() throws {
    let fixture = try Fixture()
    let commit = try fixture.scratch.commit("unsigned")
    let allowed = "alice@example.com \(fixture.alice.openSSH)\n"
    #expect(try fixture.verdict(commit, allowedSigners: allowed) == .unsigned)
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed)))
  }

  @Test func aListedKeySignsAsEveryPrincipalAllowedToSignCommits() throws {
    let fixture = try Fixture()
    let commit = try fixture.signedCommit("Prompt für Kunden: antworte kurz\n\nReviewed by the support team.")
    let allowed = """
      alice@example.com namespaces="git" \(fixture.alice.openSSH)
      release-bot@example.com \(fixture.alice.openSSH)
      bob@example.com namespaces="promptgate" \(fixture.alice.openSSH)
      carol@example.com \(fixture.mallory.openSSH)

      """
    let principals = ["alice@example.com", "release-bot@example.com"]
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed)
        == .signed(principals: principals, fingerprint: fixture.alice.fingerprint))
    #expect(try fixture.gitVerifies(commit, allowedSigners: allowed))
  }

  @Test func aKeyNotListedIsRefusedByName() throws {
    let fixture = try Fixture()
    let commit = try fixture.signedCommit()
    let allowed = "alice@example.com \(fixture.mallory.openSSH)\n"
    let verdict = try fixture.verdict(commit, allowedSigners: allowed)
    #expect(
      verdict == .refused("the key \(fixture.alice.fingerprint) is not listed in .promptgate/allowed_signers")
    )
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed)))
  }

  @Test func aRevokedKeyIsRefused() throws {
    let fixture = try Fixture()
    let commit = try fixture.signedCommit()
    let allowed = "alice@example.com \(fixture.alice.openSSH)\n"
    let revoked = "# alice's old laptop\n\(fixture.alice.openSSH)\n"
    #expect(try fixture.gitVerifies(commit, allowedSigners: allowed))
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed, revoked: revoked)
        == .refused("the key \(fixture.alice.fingerprint) is revoked in .promptgate/revoked_keys"))
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed, revoked: revoked)))
  }

  @Test func aKeyListedOnlyForPromptgateStatementsIsRefused() throws {
    let fixture = try Fixture()
    let commit = try fixture.signedCommit()
    let allowed = "alice@example.com namespaces=\"promptgate\" \(fixture.alice.openSSH)\n"
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed)
        == .refused(
          "the key of alice@example.com is not valid for namespace git (.promptgate/allowed_signers)"))
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed)))
  }

  @Test func validityIsCheckedAtTheGivenTime() throws {
    let fixture = try Fixture()
    let commit = try fixture.signedCommit()
    let allowed = "alice@example.com valid-after=\"20990101\" \(fixture.alice.openSSH)\n"
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed)
        == .refused(
          "the key of alice@example.com is valid only after 2099-01-01 (.promptgate/allowed_signers)"))
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed)))

    let repository = try Repository.open(at: fixture.scratch.path)
    let signature = try repository.commitSignature(try #require(ObjectID(hex: commit)))
    let signer = CommitSigner(
      signers: AllowedSigners.parse(allowed, file: TrustedSigners.allowedSignersPath).0,
      revoked: RevokedKeys())
    let year2100 = Date(timeIntervalSince1970: 4_102_444_800)
    #expect(
      signer.verdict(on: signature, at: year2100)
        == .signed(principals: ["alice@example.com"], fingerprint: fixture.alice.fingerprint))
  }

  @Test func aKeyListedOnlyUnderAPatternNamesNobody() throws {
    let fixture = try Fixture()
    let commit = try fixture.signedCommit()
    let verdict = try fixture.verdict(commit, allowedSigners: "*@example.com \(fixture.alice.openSSH)\n")
    #expect(
      verdict
        == .refused(
          "the key \(fixture.alice.fingerprint) is listed in .promptgate/allowed_signers only under a pattern, "
            + "which names no principal; list the principal by name"))
  }

  /// A name counts through every line that allows it, a pattern's included, as
  /// `ssh-keygen -Y verify -I` decides.
  @Test func aNamedPrincipalCountsThroughAPatternLineToo() throws {
    let fixture = try Fixture()
    let commit = try fixture.signedCommit()
    let allowed = """
      *@example.com \(fixture.alice.openSSH)
      bob@example.com namespaces="promptgate" \(fixture.alice.openSSH)

      """
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed)
        == .signed(principals: ["bob@example.com"], fingerprint: fixture.alice.fingerprint))
    let repository = try Repository.open(at: fixture.scratch.path)
    let id = try #require(ObjectID(hex: commit))
    let signature = try #require(try repository.commitSignature(id))
    #expect(
      try fixture.keys.openSSHVerifies(
        signature.signature + "\n", message: String(decoding: signature.signedData, as: UTF8.self),
        principal: "bob@example.com", namespace: "git", allowedSigners: allowed))
  }

  @Test func aPGPSignatureIsRefusedAsNotSSH() throws {
    let fixture = try Fixture()
    let raw = try fixture.rawCommit(try fixture.scratch.commit("unsigned"))
    let pgp = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----"
    let commit = try fixture.writeCommitObject(insertingSignature(pgp, into: raw))
    let allowed = "alice@example.com \(fixture.alice.openSSH)\n"
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed)
        == .refused(
          "the commit is signed with an OpenPGP (gpg) key, not an SSH key; promptgate verifies SSH commit "
            + "signatures only (git config gpg.format ssh)"))
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed)))
  }

  @Test func aCommitChangedAfterSigningIsRefused() throws {
    let fixture = try Fixture()
    let signed = try fixture.signedCommit("Support prompt: be brief")
    let raw = try fixture.rawCommit(signed)
    #expect(raw.contains("gpgsig -----BEGIN SSH SIGNATURE-----"))
    let commit = try fixture.writeCommitObject(
      raw.replacingOccurrences(of: "Support prompt: be brief", with: "Support prompt: be rude"))
    let allowed = "alice@example.com \(fixture.alice.openSSH)\n"
    #expect(try fixture.gitVerifies(signed, allowedSigners: allowed))
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed)
        == .refused(
          "the signature of the key \(fixture.alice.fingerprint) does not verify: the commit was changed after "
            + "it was signed"))
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed)))
  }

  @Test func aSignatureMadeForAnotherNamespaceIsRefused() throws {
    let fixture = try Fixture()
    let raw = try fixture.rawCommit(try fixture.scratch.commit("unsigned"))
    let signed = try fixture.keys.keygen(
      ["-Y", "sign", "-n", "promptgate", "-f", fixture.alicePath], input: raw)
    #expect(signed.status == 0, "\(signed.stderr)")
    let armored = signed.stdout.trimmingCharacters(in: .newlines)
    let commit = try fixture.writeCommitObject(insertingSignature(armored, into: raw))
    let allowed = "alice@example.com \(fixture.alice.openSSH)\n"
    #expect(
      try fixture.verdict(commit, allowedSigners: allowed)
        == .refused(
          "the commit was signed in the namespace \"promptgate\", not \"git\"; sign commits with git commit -S"
        ))
    #expect(!(try fixture.gitVerifies(commit, allowedSigners: allowed)))
  }

  @Test func aGarbledSSHSignatureIsRefused() throws {
    let signer = CommitSigner(
      signers: AllowedSigners.parse("", file: "allowed_signers").0, revoked: RevokedKeys())
    let garbled = CommitSignature(
      signature: "-----BEGIN SSH SIGNATURE-----\nnot base64!\n-----END SSH SIGNATURE-----", signedData: [])
    guard case .refused(let reason) = signer.verdict(on: garbled, at: Date()) else {
      Issue.record("a garbled signature was not refused")
      return
    }
    #expect(reason.hasPrefix("the commit's SSH signature cannot be read: "))
    let other = CommitSignature(signature: "-----BEGIN SOMETHING-----\n", signedData: [])
    guard case .refused(let why) = signer.verdict(on: other, at: Date()) else {
      Issue.record("an unknown signature format was not refused")
      return
    }
    #expect(why.hasPrefix("the commit's signature is not an SSH signature"))
  }
}

/// `raw` (an unsigned commit object) with a `gpgsig` header holding `signature`, where git
/// writes it: after the committer, each further line indented by one space.
private func insertingSignature(_ signature: String, into raw: String) -> String {
  let header = "gpgsig " + signature.replacingOccurrences(of: "\n", with: "\n ") + "\n"
  guard let end = raw.range(of: "\n\n") else { return raw }
  return String(raw[..<end.lowerBound]) + "\n" + header + String(raw[raw.index(after: end.lowerBound)...])
}
