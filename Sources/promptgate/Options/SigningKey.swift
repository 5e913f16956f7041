import ArgumentParser
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The key `approve` and `release --override` sign with: a key file read by promptgate, or
/// ssh-keygen doing the signing (agent, passphrase, hardware keys).
struct SigningKey: Sendable {
  enum Signer: String, ExpressibleByArgument, CaseIterable, Sendable {
    case file
    case sshKeygen = "ssh-keygen"
  }

  let publicKey: SSHPublicKey
  private let privateKey: SSHPrivateKey?
  private let path: String

  init(path: String, signer: Signer) throws {
    self.path = path
    switch signer {
    case .file:
      do {
        let key = try SSHPrivateKey.load(path: path)
        privateKey = key
        publicKey = key.publicKey
      } catch {
        throw PromptgateError.input(error.message)
      }
    case .sshKeygen:
      let publicPath = path.hasSuffix(".pub") ? path : path + ".pub"
      guard let text = try? String(contentsOfFile: publicPath, encoding: .utf8) else {
        throw PromptgateError.input(
          "cannot read the public key \(publicPath); ssh-keygen signing needs it beside the key")
      }
      do {
        publicKey = try SSHPublicKey(openSSH: text)
      } catch {
        throw PromptgateError.input("\(publicPath): \(error.message)")
      }
      privateKey = nil
    }
  }

  func sign(_ message: [UInt8], namespace: String) throws(PromptgateError) -> SSHSignature {
    do {
      if let privateKey {
        return try SSHSignature.sign(message, namespace: namespace, with: privateKey)
      }
      return try SSHKeygenSigner.sign(
        message, namespace: namespace, keyPath: path,
        prompt: { Output.note($0) })
    } catch {
      throw PromptgateError.input(error.message)
    }
  }
}
