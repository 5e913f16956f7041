import Foundation

/// How promptgate authenticates to a remote, the way CI jobs already do (no git program, no
/// credential helper):
///
/// - ssh (`ssh://`, `user@host:path`): a key from ssh-agent (`SSH_AUTH_SOCK`), as the user in
///   the URL, else the login name.
/// - https: a user name and password in the URL; else `GIT_USERNAME` with `GIT_PASSWORD` (or
///   `GIT_TOKEN`); else GitHub Actions' `GITHUB_TOKEN` (as `x-access-token`); else GitLab CI's
///   `CI_JOB_TOKEN` (as `gitlab-ci-token`).
///
/// Each kind of credential is offered once: a server that refuses it gets a clear error, not a
/// loop.
public struct RemoteCredentials: Sendable, Equatable {
  /// The user name for https, when the environment names one.
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

  /// The credentials the environment offers (see the type's documentation for the variables).
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
