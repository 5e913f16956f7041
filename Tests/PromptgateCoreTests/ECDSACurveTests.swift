import Crypto
import Foundation
import TestSupport
import Testing

@testable import PromptgateCore

/// The nistp384 and nistp521 keys people have (issue 15): listed, revoked and kept apart from
/// the other curves as nistp256 keys are. Signing and verifying them against `ssh-keygen` is in
/// ``SSHSignatureTests``, whose key types include them.
@Suite struct ECDSACurveTests {
  let message = #"{"checkpoint":"compliance-review","decision":"approve"}"#

  @Test(arguments: [384, 521])
  func readsKeysAndSignaturesOfTheCurve(bits: Int) throws {
    let folder = try SSHKeyFolder()
    let path = try folder.makeKey("id", type: "ecdsa-\(bits)")
    let type = "ecdsa-sha2-nistp\(bits)"
    let publicKey = try folder.publicKey("id")
    #expect(publicKey.algorithm.rawValue == type)
    #expect(publicKey.openSSH.hasPrefix("\(type) AAAA"))
    #expect(try SSHPrivateKey.load(path: path).publicKey == publicKey)
    let signed = try folder.keygen(["-Y", "sign", "-n", SSHKeyFolder.namespace, "-f", path], input: message)
    #expect(signed.status == 0, "\(signed.stderr)")
    var blob = SSHWireReader(try SSHSignature(armored: signed.stdout).signatureBlob, subject: "the test")
    #expect(try blob.readText() == type)
  }

  @Test func allowedSignersAndRevokedKeysListThem() throws {
    let folder = try SSHKeyFolder()
    let p384 = try SSHPrivateKey.load(path: folder.makeKey("p384", type: "ecdsa-384"))
    let p521 = try SSHPrivateKey.load(path: folder.makeKey("p521", type: "ecdsa-521"))
    let allowed = """
      alice@example.com \(p384.publicKey.openSSH) alice's laptop
      bob@example.com namespaces="promptgate-*" \(p521.publicKey.openSSH)

      """
    let (signers, diagnostics) = AllowedSigners.parse(allowed, file: ".promptgate/allowed_signers")
    #expect(diagnostics == [])
    #expect(signers.entries.map(\.key) == [p384.publicKey, p521.publicKey])
    let (revoked, problems) = RevokedKeys.parse(
      "# lost\n\(p521.publicKey.openSSH) bob's old laptop\n", file: ".promptgate/revoked_keys")
    #expect(problems == [])
    #expect(revoked.contains(p521.publicKey))
    #expect(!revoked.contains(p384.publicKey))

    try folder.write("revoked_keys", "\(p521.publicKey.openSSH)\n")
    for (key, principal) in [(p384, "alice@example.com"), (p521, "bob@example.com")] {
      let refusal = signers.refusal(
        principal: principal, key: key.publicKey, namespace: SSHKeyFolder.namespace, at: Date())
      #expect(refusal == nil)
      let signature = try SSHSignature.sign(Array(message.utf8), namespace: SSHKeyFolder.namespace, with: key)
      let accepted = try folder.openSSHVerifies(
        signature.armored, message: message, principal: principal, allowedSigners: allowed,
        extra: ["-r", "revoked_keys"])
      #expect(accepted == !revoked.contains(key.publicKey), "\(key.publicKey)")
    }
  }

  /// A signature of one curve never verifies with a key of another, even relabelled as that
  /// key's type: the numbers are read at the key's size and checked on the key's curve.
  @Test func signaturesDoNotCrossCurves() throws {
    let folder = try SSHKeyFolder()
    let keys = try ["ecdsa", "ecdsa-384", "ecdsa-521"].map {
      try SSHPrivateKey.load(path: folder.makeKey($0, type: $0))
    }
    for signer in keys {
      let signature = try SSHSignature.sign(
        Array(message.utf8), namespace: SSHKeyFolder.namespace, with: signer)
      var reader = SSHWireReader(signature.signatureBlob, subject: "the test")
      _ = try reader.readText()
      let numbers = try reader.readString()
      for other in keys where other.publicKey != signer.publicKey {
        var relabelled = SSHWireWriter()
        relabelled.write(text: other.publicKey.algorithm.rawValue)
        relabelled.write(string: numbers)
        for blob in [signature.signatureBlob, relabelled.bytes] {
          let forged = SSHSignature(
            publicKey: other.publicKey, namespace: SSHKeyFolder.namespace, hashAlgorithm: .sha512,
            signatureBlob: blob)
          #expect(!forged.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
        }
      }
    }
  }

  @Test func refusesKeysWhoseCurveOrPointIsWrong() throws {
    let point = Array(P384.Signing.PrivateKey().publicKey.x963Representation)
    func blob(_ type: String, _ curve: String, _ point: [UInt8]) -> [UInt8] {
      var writer = SSHWireWriter()
      writer.write(text: type)
      writer.write(text: curve)
      writer.write(string: point)
      return writer.bytes
    }
    #expect(try SSHPublicKey(blob: blob("ecdsa-sha2-nistp384", "nistp384", point)).algorithm == .ecdsaP384)
    var offCurve = point
    offCurve[offCurve.count - 1] ^= 1
    let cases: [([UInt8], String)] = [
      (
        blob("ecdsa-sha2-nistp521", "nistp384", point),
        "the public key names the curve nistp384, not the one of ecdsa-sha2-nistp521"
      ),
      (blob("ecdsa-sha2-nistp521", "nistp521", point), "the public key is not a valid nistp521 point"),
      (blob("ecdsa-sha2-nistp384", "nistp384", offCurve), "the public key is not a valid nistp384 point"),
      (blob("ecdsa-sha2-nistp384", "nistp384", point) + [0], "the public key has trailing data"),
    ]
    for (bytes, expected) in cases {
      #expect(throws: SSHKeyError(expected)) { try SSHPublicKey(blob: bytes) }
    }
    let p521 = blob(
      "ecdsa-sha2-nistp521", "nistp521", Array(P521.Signing.PrivateKey().publicKey.x963Representation))
    let mislabelled = #expect(throws: SSHKeyError.self) {
      try SSHPublicKey(openSSH: "ecdsa-sha2-nistp384 \(SSHBase64.encode(p521))")
    }
    #expect(
      mislabelled?.message.contains("says ecdsa-sha2-nistp384 but holds a ecdsa-sha2-nistp521 key") == true)
  }
}
