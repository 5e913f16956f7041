import Clibgit2

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What libgit2's remote callbacks need and learn during one connect, fetch or push.
///
/// libgit2 calls plain C functions with a `void *payload`; the payload is this box, passed
/// unretained, so the caller keeps it alive (`withExtendedLifetime`) for the whole C call. The
/// callbacks run on the calling thread, inside that call.
final class RemoteCallbackState {
  let credentials: any CredentialProvider
  /// The certificate authorities an https server must chain to.
  let certificates: TrustedCertificates
  /// The remote's URL: an ssh host key is checked for its port, which libgit2 does not pass.
  let url: String
  /// The kinds of credential already offered: each is offered once.
  private var offered: Set<UInt32> = []
  /// Why a callback gave up: what it decided, typed, and in plain words for the log.
  private(set) var problem: (kind: RemoteProblem, words: String)?
  /// Holds libgit2's trusted authorities as `certificates` while this connection may use them.
  private var certificateLease: CertificateAuthorities.Lease?
  /// Push leases: reference → the id the remote must hold (nil: must not exist).
  var expectations: [String: ObjectID?] = [:]
  /// References the remote (or the lease check) refused.
  private(set) var rejections: [PushRejection] = []

  init(credentials: any CredentialProvider, certificates: TrustedCertificates, url: String) {
    self.credentials = credentials
    self.certificates = certificates
    self.url = url
  }

  /// Points `callbacks` at the credential callback with this box as payload. Every connection
  /// installs these first, so this is where the trusted certificate authorities are installed,
  /// leased for as long as this box lives (the whole connect, fetch or push).
  func install(into callbacks: inout git_remote_callbacks) throws(GitError) {
    certificateLease = try certificates.lease()
    callbacks.credentials = acquireCredential
    callbacks.certificate_check = checkCertificate
    callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
  }

  /// Adds the lease check and the per-reference status report of a push.
  func installPushCallbacks(into callbacks: inout git_remote_callbacks) {
    callbacks.push_negotiation = negotiatePush
    callbacks.push_update_reference = reportPushUpdate
  }

  /// `check(result)`, but with what a callback or the redirect policy decided, typed.
  func checking(_ result: Int32) throws(GitError) {
    guard result < 0 else { return }
    let error = GitError.last(returned: result)
    if let problem {
      throw GitError(
        code: result, errorClass: error.errorClass, message: problem.words, remoteProblem: problem.kind)
    }
    // libgit2 says "cannot redirect from 'a' to 'b'" where the redirect policy refuses one.
    if let range = error.message.firstRange(of: "cannot redirect from '"),
      range.lowerBound == error.message.startIndex
    {
      let hosts = error.message[range.upperBound...].split(separator: "'")
      if hosts.count >= 3 {
        throw GitError(
          code: result, errorClass: error.errorClass,
          message: "\(hosts[0]) redirects to \(hosts[2]), which the redirect policy refuses",
          remoteProblem: .redirectRefused(from: String(hosts[0]), to: String(hosts[2])))
      }
    }
    if error.errorClass == Int32(GIT_ERROR_SSL.rawValue), error.code == .certificate,
      let problems = CertificateProblem.read(error.message)
    {
      let host = URLComponents(string: url)?.host ?? url
      throw GitError(
        code: result, errorClass: error.errorClass,
        message: "\(host)'s certificate was refused: \(error.message)",
        remoteProblem: .certificateRefused(host: host, problems: problems))
    }
    throw error
  }

  fileprivate func credential(
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, url: String, usernameFromURL: String?,
    allowed: UInt32
  ) -> Int32 {
    // libgit2 follows a redirect within a host, to another port too (the redirect policy
    // refuses the others): credentials go only to the host and port the URL names.
    if let asking = HTTPOrigin(url), let named = HTTPOrigin(self.url), asking != named {
      problem = (
        .credentialsAfterRedirect(named: named.description, asking: asking.description),
        "\(named) redirected to \(asking), which asks for credentials; they are offered only to \(named)"
      )
      return GIT_EAUTH.rawValue
    }
    let kinds: [(git_credential_t, CredentialRequest.Kind)] = [
      (GIT_CREDENTIAL_SSH_KEY, .sshKey), (GIT_CREDENTIAL_USERNAME, .username),
      (GIT_CREDENTIAL_USERPASS_PLAINTEXT, .userPassword),
    ]
    var declined = false
    for (flag, kind) in kinds where allowed & flag.rawValue != 0 && offered.insert(flag.rawValue).inserted {
      let request = CredentialRequest(kind: kind, url: url, usernameFromURL: usernameFromURL)
      switch credentials.credential(for: request) {
      case .sshAgent(let user)?: return git_credential_ssh_key_from_agent(out, user)
      case .username(let user)?: return git_credential_username_new(out, user)
      case .userPassword(let user, let password)?:
        return git_credential_userpass_plaintext_new(out, user, password)
      case nil: declined = true
      }
    }
    if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
      problem = (.sshKeysRefused(url: url), "\(url) refused every key ssh-agent offered, or no agent runs")
    } else if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
      problem =
        declined
        ? (.passwordNeeded(url: url), "\(url) asks for a user name and password, and none was given")
        : (.passwordRefused(url: url), "\(url) refused the user name and password given")
    } else {
      problem = (
        .credentialKindUnsupported(url: url),
        "\(url) asks for a kind of credential other than an ssh-agent key or a password"
      )
    }
    return GIT_EAUTH.rawValue
  }

  /// An ssh host key must be in known_hosts (``KnownHosts``); a TLS certificate is left to
  /// libgit2, which checks it against the system's authorities.
  fileprivate func checkHostKey(_ certificate: UnsafeMutablePointer<git_cert>, host: String) -> Int32 {
    guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
    let hostKey = UnsafeRawPointer(certificate).assumingMemoryBound(to: git_cert_hostkey.self).pointee
    guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
      problem = (.hostKeyUncheckable(host: host), "\(host) offered a host key that cannot be checked")
      return GIT_ECERTIFICATE.rawValue
    }
    let key = Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len).bindMemory(to: UInt8.self))
    var digest = hostKey.hash_sha256
    let sha256 =
      hostKey.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0
      ? withUnsafeBytes(of: &digest) { Array($0) } : nil
    switch KnownHosts.check(
      host: host, port: Self.sshPort(of: url), key: key, type: hostKey.raw_type, sha256: sha256)
    {
    case .trusted: return 0
    case .refused(let refusal):
      problem = (refusal, "the host key of \(host) is not trusted (known_hosts)")
      return GIT_ECERTIFICATE.rawValue
    }
  }

  /// The port of an `ssh://` URL; 22 for `user@host:path` and URLs without one.
  static func sshPort(of url: String) -> Int {
    guard url.hasPrefix("ssh://") || url.hasPrefix("ssh+git://") || url.hasPrefix("git+ssh://"),
      let components = URLComponents(string: url), let port = components.port
    else { return 22 }
    return port
  }

  fileprivate func negotiate(_ updates: [(reference: String, current: ObjectID)]) -> Int32 {
    for (reference, current) in updates {
      guard let expected = expectations[reference] else { continue }
      let holds = expected.map { $0 == current } ?? current.isZero
      if !holds {
        rejections.append(
          PushRejection(
            reference: reference,
            reason: "the remote holds \(current.isZero ? "nothing" : current.short()), not "
              + "\(expected?.short() ?? "nothing") as expected: another writer pushed first"))
      }
    }
    return rejections.isEmpty ? 0 : GIT_EUSER.rawValue
  }

  fileprivate func report(reference: String, status: String?) {
    if let status { rejections.append(PushRejection(reference: reference, reason: status)) }
  }
}

private func state(_ payload: UnsafeMutableRawPointer?) -> RemoteCallbackState? {
  payload.map { Unmanaged<RemoteCallbackState>.fromOpaque($0).takeUnretainedValue() }
}

private let acquireCredential: git_credential_acquire_cb = { out, url, usernameFromURL, allowed, payload in
  guard let out, let state = state(payload) else { return GIT_PASSTHROUGH.rawValue }
  return state.credential(
    out, url: url.map { String(cString: $0) } ?? "the remote",
    usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
}

private let checkCertificate: git_transport_certificate_check_cb = { certificate, _, host, payload in
  guard let certificate, let state = state(payload) else { return GIT_PASSTHROUGH.rawValue }
  return state.checkHostKey(certificate, host: host.map { String(cString: $0) } ?? "the remote")
}

private let negotiatePush: git_push_negotiation = { updates, count, payload in
  guard let state = state(payload) else { return 0 }
  var list: [(reference: String, current: ObjectID)] = []
  for index in 0..<count {
    guard let update = updates?[index]?.pointee, let name = update.dst_refname else { continue }
    list.append((String(cString: name), ObjectID(update.src)))
  }
  return state.negotiate(list)
}

private let reportPushUpdate: git_push_update_reference_cb = { reference, status, payload in
  guard let state = state(payload), let reference else { return 0 }
  state.report(reference: String(cString: reference), status: status.map { String(cString: $0) })
  return 0
}
