/// How a remote authenticates, as a mechanism: libgit2 asks for a kind of credential, the
/// ``CredentialProvider`` answers or declines. Which environment variables hold tokens, and
/// what to tell a user whose credentials were refused, is the caller's business (promptgate's
/// Core); this layer only offers each kind once, so a server that refuses gets an error, not a
/// loop, and keeps credentials with the host the URL names (see ``RemoteProblem``).
public protocol CredentialProvider: Sendable {
  /// The credential to offer for `request`, or nil to offer none of that kind.
  func credential(for request: CredentialRequest) -> Credential?
}

/// What a remote asks for.
public struct CredentialRequest: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// A key from ssh-agent (`SSH_AUTH_SOCK`).
    case sshKey
    /// An ssh user name alone (libgit2 asks before the key when the URL names none).
    case username
    /// A user name and password or token (https).
    case userPassword
  }

  public let kind: Kind
  /// The URL that asks, as libgit2 gives it.
  public let url: String
  /// The user name in the URL (`git@host:path`, `https://user@host/`), if any.
  public let usernameFromURL: String?

  public init(kind: Kind, url: String, usernameFromURL: String?) {
    self.kind = kind
    self.url = url
    self.usernameFromURL = usernameFromURL
  }
}

/// A credential to offer.
public enum Credential: Sendable, Equatable {
  /// Ask ssh-agent for keys, as `user`.
  case sshAgent(user: String)
  case username(String)
  case userPassword(user: String, password: String)
}

/// A fixed set of credentials: a user name and password for https, a user for ssh. Callers
/// fill it (promptgate's Core from the environment, tests by hand).
public struct RemoteCredentials: CredentialProvider, Equatable {
  /// The user name for https.
  public var username: String?
  /// The password or token for https.
  public var password: String?
  /// The user name for ssh when the URL names none.
  public var sshUser: String

  public init(username: String? = nil, password: String? = nil, sshUser: String = "git") {
    self.username = username
    self.password = password
    self.sshUser = sshUser
  }

  public func credential(for request: CredentialRequest) -> Credential? {
    switch request.kind {
    case .sshKey: .sshAgent(user: request.usernameFromURL ?? sshUser)
    case .username: .username(request.usernameFromURL ?? sshUser)
    case .userPassword:
      password.map { .userPassword(user: request.usernameFromURL ?? username ?? "git", password: $0) }
    }
  }
}

/// Which HTTP redirects libgit2 follows.
public enum RedirectPolicy: Sendable, Equatable {
  /// Within the host the URL names only (other ports of it too): credentials and
  /// `http.extraHeader` lines never leave it. A redirect elsewhere fails with
  /// ``RemoteProblem/redirectRefused(from:to:)``.
  case sameHost
  /// Also to another host, but only for the first request (as git does by default).
  case initialRequest
  /// Anywhere, every request.
  case always
}
