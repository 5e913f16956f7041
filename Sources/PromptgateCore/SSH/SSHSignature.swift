import Crypto

/// A detached signature in OpenSSH's SSHSIG format (`PROTOCOL.sshsig`): what `ssh-keygen -Y sign`
/// writes and `ssh-keygen -Y verify` checks, so reviewers and auditors need nothing but OpenSSH.
///
/// The namespace is signed with the message, so an approval signature cannot be replayed as a
/// git commit signature or the reverse.
public struct SSHSignature: Sendable, Hashable {
  public enum HashAlgorithm: String, Sendable {
    case sha256, sha512

    func digest(_ message: [UInt8]) -> [UInt8] {
      switch self {
      case .sha256: Array(SHA256.hash(data: message))
      case .sha512: Array(SHA512.hash(data: message))
      }
    }
  }

  public let publicKey: SSHPublicKey
  public let namespace: String
  public let hashAlgorithm: HashAlgorithm
  /// The key's signature blob (`string algorithm, string signature`) over the signed data.
  public let signatureBlob: [UInt8]

  private static let magic = Array("SSHSIG".utf8)
  private static let version: UInt32 = 1
  private static let begin = "-----BEGIN SSH SIGNATURE-----"
  private static let end = "-----END SSH SIGNATURE-----"

  init(publicKey: SSHPublicKey, namespace: String, hashAlgorithm: HashAlgorithm, signatureBlob: [UInt8]) {
    self.publicKey = publicKey
    self.namespace = namespace
    self.hashAlgorithm = hashAlgorithm
    self.signatureBlob = signatureBlob
  }

  /// Parses the armored form; CRLF line ends, indentation and surrounding blank lines are fine.
  public init(armored: String) throws(SSHKeyError) {
    let lines = armored.split(whereSeparator: \.isNewline)
      .map { $0.trimmingWhitespace }
      .filter { !$0.isEmpty }
    guard lines.first == Self.begin else {
      throw SSHKeyError("the signature does not start with \(Self.begin); give the whole .sig file")
    }
    guard lines.count >= 2, lines.last == Self.end else {
      throw SSHKeyError("the signature does not end with \(Self.end); give the whole .sig file")
    }
    guard let blob = SSHBase64.decode(lines.dropFirst().dropLast().joined()) else {
      throw SSHKeyError("the signature is not valid base64; give the .sig file unchanged")
    }
    try self.init(blob: blob)
  }

  /// Parses the binary SSHSIG blob.
  init(blob: [UInt8]) throws(SSHKeyError) {
    var reader = SSHWireReader(blob, subject: "the signature")
    guard (try? reader.readBytes(Self.magic.count)) == Self.magic else {
      throw SSHKeyError("the signature is not an SSHSIG signature; sign with ssh-keygen -Y sign")
    }
    let version = try reader.readUInt32()
    guard version == Self.version else {
      throw SSHKeyError("the signature has SSHSIG version \(version); only version 1 is supported")
    }
    publicKey = try SSHPublicKey(blob: reader.readString())
    namespace = try reader.readText()
    // The reserved field is ignored, as OpenSSH ignores it; the signed data always has it empty.
    _ = try reader.readString()
    let hash = try reader.readText()
    guard let hashAlgorithm = HashAlgorithm(rawValue: hash) else {
      throw SSHKeyError(
        "the signature uses the hash \(SSHKeyError.quoted(hash)); only sha256 and sha512 are supported")
    }
    self.hashAlgorithm = hashAlgorithm
    signatureBlob = try reader.readString()
    try reader.expectEnd()
  }

  /// The SSHSIG blob, as it is armored.
  var blob: [UInt8] {
    var writer = SSHWireWriter()
    writer.write(raw: Self.magic)
    writer.write(uint32: Self.version)
    writer.write(string: publicKey.blob)
    writer.write(text: namespace)
    writer.write(string: [UInt8]())
    writer.write(text: hashAlgorithm.rawValue)
    writer.write(string: signatureBlob)
    return writer.bytes
  }

  /// Exactly `ssh-keygen`'s layout: the armor lines, base64 in 70-column lines, a final newline.
  public var armored: String {
    let encoded = Array(SSHBase64.encode(blob))
    let lines = stride(from: 0, to: encoded.count, by: 70).map {
      String(encoded[$0..<min($0 + 70, encoded.count)])
    }
    return ([Self.begin] + lines + [Self.end]).joined(separator: "\n") + "\n"
  }

  /// What the key actually signs: the magic, the namespace, the (empty) reserved field, the
  /// hash algorithm and the message's digest.
  static func signedData(_ message: [UInt8], namespace: String, hash: HashAlgorithm) -> [UInt8] {
    var writer = SSHWireWriter()
    writer.write(raw: magic)
    writer.write(text: namespace)
    writer.write(string: [UInt8]())
    writer.write(text: hash.rawValue)
    writer.write(string: hash.digest(message))
    return writer.bytes
  }

  /// Signs `message` in `namespace` with a key file's key; `ssh-keygen` signs with SHA-512 too.
  public static func sign(
    _ message: [UInt8], namespace: String, with key: SSHPrivateKey, hash: HashAlgorithm = .sha512
  ) throws(SSHKeyError) -> SSHSignature {
    guard !namespace.isEmpty, !namespace.utf8.contains(0) else {
      throw SSHKeyError("the signature namespace must be non-empty text")
    }
    let blob = try key.sign(signedData(message, namespace: namespace, hash: hash))
    return SSHSignature(
      publicKey: key.publicKey, namespace: namespace, hashAlgorithm: hash, signatureBlob: blob)
  }

  /// Whether this signs `message` in `namespace`: false on a namespace mismatch, a bad
  /// signature or an unsupported algorithm. Whom the key belongs to is ``AllowedSigners``' part.
  public func verify(_ message: [UInt8], namespace: String) -> Bool {
    guard namespace == self.namespace else { return false }
    let signed = Self.signedData(message, namespace: namespace, hash: hashAlgorithm)
    return publicKey.verify(signatureBlob: signatureBlob, data: signed)
  }
}
