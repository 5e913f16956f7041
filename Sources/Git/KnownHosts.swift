import Clibgit2

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Checks an ssh remote's host key against OpenSSH's known_hosts files, as `ssh` does: libgit2
/// 1.5 connects to any host key unless its caller says no, which would let anyone on the path
/// between here and the git server stand in for it.
///
/// The files are `~/.ssh/known_hosts` and `/etc/ssh/ssh_known_hosts`, read with libssh2's own
/// reader (hashed host names, `[host]:port`, patterns). A host not listed and a key other than
/// the listed one are refused; the verdict is typed, and promptgate's Core words the advice
/// (Sync/RemoteAccess.swift).
enum KnownHosts {
  enum Verdict: Equatable {
    case trusted
    case refused(RemoteProblem)
  }

  static var files: [String] {
    let home =
      ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
    return [home + "/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts"]
  }

  /// `sha256` is the key's SHA-256 as libgit2 computed it, for the fingerprint ssh prints.
  static func check(host: String, port: Int, key: [UInt8], type: git_cert_ssh_raw_type_t, sha256: [UInt8]?)
    -> Verdict
  {
    let hostKey = HostKey(
      host: host, port: port,
      fingerprint: sha256.map {
        "SHA256:" + Data($0).base64EncodedString().filter { $0 != "=" }
      }, size: key.count)
    guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
      return .refused(.hostKeyUncheckable(host: hostKey.place))
    }
    defer { libssh2_session_free(session) }
    guard let hosts = libssh2_knownhost_init(session) else {
      return .refused(.hostKeyUncheckable(host: hostKey.place))
    }
    defer { libssh2_knownhost_free(hosts) }
    for file in files where FileManager.default.isReadableFile(atPath: file) {
      _ = libssh2_knownhost_readfile(hosts, file, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
    }
    let typeMask = Int32(LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW) | keyType(type)
    let result = key.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        libssh2_knownhost_checkp(hosts, host, Int32(port), chars.baseAddress, key.count, typeMask, nil)
      }
    }
    switch result {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return .trusted
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      return .refused(.hostKeyChanged(hostKey))
    default:
      return .refused(.hostKeyUnknown(hostKey))
    }
  }

  private static func keyType(_ type: git_cert_ssh_raw_type_t) -> Int32 {
    switch type {
    case GIT_CERT_SSH_RAW_TYPE_RSA: LIBSSH2_KNOWNHOST_KEY_SSHRSA
    case GIT_CERT_SSH_RAW_TYPE_DSS: LIBSSH2_KNOWNHOST_KEY_SSHDSS
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_256: LIBSSH2_KNOWNHOST_KEY_ECDSA_256
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_384: LIBSSH2_KNOWNHOST_KEY_ECDSA_384
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_521: LIBSSH2_KNOWNHOST_KEY_ECDSA_521
    case GIT_CERT_SSH_RAW_TYPE_KEY_ED25519: LIBSSH2_KNOWNHOST_KEY_ED25519
    default: LIBSSH2_KNOWNHOST_KEY_UNKNOWN
    }
  }
}
