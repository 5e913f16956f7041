import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Whose SSH key signed a commit, judged by the trusted `allowed_signers` and `revoked_keys`, as
/// `git verify-commit` judges it with `gpg.format=ssh` and `gpg.ssh.allowedSignersFile`.
///
/// The building block of `governance.signed_commits` (SPEC §4): a commit counts as signed only
/// when it carries an armored SSH signature in the namespace `git` that verifies over the commit,
/// made by a key the trusted files list for that namespace at the given time and do not revoke.
/// Its signer is then every principal listed by name for that key.
public struct CommitSigner: Sendable {
  /// What a commit's signature proves.
  public enum Verdict: Sendable, Hashable {
    /// Signed by the key with this fingerprint (`SHA256:...`), which `allowed_signers` lists
    /// for these principals (sorted, each allowed to sign commits at the time).
    case signed(principals: [String], fingerprint: String)
    /// The commit carries no signature at all.
    case unsigned
    /// The commit carries a signature that proves nothing; says why in one line.
    case refused(String)
  }

  /// The namespace git signs commits in (`ssh-keygen -Y sign -n git`).
  public static let namespace = "git"

  public let signers: AllowedSigners
  public let revoked: RevokedKeys

  public init(signers: AllowedSigners, revoked: RevokedKeys) {
    self.signers = signers
    self.revoked = revoked
  }

  /// Judges with the keys a trusted commit lists (the base's, as for approvals).
  public init(trusting trusted: TrustedSigners) {
    self.init(signers: trusted.signers, revoked: trusted.revoked)
  }

  /// Judges `signature` (nil for an unsigned commit) at `time`, the moment `valid-after` and
  /// `valid-before` are checked against; git checks them at the commit's committer time.
  public func verdict(on signature: CommitSignature?, at time: Date) -> Verdict {
    guard let signature else { return .unsigned }
    if let refusal = Self.formatRefusal(signature.signature) { return .refused(refusal) }
    let sshSignature: SSHSignature
    do {
      sshSignature = try SSHSignature(armored: signature.signature)
    } catch {
      return .refused("the commit's SSH signature cannot be read: \(error.message)")
    }
    let key = sshSignature.publicKey
    guard sshSignature.namespace == Self.namespace else {
      return .refused(
        "the commit was signed in the namespace \"\(SSHKeyError.quoted(sshSignature.namespace))\", "
          + "not \"\(Self.namespace)\"; sign commits with git commit -S")
    }
    guard sshSignature.verify(signature.signedData, namespace: Self.namespace) else {
      return .refused(
        "the signature of the key \(key.fingerprint) does not verify: the commit was changed after it "
          + "was signed")
    }
    if revoked.contains(key) {
      return .refused("the key \(key.fingerprint) is revoked in \(TrustedSigners.revokedKeysPath)")
    }
    let listed = signers.principals(listing: key).sorted()
    guard !listed.isEmpty else {
      guard signers.entries.contains(where: { $0.key == key }) else {
        return .refused("the key \(key.fingerprint) is not listed in \(signers.file)")
      }
      return .refused(
        "the key \(key.fingerprint) is listed in \(signers.file) only under a pattern, which names no "
          + "principal; list the principal by name")
    }
    var principals: [String] = []
    var firstRefusal: String?
    for principal in listed {
      if let refusal = signers.refusal(principal: principal, key: key, namespace: Self.namespace, at: time) {
        firstRefusal = firstRefusal ?? refusal
      } else {
        principals.append(principal)
      }
    }
    if principals.isEmpty, let firstRefusal {
      return .refused("\(firstRefusal) (\(signers.file))")
    }
    return .signed(principals: principals, fingerprint: key.fingerprint)
  }

  /// Why `signature` is not an armored SSH signature, naming the kinds `gpg.format` openpgp
  /// and x509 make as git tells them apart, by their first line; nil when it is one.
  private static func formatRefusal(_ signature: String) -> String? {
    let firstLine = signature.split(whereSeparator: \.isNewline)
      .map { $0.trimmingWhitespace }
      .first { !$0.isEmpty }
    let kind: String
    switch firstLine {
    case "-----BEGIN SSH SIGNATURE-----": return nil
    case "-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE-----": kind = "an OpenPGP (gpg) key"
    case "-----BEGIN SIGNED MESSAGE-----": kind = "an X.509 (gpgsm) certificate"
    default:
      return "the commit's signature is not an SSH signature (it does not start with "
        + "-----BEGIN SSH SIGNATURE-----); sign commits with git -c gpg.format=ssh commit -S"
    }
    return "the commit is signed with \(kind), not an SSH key; promptgate verifies SSH commit signatures "
      + "only (git config gpg.format ssh)"
  }
}
