import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// How promptgate reaches a remote, the way CI jobs already do (no git program, no credential
/// helper). The Git layer offers the mechanisms (a credential provider, a redirect policy, a
/// set of certificate authorities); the choices and the words for the user are made here.
///
/// - ssh (`ssh://`, `user@host:path`): a key from ssh-agent (`SSH_AUTH_SOCK`), as the user in
///   the URL, else the login name.
/// - https: a user name and password in the URL; else `GIT_USERNAME` with `GIT_PASSWORD` (or
///   `GIT_TOKEN`); else GitHub Actions' `GITHUB_TOKEN` (as `x-access-token`); else GitLab CI's
///   `CI_JOB_TOKEN` (as `gitlab-ci-token`).
/// - certificates: the system's authorities, or those `GIT_SSL_CAINFO`/`GIT_SSL_CAPATH` or
///   `http.sslCAInfo`/`http.sslCAPath` name, as git reads them.
/// - redirects: followed within the host named only, so neither credentials nor
///   `http.extraHeader` lines (tokens, often) go elsewhere.
enum RemoteAccess {
  /// Sets `remote` up as described above.
  static func configure(_ remote: Remote, in repository: Repository, environment: [String: String]) {
    remote.certificates = .configured(environment: environment, repository: repository)
    remote.redirects = .sameHost
  }

  /// What the user should do about `error`, or nil when there is nothing more to say than the
  /// error's own words.
  static func advice(for error: GitError) -> String? {
    switch error.remoteProblem {
    case .redirectRefused(let from, let to)?:
      "\(from) redirects to \(to); promptgate follows redirects within a host only, so that credentials and "
        + "http.extraHeader stay with the host you named: use the URL it redirects to if you trust that host"
    case .credentialsAfterRedirect(let named, let asking)?:
      "\(named) redirected promptgate to \(asking), which asks for credentials; they go only to \(named): use "
        + "the URL it redirects to if you trust that host"
    case .sshKeysRefused(let url)?:
      "\(url) refused every key ssh-agent offered (or no agent runs: SSH_AUTH_SOCK); add the key with ssh-add"
    case .passwordNeeded(let url)?:
      "\(url) asks for a user name and password: set GIT_USERNAME and GIT_PASSWORD (or GIT_TOKEN)"
    case .passwordRefused(let url)?:
      "\(url) refused the user name and password from the environment (GIT_USERNAME, GIT_PASSWORD or a token)"
    case .credentialKindUnsupported(let url)?:
      "\(url) asks for a kind of credential promptgate cannot give (ssh-agent keys and passwords only)"
    case .certificateRefused(let host, let problems)?:
      "\(host) was not trusted: " + problems.map { words(for: $0, host: host) }.joined(separator: "; ")
        + " (promptgate never skips this check)"
    case .hostKeyUnknown(let key)?:
      "the host key of \(key.place) (\(words(for: key))) is not in ~/.ssh/known_hosts; check the fingerprint with "
        + "the server's owner, then add it: ssh-keyscan\(key.port == 22 ? "" : " -p \(key.port)") \(key.host) "
        + ">> ~/.ssh/known_hosts"
    case .hostKeyChanged(let key)?:
      "the host key of \(key.place) (\(words(for: key))) is not the one ~/.ssh/known_hosts lists for it: someone "
        + "may be standing in for the server, or its key changed; check with the server's owner before you "
        + "replace the line"
    case .hostKeyUncheckable(let host)?:
      "the host key of \(host) cannot be checked against ~/.ssh/known_hosts, so promptgate does not connect"
    case .misconfigured?:
      // The Git layer's words name the setting (certificate authorities, http.extraHeader) and its fix.
      error.message
    case nil:
      nil
    }
  }
}

extension RemoteAccess {
  /// A host key as ssh names it: its SHA-256 fingerprint, else its size.
  static func words(for key: HostKey) -> String {
    key.fingerprint ?? "a \(key.size)-byte key"
  }

  static func words(for problem: CertificateProblem, host: String) -> String {
    switch problem {
    case .untrustedAuthority:
      "its certificate is not signed by a certificate authority promptgate trusts; if it comes from an "
        + "authority of your own, name that authority's certificate in GIT_SSL_CAINFO or http.sslCAInfo"
    case .wrongHost: "its certificate is not issued for \(host); use the host name it names in the URL"
    case .expired: "its certificate has expired"
    case .notYetValid: "its certificate is not valid yet (is this machine's clock right?)"
    case .revoked: "its certificate has been revoked"
    case .other(let words): "mbedTLS refused its certificate (\(words))"
    }
  }
}

extension RemoteCredentials {
  /// The credentials the environment offers (see ``RemoteAccess`` for the variables).
  public static func environment(_ variables: [String: String] = ProcessInfo.processInfo.environment)
    -> RemoteCredentials
  {
    func value(_ name: String) -> String? {
      variables[name].flatMap { $0.isEmpty ? nil : $0 }
    }
    let sshUser = value("USER") ?? value("LOGNAME") ?? "git"
    if let password = value("GIT_PASSWORD") ?? value("GIT_TOKEN") {
      return RemoteCredentials(username: value("GIT_USERNAME") ?? "git", password: password, sshUser: sshUser)
    }
    if let token = value("GITHUB_TOKEN") {
      return RemoteCredentials(username: "x-access-token", password: token, sshUser: sshUser)
    }
    if let token = value("CI_JOB_TOKEN") {
      return RemoteCredentials(username: "gitlab-ci-token", password: token, sshUser: sshUser)
    }
    return RemoteCredentials(username: value("GIT_USERNAME"), password: nil, sshUser: sshUser)
  }
}
