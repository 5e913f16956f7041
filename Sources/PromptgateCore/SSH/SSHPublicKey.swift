import Crypto
import _CryptoExtras

/// A public SSH key, compared and hashed by its canonical wire encoding, so one key read from
/// `allowed_signers`, a signature and a `.pub` file is one value however each spelled it.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
  /// The key types promptgate verifies. The `sk-` types are FIDO hardware keys (`ed25519-sk`,
  /// `ecdsa-sk`), which sign only through `ssh-keygen` but verify here like any other key.
  public enum Algorithm: String, Sendable {
    case ed25519 = "ssh-ed25519"
    case ecdsaP256 = "ecdsa-sha2-nistp256"
    case ecdsaP384 = "ecdsa-sha2-nistp384"
    case ecdsaP521 = "ecdsa-sha2-nistp521"
    case rsa = "ssh-rsa"
    case skEd25519 = "sk-ssh-ed25519@openssh.com"
    case skEcdsaP256 = "sk-ecdsa-sha2-nistp256@openssh.com"

    /// The curve of an ECDSA key type; nil for the others.
    var curve: Curve? {
      switch self {
      case .ecdsaP256, .skEcdsaP256: .p256
      case .ecdsaP384: .p384
      case .ecdsaP521: .p521
      case .ed25519, .rsa, .skEd25519: nil
      }
    }
  }

  /// The numbers of the key, as read from its blob.
  enum Material: Sendable {
    case ed25519([UInt8])
    case ecdsa(Curve, point: [UInt8])
    case rsa(exponent: [UInt8], modulus: [UInt8])
    case skEd25519([UInt8], application: String)
    case skEcdsaP256(point: [UInt8], application: String)
  }

  public let algorithm: Algorithm
  /// The canonical SSH wire encoding of the key.
  public let blob: [UInt8]
  let material: Material

  /// Key types OpenSSH knows that promptgate does not use; named so users hear "unsupported"
  /// rather than "not a key".
  static let knownUnsupportedTypes: Set<String> = [
    "ssh-dss", "ssh-xmss@openssh.com", "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
    "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
    "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
    "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-xmss-cert-v01@openssh.com",
  ]

  /// Whether `name` is a key type OpenSSH would accept at the start of a key, supported or not.
  static func isKeyTypeName(_ name: some StringProtocol) -> Bool {
    Algorithm(rawValue: String(name)) != nil || knownUnsupportedTypes.contains(String(name))
  }

  /// Parses one line of a `.pub` file: `ssh-ed25519 AAAA... comment`, the comment optional.
  public init(openSSH text: String) throws(SSHKeyError) {
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline })
    guard fields.count >= 2 else {
      throw SSHKeyError(
        "\"\(SSHKeyError.quoted(text))\" is not an OpenSSH public key; expected a line like \"ssh-ed25519 AAAA... comment\""
      )
    }
    let type = String(fields[0])
    guard Self.isKeyTypeName(type) else {
      throw SSHKeyError(
        "\"\(SSHKeyError.quoted(type))\" is not an SSH key type; expected a line like \"ssh-ed25519 AAAA... comment\""
      )
    }
    guard let blob = SSHBase64.decode(fields[1]) else {
      throw SSHKeyError(
        "the \(SSHKeyError.quoted(type)) key is not valid base64; copy the whole line from the .pub file")
    }
    try self.init(blob: blob)
    guard algorithm.rawValue == type else {
      throw SSHKeyError(
        "the key says \(SSHKeyError.quoted(type)) but holds a \(algorithm.rawValue) key; copy the whole line from the .pub file"
      )
    }
  }

  /// Parses the SSH wire encoding of a key and keeps its canonical re-encoding.
  public init(blob: [UInt8]) throws(SSHKeyError) {
    var reader = SSHWireReader(blob, subject: "the public key")
    let type = try reader.readText()
    guard let algorithm = Algorithm(rawValue: type) else {
      throw SSHKeyError(
        "unsupported key type \(SSHKeyError.quoted(type)); use an ed25519 or ecdsa-sha2-nistp256 key")
    }
    var writer = SSHWireWriter()
    writer.write(text: type)
    switch algorithm {
    case .ed25519, .skEd25519:
      let key = try reader.readString()
      guard key.count == 32 else { throw reader.malformed("is not a 32-byte ed25519 key") }
      writer.write(string: key)
      if algorithm == .ed25519 {
        material = .ed25519(key)
      } else {
        let application = try reader.readText()
        writer.write(text: application)
        material = .skEd25519(key, application: application)
      }
    case .ecdsaP256, .ecdsaP384, .ecdsaP521, .skEcdsaP256:
      // The blob names the curve again (RFC 5656 §3.1), and it must be the type's.
      let named = try reader.readText()
      guard let curve = algorithm.curve, named == curve.rawValue else {
        throw reader.malformed("names the curve \(SSHKeyError.quoted(named)), not the one of \(type)")
      }
      let point = try reader.readString()
      guard curve.isValid(point: point) else { throw reader.malformed("is not a valid \(named) point") }
      writer.write(text: named)
      writer.write(string: point)
      if algorithm == .skEcdsaP256 {
        let application = try reader.readText()
        writer.write(text: application)
        material = .skEcdsaP256(point: point, application: application)
      } else {
        material = .ecdsa(curve, point: point)
      }
    case .rsa:
      let exponent = try reader.readMPInt()
      let modulus = try reader.readMPInt()
      // OpenSSH's bounds: at least 1024 bits, at most 16384; an odd exponent that fits 32 bits.
      let bits = modulus.count * 8 - (modulus.first.map { $0.leadingZeroBitCount } ?? 8)
      guard (1024...16384).contains(bits) else {
        throw reader.malformed("is an RSA key of \(bits) bits; RSA keys need 1024 to 16384")
      }
      guard (1...4).contains(exponent.count), (exponent.last ?? 0) & 1 == 1, exponent != [1] else {
        throw reader.malformed("has an invalid RSA exponent")
      }
      writer.write(mpint: exponent)
      writer.write(mpint: modulus)
      material = .rsa(exponent: exponent, modulus: modulus)
    }
    try reader.expectEnd()
    self.algorithm = algorithm
    self.blob = writer.bytes
  }

  /// `ssh-ed25519 AAAA...`, without a comment.
  public var openSSH: String { "\(algorithm.rawValue) \(SSHBase64.encode(blob))" }

  /// `SHA256:` and the unpadded base64 of the blob's digest, as `ssh-keygen -lf` prints it.
  public var fingerprint: String {
    let encoded = SSHBase64.encode(SHA256.hash(data: blob))
    return "SHA256:" + encoded.prefix { $0 != "=" }
  }

  /// The type and fingerprint, which is how people recognise a key in messages.
  public var description: String { "\(algorithm.rawValue) \(fingerprint)" }

  public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.blob == rhs.blob }

  public func hash(into hasher: inout Hasher) { hasher.combine(blob) }
}

extension SSHPublicKey {
  /// Verifies an SSH signature blob (`string algorithm, string signature`, plus the flags and
  /// counter of a hardware key) over `data`. False for anything malformed, for a signature of
  /// another key type, and for RSA signatures other than `rsa-sha2-256` / `rsa-sha2-512`.
  public func verify(signatureBlob: [UInt8], data: [UInt8]) -> Bool {
    (try? check(signatureBlob: signatureBlob, data: data)) ?? false
  }

  private func check(signatureBlob: [UInt8], data: [UInt8]) throws(SSHKeyError) -> Bool {
    var reader = SSHWireReader(signatureBlob, subject: "the signature")
    let type = try reader.readText()
    switch material {
    case .ed25519(let key):
      guard type == Algorithm.ed25519.rawValue else { return false }
      let signature = try reader.readString()
      try reader.expectEnd()
      return Self.verifyEd25519(key: key, signature: signature, data: data)
    case .ecdsa(let curve, let point):
      guard type == algorithm.rawValue else { return false }
      let signature = try Self.readECDSASignature(&reader, curve: curve)
      try reader.expectEnd()
      return curve.verify(point: point, signature: signature, data: data)
    case .rsa(let exponent, let modulus):
      let signature = try reader.readString()
      try reader.expectEnd()
      return Self.verifyRSA(
        exponent: exponent, modulus: modulus, type: type, signature: signature, data: data)
    case .skEd25519(let key, let application):
      guard type == Algorithm.skEd25519.rawValue else { return false }
      let signature = try reader.readString()
      let signed = try Self.readHardwareSignedData(&reader, application: application, data: data)
      return Self.verifyEd25519(key: key, signature: signature, data: signed)
    case .skEcdsaP256(let point, let application):
      guard type == Algorithm.skEcdsaP256.rawValue else { return false }
      let signature = try Self.readECDSASignature(&reader, curve: .p256)
      let signed = try Self.readHardwareSignedData(&reader, application: application, data: data)
      return Curve.p256.verify(point: point, signature: signature, data: signed)
    }
  }

  private static func verifyEd25519(key: [UInt8], signature: [UInt8], data: [UInt8]) -> Bool {
    guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else {
      return false
    }
    return key.isValidSignature(signature, for: data)
  }

  /// `string (mpint r, mpint s)`, as the `r || s` of two `curve.size` numbers CryptoKit takes.
  private static func readECDSASignature(
    _ reader: inout SSHWireReader, curve: Curve
  ) throws(SSHKeyError) -> [UInt8] {
    var inner = SSHWireReader(try reader.readString(), subject: reader.subject)
    let r = try inner.readMPInt()
    let s = try inner.readMPInt()
    try inner.expectEnd()
    let size = curve.size
    guard r.count <= size, s.count <= size else { throw inner.malformed("has an oversized ECDSA number") }
    return [UInt8](repeating: 0, count: size - r.count) + r + [UInt8](repeating: 0, count: size - s.count) + s
  }

  /// PKCS #1 v1.5 with SHA-256 or SHA-512; the SHA-1 `ssh-rsa` signature is refused, as
  /// OpenSSH refuses it for SSHSIG. Short signatures are left-padded, as OpenSSH does.
  private static func verifyRSA(
    exponent: [UInt8], modulus: [UInt8], type: String, signature: [UInt8], data: [UInt8]
  ) -> Bool {
    guard signature.count <= modulus.count,
      let key = try? _RSA.Signing.PublicKey(n: modulus, e: exponent)
    else { return false }
    let padded = _RSA.Signing.RSASignature(
      rawRepresentation: [UInt8](repeating: 0, count: modulus.count - signature.count) + signature)
    switch type {
    case "rsa-sha2-256":
      return key.isValidSignature(padded, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
    case "rsa-sha2-512":
      return key.isValidSignature(padded, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
    default:
      return false
    }
  }

  /// What a FIDO authenticator signs: SHA-256 of the application, the flags byte, the
  /// counter, and SHA-256 of the data (OpenSSH `PROTOCOL.u2f`).
  private static func readHardwareSignedData(
    _ reader: inout SSHWireReader, application: String, data: [UInt8]
  ) throws(SSHKeyError) -> [UInt8] {
    let flags = try reader.readByte()
    let counter = try reader.readUInt32()
    try reader.expectEnd()
    var signed = SSHWireWriter()
    signed.write(raw: SHA256.hash(data: Array(application.utf8)))
    signed.write(byte: flags)
    signed.write(uint32: counter)
    signed.write(raw: SHA256.hash(data: data))
    return signed.bytes
  }
}

extension SSHPublicKey {
  /// The NIST curves of `ecdsa-sha2-*` keys (RFC 5656), named as the key blob names them. Each
  /// signs with its own hash: SHA-256, SHA-384 and SHA-512, which CryptoKit picks by curve.
  enum Curve: String, Sendable {
    case p256 = "nistp256"
    case p384 = "nistp384"
    case p521 = "nistp521"

    /// The key type of a (non-hardware) key on the curve.
    var algorithm: Algorithm {
      switch self {
      case .p256: .ecdsaP256
      case .p384: .ecdsaP384
      case .p521: .ecdsaP521
      }
    }

    /// The bytes of one coordinate, of `r` or `s`, and of the private scalar.
    var size: Int {
      switch self {
      case .p256: 32
      case .p384: 48
      case .p521: 66
      }
    }

    /// Whether `point` is a point of the curve in the uncompressed form OpenSSH writes.
    func isValid(point: [UInt8]) -> Bool {
      guard point.count == 1 + 2 * size, point.first == 4 else { return false }
      switch self {
      case .p256: return (try? P256.Signing.PublicKey(x963Representation: point)) != nil
      case .p384: return (try? P384.Signing.PublicKey(x963Representation: point)) != nil
      case .p521: return (try? P521.Signing.PublicKey(x963Representation: point)) != nil
      }
    }

    /// ECDSA over the curve's hash of `data`; `signature` is `r || s`, each `size` bytes.
    func verify(point: [UInt8], signature: [UInt8], data: [UInt8]) -> Bool {
      switch self {
      case .p256:
        guard let key = try? P256.Signing.PublicKey(x963Representation: point),
          let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
        else { return false }
        return key.isValidSignature(signature, for: data)
      case .p384:
        guard let key = try? P384.Signing.PublicKey(x963Representation: point),
          let signature = try? P384.Signing.ECDSASignature(rawRepresentation: signature)
        else { return false }
        return key.isValidSignature(signature, for: data)
      case .p521:
        guard let key = try? P521.Signing.PublicKey(x963Representation: point),
          let signature = try? P521.Signing.ECDSASignature(rawRepresentation: signature)
        else { return false }
        return key.isValidSignature(signature, for: data)
      }
    }
  }
}
