import Crypto
import _CryptoExtras

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An unencrypted OpenSSH private key that promptgate can sign with itself.
///
/// Encrypted keys, keys in ssh-agent and hardware keys are left to ``SSHKeygenSigner``: asking
/// for a passphrase or a touch is `ssh-keygen`'s job, and it already does it well.
public struct SSHPrivateKey: Sendable {
  /// The private numbers. CryptoKit's ed25519 and NIST-curve keys are not `Sendable`, so those
  /// are kept as their raw bytes and rebuilt to sign.
  private enum Secret: Sendable {
    case ed25519(seed: [UInt8])
    case ecdsa(SSHPublicKey.Curve, scalar: [UInt8])
    case rsa(_RSA.Signing.PrivateKey)
  }

  public let publicKey: SSHPublicKey
  public let comment: String
  private let secret: Secret

  private static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
  private static let end = "-----END OPENSSH PRIVATE KEY-----"
  private static let magic = Array("openssh-key-v1".utf8) + [0]

  /// Parses the `-----BEGIN OPENSSH PRIVATE KEY-----` format of `PROTOCOL.key`.
  public init(openSSH text: String) throws(SSHKeyError) {
    try self.init(openSSH: text, source: "the key")
  }

  /// Reads and parses a key file; `~` is expanded. Messages name `path` as it was given.
  public static func load(path: String) throws(SSHKeyError) -> SSHPrivateKey {
    let expanded = Paths.expandingTilde(path)
    var isFolder = false
    guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isFolder) else {
      throw SSHKeyError("cannot read the key \(path): no such file; check the key path")
    }
    guard !isFolder else {
      throw SSHKeyError("cannot read the key \(path): it is a folder; give the private key file")
    }
    // A cap on what is read: no SSH private key comes near 1 MiB, and a device file never ends.
    let limit = 1 << 20
    let descriptor = open(expanded, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw SSHKeyError("cannot read the key \(path): permission denied; check the file's permissions")
    }
    defer { close(descriptor) }
    var data: [UInt8] = []
    let failed = DescriptorReader.forEachPiece(of: descriptor) { piece in
      data += piece
      return data.count <= limit
    }
    if let failed {
      throw SSHKeyError("cannot read the key \(path): \(String(cString: strerror(failed)))")
    }
    guard data.count <= limit else {
      throw SSHKeyError("the key \(path) is larger than any SSH private key; check the key path")
    }
    return try SSHPrivateKey(openSSH: String(decoding: data, as: UTF8.self), source: "the key \(path)")
  }

  private init(openSSH text: String, source: String) throws(SSHKeyError) {
    let bytes = try Self.dearmor(text, source: source)
    var reader = SSHWireReader(bytes, subject: source)
    guard (try? reader.readBytes(Self.magic.count)) == Self.magic else {
      throw SSHKeyError("\(source) is not an OpenSSH private key; check the key path")
    }
    let cipher = try reader.readText()
    let kdf = try reader.readText()
    _ = try reader.readString()  // KDF options
    guard cipher == "none", kdf == "none" else {
      throw SSHKeyError("\(source) is encrypted; sign with --signer ssh-keygen")
    }
    guard try reader.readUInt32() == 1 else {
      throw SSHKeyError("\(source) holds several keys; give a file with one key")
    }
    let declared: SSHPublicKey
    do {
      declared = try SSHPublicKey(blob: try reader.readString())
    } catch {
      throw SSHKeyError("\(source) holds a key promptgate cannot use: \(error.message)")
    }
    var section = SSHWireReader(try reader.readString(), subject: source)
    try reader.expectEnd()
    guard try section.readUInt32() == section.readUInt32() else {
      throw section.malformed("is corrupted (its check numbers differ)")
    }
    let type = try section.readText()
    secret = try Self.readSecret(type: type, from: &section, source: source)
    comment = try section.readText()
    // What is left is the padding 1, 2, 3 ... up to the cipher's block size.
    guard section.remaining.count < 8,
      section.remaining.elementsEqual((0..<section.remaining.count).map { UInt8($0 + 1) })
    else {
      throw section.malformed("is corrupted (bad padding)")
    }
    publicKey = try Self.publicKey(of: secret)
    guard publicKey == declared else {
      throw SSHKeyError(
        "\(source) is corrupted: its private and public halves differ; generate the key again")
    }
  }

  /// The base64 between the armor lines, whitespace and CRLF tolerated.
  private static func dearmor(_ text: String, source: String) throws(SSHKeyError) -> [UInt8] {
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace }
      .filter { !$0.isEmpty }
    guard let first = lines.first, first == begin else {
      if lines.first?.hasPrefix("-----BEGIN") == true, lines.first?.hasSuffix("PRIVATE KEY-----") == true {
        throw SSHKeyError(
          "\(source) is a PEM private key; convert it with ssh-keygen -p -f <file> or sign with --signer ssh-keygen"
        )
      }
      if let first = lines.first, SSHPublicKey.isKeyTypeName(first.prefix { $0 != " " }) {
        throw SSHKeyError(
          "\(source) is a public key; give the private key file or sign with --signer ssh-keygen")
      }
      throw SSHKeyError("\(source) is not an OpenSSH private key; check the key path")
    }
    guard lines.count >= 2, lines.last == end,
      let bytes = SSHBase64.decode(lines.dropFirst().dropLast().joined())
    else { throw SSHKeyError("\(source) is damaged (bad armor or base64); generate or copy it again") }
    return bytes
  }

  private static func readSecret(
    type: String, from reader: inout SSHWireReader, source: String
  ) throws(SSHKeyError) -> Secret {
    let algorithm = SSHPublicKey.Algorithm(rawValue: type)
    do {
      switch algorithm {
      case .ed25519:
        let publicKey = try reader.readString()
        let secretKey = try reader.readString()  // the 32-byte seed, then the public key
        guard publicKey.count == 32, secretKey.count == 64, Array(secretKey.suffix(32)) == publicKey else {
          throw reader.malformed("is corrupted (bad ed25519 key)")
        }
        let seed = Array(secretKey.prefix(32))
        _ = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        return .ed25519(seed: seed)
      case .ecdsaP256, .ecdsaP384, .ecdsaP521:
        let named = try reader.readText()
        guard let curve = algorithm?.curve, named == curve.rawValue else {
          throw reader.malformed("names the curve \(SSHKeyError.quoted(named)), not the one of \(type)")
        }
        _ = try reader.readString()  // the public point, checked against the private scalar below
        let scalar = try reader.readMPInt()
        guard scalar.count <= curve.size else { throw reader.malformed("is corrupted (bad ecdsa key)") }
        let padded = [UInt8](repeating: 0, count: curve.size - scalar.count) + scalar
        _ = try curve.publicPoint(scalar: padded)
        return .ecdsa(curve, scalar: padded)
      case .rsa:
        let n = try reader.readMPInt()
        let e = try reader.readMPInt()
        let d = try reader.readMPInt()
        _ = try reader.readMPInt()  // iqmp, recomputed by BoringSSL
        let p = try reader.readMPInt()
        let q = try reader.readMPInt()
        return .rsa(try _RSA.Signing.PrivateKey(n: n, e: e, d: d, p: p, q: q))
      case .skEd25519, .skEcdsaP256:
        throw SSHKeyError("\(source) is a hardware (FIDO) key; sign with --signer ssh-keygen")
      case nil:
        throw SSHKeyError(
          "unsupported key type \(SSHKeyError.quoted(type)) in \(source); use an ed25519 or ecdsa-sha2-nistp256 key"
        )
      }
    } catch let error as SSHKeyError {
      throw error
    } catch {
      throw SSHKeyError("\(source) holds an invalid \(type) key; generate the key again")
    }
  }

  private static func publicKey(of secret: Secret) throws(SSHKeyError) -> SSHPublicKey {
    var writer = SSHWireWriter()
    switch secret {
    case .ed25519(let seed):
      guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
        throw SSHKeyError("the ed25519 key is invalid; generate the key again")
      }
      writer.write(text: SSHPublicKey.Algorithm.ed25519.rawValue)
      writer.write(string: key.publicKey.rawRepresentation)
    case .ecdsa(let curve, let scalar):
      guard let point = try? curve.publicPoint(scalar: scalar) else {
        throw SSHKeyError("the ecdsa key is invalid; generate the key again")
      }
      writer.write(text: curve.algorithm.rawValue)
      writer.write(text: curve.rawValue)
      writer.write(string: point)
    case .rsa(let key):
      guard let primitives = try? key.publicKey.getKeyPrimitives() else {
        throw SSHKeyError("the RSA key is invalid; generate the key again")
      }
      writer.write(text: SSHPublicKey.Algorithm.rsa.rawValue)
      writer.write(mpint: primitives.publicExponent)
      writer.write(mpint: primitives.modulus)
    }
    return try SSHPublicKey(blob: writer.bytes)
  }

  /// Signs `data` and returns the SSH signature blob (`string algorithm, string signature`):
  /// ed25519, ECDSA over the curve's hash (SHA-256, SHA-384 or SHA-512), or `rsa-sha2-512`
  /// for RSA keys, as `ssh-keygen` signs.
  public func sign(_ data: [UInt8]) throws(SSHKeyError) -> [UInt8] {
    var writer = SSHWireWriter()
    do {
      switch secret {
      case .ed25519(let seed):
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        writer.write(text: SSHPublicKey.Algorithm.ed25519.rawValue)
        writer.write(string: Array(try key.signature(for: data)))
      case .ecdsa(let curve, let scalar):
        let raw = try curve.sign(data, scalar: scalar)
        var inner = SSHWireWriter()
        inner.write(mpint: raw.prefix(curve.size))
        inner.write(mpint: raw.suffix(curve.size))
        writer.write(text: curve.algorithm.rawValue)
        writer.write(string: inner.bytes)
      case .rsa(let key):
        let signature = try key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
        writer.write(text: "rsa-sha2-512")
        writer.write(string: Array(signature.rawRepresentation))
      }
    } catch {
      throw SSHKeyError(
        "signing with the \(publicKey.algorithm.rawValue) key \(publicKey.fingerprint) failed: \(error)")
    }
    return writer.bytes
  }
}

extension SSHPublicKey.Curve {
  /// The uncompressed public point of a private scalar of `size` bytes; throws unless the
  /// scalar is a private key of the curve.
  fileprivate func publicPoint(scalar: [UInt8]) throws -> [UInt8] {
    switch self {
    case .p256: Array(try P256.Signing.PrivateKey(rawRepresentation: scalar).publicKey.x963Representation)
    case .p384: Array(try P384.Signing.PrivateKey(rawRepresentation: scalar).publicKey.x963Representation)
    case .p521: Array(try P521.Signing.PrivateKey(rawRepresentation: scalar).publicKey.x963Representation)
    }
  }

  /// ECDSA over the curve's hash of `data`, as `r || s`, each `size` bytes.
  fileprivate func sign(_ data: [UInt8], scalar: [UInt8]) throws -> [UInt8] {
    switch self {
    case .p256:
      let key = try P256.Signing.PrivateKey(rawRepresentation: scalar)
      return Array(try key.signature(for: data).rawRepresentation)
    case .p384:
      let key = try P384.Signing.PrivateKey(rawRepresentation: scalar)
      return Array(try key.signature(for: data).rawRepresentation)
    case .p521:
      let key = try P521.Signing.PrivateKey(rawRepresentation: scalar)
      return Array(try key.signature(for: data).rawRepresentation)
    }
  }
}
