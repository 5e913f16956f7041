#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What every signed statement of promptgate shares (SPEC §4): one SSHSIG namespace,
/// `promptgate`, with the statement's `kind` inside, so a signature made for one kind of
/// statement can never pass as another, nor as a git commit or an ssh login.
public enum Statement {
  public static let namespace = "promptgate"

  /// The namespaces events recorded by earlier versions were signed in, by statement kind:
  /// they keep verifying, for the kind they were made for only.
  static let legacyNamespaces = [
    ApprovalStatement.kind: "promptgate-approval", OverrideStatement.kind: "promptgate-override",
  ]

  /// True when `namespace` is one a statement of `kind` may be signed in.
  public static func accepts(_ namespace: String, forKind kind: String) -> Bool {
    namespace == Self.namespace || legacyNamespaces[kind] == namespace
  }

  /// How far a signer's clock may run ahead of the ledger's: a statement signed later than the
  /// moment it is recorded plus this is refused.
  public static let clockSkew: TimeInterval = 300
}

/// Signs statements for a move or an approval: a key file read by promptgate, or ssh-keygen
/// (agent, passphrase, hardware). Core decides what is signed; the CLI knows where the key is.
public struct StatementSigner: Sendable {
  public let publicKey: SSHPublicKey
  /// The principal to sign as, when the key is listed for several (`--principal`).
  public let principal: String?
  private let signing: @Sendable ([UInt8]) throws(PromptgateError) -> SSHSignature

  public init(
    publicKey: SSHPublicKey, principal: String?,
    sign: @escaping @Sendable ([UInt8]) throws(PromptgateError) -> SSHSignature
  ) {
    self.publicKey = publicKey
    self.principal = principal
    self.signing = sign
  }

  /// Signs `bytes` in the ``Statement/namespace`` and checks the signature is this key's and
  /// verifies, so nothing is recorded that the audit would refuse.
  public func sign(_ bytes: [UInt8]) throws(PromptgateError) -> SSHSignature {
    let signature = try signing(bytes)
    guard signature.publicKey == publicKey, signature.verify(bytes, namespace: Statement.namespace) else {
      throw PromptgateError(
        .notSigned,
        "the signature does not verify with the key given (\(publicKey.fingerprint)); nothing was written")
    }
    return signature
  }
}
