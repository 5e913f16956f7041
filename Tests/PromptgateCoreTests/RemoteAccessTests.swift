import Git
import Testing

@testable import PromptgateCore

/// The choices the Git layer leaves to promptgate: which variables hold credentials, and what
/// to tell a user whose connection was refused.
@Suite struct RemoteAccessTests {
  @Test func credentialsComeFromTheEnvironmentAsCIGivesThem() {
    #expect(
      RemoteCredentials.environment(["GIT_USERNAME": "ci", "GIT_PASSWORD": "s3cret", "USER": "me"])
        == RemoteCredentials(username: "ci", password: "s3cret", sshUser: "me"))
    #expect(RemoteCredentials.environment(["GITHUB_TOKEN": "t"]).username == "x-access-token")
    #expect(RemoteCredentials.environment(["CI_JOB_TOKEN": "t"]).username == "gitlab-ci-token")
    #expect(RemoteCredentials.environment(["GIT_TOKEN": "t"]).password == "t")
    #expect(RemoteCredentials.environment([:]).password == nil)
  }

  @Test func eachRemoteProblemGetsItsOwnAdvice() {
    func advice(_ problem: RemoteProblem?, _ message: String = "libgit2's words") -> String? {
      RemoteAccess.advice(for: GitError(code: -1, errorClass: 0, message: message, remoteProblem: problem))
    }
    #expect(
      advice(.redirectRefused(from: "a.example", to: "b.example"))
        == "a.example redirects to b.example; promptgate follows redirects within a host only, so that "
        + "credentials and http.extraHeader stay with the host you named: use the URL it redirects to if you "
        + "trust that host")
    #expect(
      advice(.passwordNeeded(url: "https://h/r"))?.hasSuffix(
        "set GIT_USERNAME and GIT_PASSWORD (or GIT_TOKEN)") == true)
    #expect(advice(.sshKeysRefused(url: "ssh://h/r"))?.contains("ssh-add") == true)
    #expect(
      advice(.misconfigured, "GIT_SSL_CAINFO names /x, which does not exist")
        == "GIT_SSL_CAINFO names /x, which does not exist")
    #expect(
      advice(.certificateRefused(host: "h.example", problems: [.wrongHost, .expired]))
        == "h.example was not trusted: its certificate is not issued for h.example; use the host name it names in "
        + "the URL; its certificate has expired (promptgate never skips this check)")
    #expect(advice(nil) == nil, "libgit2's own failures get the general hint")
  }

  /// The Git layer says which host key it refused and why; the words and the fix are Core's.
  @Test func hostKeyProblemsAreWordedHere() {
    func advice(_ problem: RemoteProblem) -> String? {
      RemoteAccess.advice(for: GitError(code: -1, errorClass: 0, message: "refused", remoteProblem: problem))
    }
    let key = HostKey(host: "git.example", port: 2222, fingerprint: "SHA256:abc", size: 51)
    #expect(
      advice(.hostKeyUnknown(key))
        == "the host key of [git.example]:2222 (SHA256:abc) is not in ~/.ssh/known_hosts; check the fingerprint "
        + "with the server's owner, then add it: ssh-keyscan -p 2222 git.example >> ~/.ssh/known_hosts")
    let standard = HostKey(host: "git.example", port: 22, fingerprint: nil, size: 51)
    #expect(
      advice(.hostKeyUnknown(standard))
        == "the host key of git.example (a 51-byte key) is not in ~/.ssh/known_hosts; check the fingerprint "
        + "with the server's owner, then add it: ssh-keyscan git.example >> ~/.ssh/known_hosts")
    #expect(
      advice(.hostKeyChanged(key))
        == "the host key of [git.example]:2222 (SHA256:abc) is not the one ~/.ssh/known_hosts lists for it: "
        + "someone may be standing in for the server, or its key changed; check with the server's owner before "
        + "you replace the line")
    #expect(advice(.hostKeyUncheckable(host: "git.example"))?.contains("does not connect") == true)
  }
}
