import ArgumentParser
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The key a signed command signs with (SPEC §3, §4): `approve`, `release`, `rollback` and
/// `mark-bad` all take the same three options.
struct SigningOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The SSH key that signs (its .pub with --signer ssh-keygen); default: $PROMPTGATE_KEY. CI keeps the "
        + "release-bot key as a secret.",
      valueName: "file"))
  var key: String?

  @Option(
    help: "How to sign: file (read the key) or ssh-keygen (ssh-keygen -Y sign: agent, passphrase, hardware).")
  var signer: SigningKey.Signer = .file

  @Option(help: "The principal to sign as, when your key is listed for several.")
  var principal: String?

  /// The key file: --key, else `PROMPTGATE_KEY` (a CI job sets it once, from a secret file).
  var keyPath: String? {
    key ?? ProcessInfo.processInfo.environment["PROMPTGATE_KEY"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The signer, or nil when no key was given.
  func statementSigner() throws -> StatementSigner? {
    guard let key = keyPath else { return nil }
    let signing = try SigningKey(path: key, signer: signer)
    return StatementSigner(publicKey: signing.publicKey, principal: principal) {
      bytes throws(PromptgateError) in
      try signing.sign(bytes, namespace: Statement.namespace)
    }
  }

  /// The signer, or a one-line error naming what `move` needs.
  func requiredSigner(for move: String) throws -> StatementSigner {
    guard let signer = try statementSigner() else {
      throw ValidationError(
        "\(move) is signed: give --key <file> (or set PROMPTGATE_KEY) of a principal holding a role the runbook "
          + "allows for it; --signer ssh-keygen signs with ssh-agent")
    }
    return signer
  }
}
