import Crypto
import Foundation
import TestSupport
import Testing

@testable import PromptgateCore

/// A temporary folder of keys made by `ssh-keygen`, the oracle these tests check against.
final class SSHKeyFolder: @unchecked Sendable {
  /// The namespace promptgate signs approvals in.
  static let namespace = "promptgate-approval"

  let path: String
  let sshKeygen: String

  init() throws {
    path = try makeTemporaryFolder(prefix: "promptgate-ssh")
    sshKeygen = which("ssh-keygen") ?? "/usr/bin/ssh-keygen"
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Runs ssh-keygen in the folder, away from any ssh-agent of the machine running the tests.
  @discardableResult
  func keygen(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
    try run(sshKeygen, arguments, in: path, environment: ["SSH_AUTH_SOCK": ""], input: input)
  }

  /// Makes a key pair; `type` is what `ssh-keygen -t` takes, or `ecdsa-384` / `ecdsa-521` for
  /// the larger curves (`ecdsa` alone is nistp256). Returns the private key's path.
  func makeKey(
    _ name: String, type: String, passphrase: String = "", comment: String = "alice@example.com"
  ) throws -> String {
    let (keygenType, bits) =
      switch type {
      case "ecdsa": ("ecdsa", ["-b", "256"])
      case "ecdsa-384": ("ecdsa", ["-b", "384"])
      case "ecdsa-521": ("ecdsa", ["-b", "521"])
      case "rsa": ("rsa", ["-b", "2048"])
      default: (type, [])
      }
    let result = try keygen(
      ["-q", "-t", keygenType] + bits + ["-N", passphrase, "-C", comment, "-f", name])
    #expect(result.status == 0, "ssh-keygen -t \(type): \(result.stderr)")
    return "\(path)/\(name)"
  }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try text.write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8)
    return "\(path)/\(name)"
  }

  func read(_ name: String) throws -> String {
    try String(contentsOfFile: name.hasPrefix("/") ? name : "\(path)/\(name)", encoding: .utf8)
  }

  func publicKey(_ name: String) throws -> SSHPublicKey {
    try SSHPublicKey(openSSH: read("\(name).pub"))
  }

  /// `ssh-keygen -Y verify` of `signature` over `message` for `principal`, as an auditor runs it.
  func openSSHVerifies(
    _ signature: String, message: String, principal: String = "alice@example.com",
    namespace: String = "promptgate-approval", allowedSigners: String, extra: [String] = []
  ) throws -> Bool {
    try write("allowed_signers", allowedSigners)
    try write("message.sig", signature)
    let result = try keygen(
      ["-Y", "verify", "-f", "allowed_signers", "-I", principal, "-n", namespace, "-s", "message.sig"]
        + extra,
      input: message)
    return result.status == 0
  }
}

@Suite struct SSHSignatureTests {
  static let keyTypes = ["ed25519", "ecdsa", "ecdsa-384", "ecdsa-521", "rsa"]
  let message = #"{"checkpoint":"compliance-review","decision":"approve"}"#

  @Test(arguments: keyTypes)
  func verifiesWhatSSHKeygenSigns(type: String) throws {
    let folder = try SSHKeyFolder()
    let key = try folder.makeKey("id", type: type)
    let signed = try folder.keygen(["-Y", "sign", "-n", SSHKeyFolder.namespace, "-f", key], input: message)
    #expect(signed.status == 0, "\(signed.stderr)")
    let signature = try SSHSignature(armored: signed.stdout)
    #expect(signature.publicKey == (try folder.publicKey("id")))
    #expect(signature.namespace == SSHKeyFolder.namespace)
    #expect(signature.hashAlgorithm == .sha512)
    #expect(signature.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
    #expect(!signature.verify(Array(message.utf8), namespace: "git"))
    #expect(!signature.verify(Array((message + " ").utf8), namespace: SSHKeyFolder.namespace))
    #expect(signature.armored == signed.stdout)
  }

  @Test(arguments: keyTypes)
  func verifiesSHA256SignaturesOfSSHKeygenAndFilesItSigned(type: String) throws {
    let folder = try SSHKeyFolder()
    let key = try folder.makeKey("id", type: type)
    try folder.write("statement.json", message)
    let signed = try folder.keygen([
      "-Y", "sign", "-n", SSHKeyFolder.namespace, "-Ohashalg=sha256", "-f", key, "statement.json",
    ])
    #expect(signed.status == 0, "\(signed.stderr)")
    let signature = try SSHSignature(armored: folder.read("statement.json.sig"))
    #expect(signature.hashAlgorithm == .sha256)
    #expect(signature.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
  }

  @Test(arguments: keyTypes)
  func signsWhatSSHKeygenVerifies(type: String) throws {
    let folder = try SSHKeyFolder()
    let key = try SSHPrivateKey.load(path: folder.makeKey("id", type: type))
    #expect(key.comment == "alice@example.com")
    #expect(key.publicKey == (try folder.publicKey("id")))
    let allowed = "alice@example.com \(key.publicKey.openSSH)\n"
    for hash in [SSHSignature.HashAlgorithm.sha512, .sha256] {
      let signature = try SSHSignature.sign(
        Array(message.utf8), namespace: SSHKeyFolder.namespace, with: key, hash: hash)
      #expect(signature.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
      #expect(try folder.openSSHVerifies(signature.armored, message: message, allowedSigners: allowed))
      #expect(
        !(try folder.openSSHVerifies(signature.armored, message: message + "x", allowedSigners: allowed)))
      #expect(
        !(try folder.openSSHVerifies(
          signature.armored, message: message, namespace: "git", allowedSigners: allowed)))
      let check = try folder.keygen(
        ["-Y", "check-novalidate", "-n", SSHKeyFolder.namespace, "-s", "message.sig"], input: message)
      #expect(check.status == 0, "\(check.stderr)")
      let reparsed = try SSHSignature(armored: signature.armored)
      #expect(reparsed == signature)
    }
  }

  /// ed25519 signatures are deterministic, so ours must be byte for byte what ssh-keygen writes.
  @Test func armorsExactlyAsSSHKeygenDoes() throws {
    let folder = try SSHKeyFolder()
    let path = try folder.makeKey("id", type: "ed25519")
    let long = String(repeating: "a long statement ", count: 50)
    let theirs = try folder.keygen(["-Y", "sign", "-n", SSHKeyFolder.namespace, "-f", path], input: long)
      .stdout
    let ours = try SSHSignature.sign(
      Array(long.utf8), namespace: SSHKeyFolder.namespace, with: .load(path: path))
    #expect(ours.armored == theirs)
    #expect(ours.armored.split(separator: "\n").dropFirst().dropLast().allSatisfy { $0.count <= 70 })
  }

  @Test func toleratesCRLFAndSurroundingWhitespace() throws {
    let folder = try SSHKeyFolder()
    let key = try SSHPrivateKey.load(path: folder.makeKey("id", type: "ed25519"))
    let signature = try SSHSignature.sign(Array(message.utf8), namespace: SSHKeyFolder.namespace, with: key)
    let mangled =
      "\n  \r\n" + signature.armored.split(separator: "\n").map { "  \($0)\r\n" }.joined() + "\n\t\n"
    #expect(try SSHSignature(armored: mangled) == signature)
  }

  @Test(arguments: keyTypes)
  func fingerprintIsWhatSSHKeygenPrints(type: String) throws {
    let folder = try SSHKeyFolder()
    _ = try folder.makeKey("id", type: type)
    let listed = try folder.keygen(["-lf", "id.pub"]).stdout.split(separator: " ")
    #expect(listed.count > 1)
    #expect(try folder.publicKey("id").fingerprint == String(listed[1]))
  }

  @Test func encryptedKeysAreLeftToSSHKeygen() throws {
    let folder = try SSHKeyFolder()
    let path = try folder.makeKey("id", type: "ed25519", passphrase: "secret")
    #expect(throws: SSHKeyError("the key \(path) is encrypted; sign with --signer ssh-keygen")) {
      try SSHPrivateKey.load(path: path)
    }
  }

  @Test func namesOtherFilesGivenAsPrivateKeys() throws {
    let folder = try SSHKeyFolder()
    let path = try folder.makeKey("id", type: "ecdsa")
    let pem = try folder.keygen(["-q", "-t", "ecdsa", "-b", "256", "-m", "PEM", "-N", "", "-f", "pem"])
    #expect(pem.status == 0)
    let cases: [(String, String)] = [
      ("\(path).pub", "is a public key"), ("\(folder.path)/pem", "is a PEM private key"),
      ("\(folder.path)/missing", "no such file"), (folder.path, "is a folder"),
    ]
    for (file, expected) in cases {
      let error = #expect(throws: SSHKeyError.self) { try SSHPrivateKey.load(path: file) }
      #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
      #expect(error?.message.contains(file) == true)
    }
  }

  @Test(arguments: ["ed25519", "ecdsa", "ecdsa-384", "ecdsa-521"])
  func signsThroughSSHKeygen(type: String) throws {
    let folder = try SSHKeyFolder()
    let path = try folder.makeKey("id", type: type)
    let signature = try SSHKeygenSigner.sign(
      Array(message.utf8), namespace: SSHKeyFolder.namespace, keyPath: path)
    #expect(signature.publicKey == (try folder.publicKey("id")))
    #expect(signature.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
    let error = #expect(throws: SSHKeyError.self) {
      try SSHKeygenSigner.sign(
        [1, 2, 3], namespace: SSHKeyFolder.namespace, keyPath: "\(folder.path)/missing")
    }
    #expect(error?.message.contains("could not sign with \(folder.path)/missing") == true)
    // What ssh-keygen said is kept for the error, on one line, without its every-run notice.
    #expect(error?.message.contains("No such file or directory") == true, "\(error?.message ?? "")")
    #expect(error?.message.contains("Signing data on standard input") == false)
    #expect(error?.message.contains("\n") == false)
  }

  @Test func oneKeyInTwoSpellingsIsOneKey() throws {
    let folder = try SSHKeyFolder()
    _ = try folder.makeKey("id", type: "ed25519")
    _ = try folder.makeKey("other", type: "ed25519")
    let line = try folder.read("id.pub").trimmingCharacters(in: .whitespacesAndNewlines)
    let fields = line.split(separator: " ")
    let bare = try SSHPublicKey(openSSH: "\(fields[0]) \(fields[1])")
    let spaced = try SSHPublicKey(openSSH: "\t\(fields[0])  \t\(fields[1])   a different comment\r\n")
    #expect(bare == (try SSHPublicKey(openSSH: line)))
    #expect(spaced == bare)
    #expect(Set([bare, spaced, try SSHPublicKey(openSSH: line)]).count == 1)
    #expect(bare != (try folder.publicKey("other")))
    #expect(bare.openSSH == "\(fields[0]) \(fields[1])")
    #expect(try SSHPublicKey(blob: bare.blob) == bare)
  }

  /// OpenSSH accepts redundant zero bytes in an RSA number; the canonical blob drops them.
  @Test func rsaKeysWithPaddedNumbersAreTheSameKey() throws {
    let folder = try SSHKeyFolder()
    _ = try folder.makeKey("id", type: "rsa")
    let key = try folder.publicKey("id")
    guard case .rsa(let exponent, let modulus) = key.material else {
      Issue.record("not an RSA key")
      return
    }
    var padded = SSHWireWriter()
    padded.write(text: "ssh-rsa")
    padded.write(string: [0, 0] + exponent)
    padded.write(string: [0, 0] + modulus)
    let respelled = try SSHPublicKey(blob: padded.bytes)
    #expect(respelled == key)
    #expect(respelled.blob == key.blob)
    #expect(respelled.fingerprint == key.fingerprint)
  }

  @Test func refusesKeysItCannotUse() throws {
    let folder = try SSHKeyFolder()
    _ = try folder.makeKey("id", type: "ed25519")
    let fields = try folder.read("id.pub").split(separator: " ")
    let cases: [(String, String)] = [
      ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "not valid base64"),
      ("ssh-rsa \(fields[1])", "says ssh-rsa but holds a ssh-ed25519 key"),
      ("ssh-ed25519 \(fields[1].dropLast(1))", "not valid base64"),
      ("ssh-ed25519 \(fields[1].dropLast(4))", "the public key is truncated or malformed"),
      ("ssh-ed25519", "is not an OpenSSH public key"),
      ("hello \(fields[1])", "is not an SSH key type"),
    ]
    for (text, expected) in cases {
      let error = #expect(throws: SSHKeyError.self) { try SSHPublicKey(openSSH: text) }
      #expect(error?.message.contains(expected) == true, "\(text): \(error?.message ?? "")")
    }
    var dss = SSHWireWriter()
    dss.write(text: "ssh-dss")
    dss.write(mpint: [1, 2, 3])
    #expect(throws: SSHKeyError("unsupported key type ssh-dss; use an ed25519 or ecdsa-sha2-nistp256 key")) {
      try SSHPublicKey(openSSH: "ssh-dss \(SSHBase64.encode(dss.bytes))")
    }
  }

  /// Every truncation and many corruptions of real blobs throw or fail to verify; none crashes.
  @Test func survivesHostileBlobs() throws {
    let folder = try SSHKeyFolder()
    for type in Self.keyTypes {
      let path = try folder.makeKey("id-\(type)", type: type)
      let key = try SSHPrivateKey.load(path: path)
      let signature = try SSHSignature.sign(Array(message.utf8), namespace: SSHKeyFolder.namespace, with: key)
      let blob = signature.blob
      for length in 0..<blob.count {
        #expect(throws: SSHKeyError.self) { try SSHSignature(blob: Array(blob.prefix(length))) }
      }
      #expect(throws: SSHKeyError.self) { try SSHSignature(blob: blob + [0]) }
      for index in stride(from: 0, to: blob.count, by: 3) {
        var corrupted = blob
        corrupted[index] ^= 0x41
        if let parsed = try? SSHSignature(blob: corrupted), parsed.publicKey == key.publicKey,
          parsed.namespace == SSHKeyFolder.namespace
        {
          #expect(!parsed.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
        }
      }
      let privateText = try folder.read(path)
      let lines = privateText.split(separator: "\n")
      let body = SSHBase64.decode(lines.dropFirst().dropLast().joined()) ?? []
      for length in stride(from: 0, to: body.count, by: 7) {
        let armored = "\(lines[0])\n\(SSHBase64.encode(body.prefix(length)))\n\(lines.last ?? "")\n"
        #expect(throws: SSHKeyError.self) { try SSHPrivateKey(openSSH: armored) }
      }
    }
    var huge = SSHWireWriter()
    huge.write(raw: Array("SSHSIG".utf8))
    huge.write(uint32: 1)
    huge.write(uint32: .max)
    #expect(throws: SSHKeyError.self) { try SSHSignature(blob: huge.bytes) }
    let armoredHuge =
      "-----BEGIN SSH SIGNATURE-----\n\(SSHBase64.encode(huge.bytes))\n-----END SSH SIGNATURE-----\n"
    #expect(throws: SSHKeyError.self) { try SSHSignature(armored: armoredHuge) }
    #expect(throws: SSHKeyError.self) {
      try SSHSignature(armored: "-----BEGIN SSH SIGNATURE-----\n!!!!\n-----END SSH SIGNATURE-----")
    }
    #expect(throws: SSHKeyError.self) { try SSHSignature(armored: "") }
    let key = try SSHPrivateKey.load(path: folder.path + "/id-ed25519").publicKey
    #expect(!key.verify(signatureBlob: [], data: []))
    #expect(
      !key.verify(
        signatureBlob: [0, 0, 0, 11] + Array("ssh-ed25519".utf8) + [0xff, 0xff, 0xff, 0xff], data: []))
  }

  @Test func mpintsKeepTheirSignAndDropRedundantZeros() throws {
    var writer = SSHWireWriter()
    writer.write(mpint: [0x00, 0x00, 0x80, 0x01])
    writer.write(mpint: [0x00, 0x7f])
    writer.write(mpint: [0x00])
    #expect(writer.bytes == [0, 0, 0, 3, 0, 0x80, 0x01, 0, 0, 0, 1, 0x7f, 0, 0, 0, 0])
    var reader = SSHWireReader(writer.bytes, subject: "the test")
    #expect(try reader.readMPInt() == [0x80, 0x01])
    #expect(try reader.readMPInt() == [0x7f])
    #expect(try reader.readMPInt() == [])
    var negative = SSHWireReader([0, 0, 0, 1, 0x80], subject: "the test")
    #expect(throws: SSHKeyError.self) { try negative.readMPInt() }
  }

  @Test func base64IsStrict() {
    #expect(SSHBase64.decode("aGVsbG8=") == Array("hello".utf8))
    #expect(SSHBase64.encode(Array("hello".utf8)) == "aGVsbG8=")
    for bad in ["aGVsbG8", "aGVsbG9=", "aGVs bG8=", "aGVsbG8==", "a===", "aG=sbG8="] {
      #expect(SSHBase64.decode(bad) == nil, "\(bad)")
    }
  }

  /// FIDO keys sign only in hardware; a signature built the way an authenticator builds it
  /// must verify both here and in ssh-keygen.
  @Test(arguments: ["ed25519", "ecdsa"])
  func verifiesHardwareKeySignaturesAsSSHKeygenDoes(type: String) throws {
    let folder = try SSHKeyFolder()
    let application = "ssh:"
    let signed = SSHSignature.signedData(
      Array(message.utf8), namespace: SSHKeyFolder.namespace, hash: .sha512)
    var authenticatorData = SSHWireWriter()
    authenticatorData.write(raw: SHA256.hash(data: Array(application.utf8)))
    authenticatorData.write(byte: 0x01)
    authenticatorData.write(uint32: 42)
    authenticatorData.write(raw: SHA256.hash(data: signed))
    var keyBlob = SSHWireWriter()
    var signatureBlob = SSHWireWriter()
    if type == "ed25519" {
      let secret = Curve25519.Signing.PrivateKey()
      keyBlob.write(text: "sk-ssh-ed25519@openssh.com")
      keyBlob.write(string: secret.publicKey.rawRepresentation)
      signatureBlob.write(text: "sk-ssh-ed25519@openssh.com")
      signatureBlob.write(string: try secret.signature(for: authenticatorData.bytes))
    } else {
      let secret = P256.Signing.PrivateKey()
      keyBlob.write(text: "sk-ecdsa-sha2-nistp256@openssh.com")
      keyBlob.write(text: "nistp256")
      keyBlob.write(string: secret.publicKey.x963Representation)
      let raw = Array(try secret.signature(for: authenticatorData.bytes).rawRepresentation)
      var inner = SSHWireWriter()
      inner.write(mpint: raw.prefix(32))
      inner.write(mpint: raw.suffix(32))
      signatureBlob.write(text: "sk-ecdsa-sha2-nistp256@openssh.com")
      signatureBlob.write(string: inner.bytes)
    }
    keyBlob.write(text: application)
    signatureBlob.write(byte: 0x01)
    signatureBlob.write(uint32: 42)
    let key = try SSHPublicKey(blob: keyBlob.bytes)
    let signature = SSHSignature(
      publicKey: key, namespace: SSHKeyFolder.namespace, hashAlgorithm: .sha512,
      signatureBlob: signatureBlob.bytes
    )
    #expect(signature.verify(Array(message.utf8), namespace: SSHKeyFolder.namespace))
    #expect(!signature.verify(Array((message + "!").utf8), namespace: SSHKeyFolder.namespace))
    let allowed = "alice@example.com \(key.openSSH)\n"
    #expect(try folder.openSSHVerifies(signature.armored, message: message, allowedSigners: allowed))
    #expect(try SSHPublicKey(openSSH: key.openSSH) == key)
  }
}
