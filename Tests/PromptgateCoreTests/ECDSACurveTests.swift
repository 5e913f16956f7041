import Crypto
import Foundation
import TestSupport
import Testing

@testable import PromptgateCore

/// The nistp384 and nistp521 keys people have (issue 15), read and verified as nistp256 keys are.
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
    let listed = try folder.keygen(["-lf", "id.pub"]).stdout.split(separator: " ")
    #expect(listed.count > 1 && publicKey.fingerprint == String(listed[1]))
    let signed = try folder.keygen(["-Y", "sign", "-n", SSHKeyFolder.namespace, "-f", path], input: message)
    #expect(signed.status == 0, "\(signed.stderr)")
    let signature = try SSHSignature(armored: signed.stdout)
    var blob = SSHWireReader(signature.signatureBlob, subject: "the test")
    #expect(try blob.readText() == type)
    #expect(signature.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
    #expect(!signature.verify(Array(message.utf8), namespace: "git"))
    #expect(!signature.verify(Array((message + " ").utf8), namespace: SSHKeyFolder.namespace))
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
