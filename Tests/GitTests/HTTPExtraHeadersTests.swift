import Foundation
import TestSupport
import Testing

@testable import Git

/// `http.extraHeader` as git reads it: CI systems leave their token there.
@Suite struct HTTPExtraHeadersTests {
  @Test func headersComeFromEveryMatchingSettingInOrderAndAnEmptyValueClears() throws {
    let scratch = try ScratchRepository()
    try scratch.git("config", "--add", "http.extraheader", "X-Trace: 1")
    try scratch.git(
      "config", "http.https://example.com/.extraheader", "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46dA==")
    try scratch.git("config", "http.https://other.example.com/.extraheader", "X-Other: 2")
    let repository = try Repository.open(at: scratch.path)

    #expect(
      repository.httpExtraHeaders(for: "https://example.com/team/prompts.git")
        == ["X-Trace: 1", "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46dA=="])
    #expect(
      repository.httpExtraHeaders(for: "https://other.example.com/x.git") == ["X-Trace: 1", "X-Other: 2"])
    // Headers go to http and https remotes only.
    #expect(repository.httpExtraHeaders(for: "ssh://git@example.com/team/prompts.git").isEmpty)
    #expect(repository.httpExtraHeaders(for: "/srv/git/prompts.git").isEmpty)

    // git config --add puts the empty value right after "X-Trace: 1", in the [http] section:
    // it clears that one, not the URL's own header that the file lists after it.
    try scratch.git("config", "--add", "http.extraheader", "")
    #expect(
      repository.httpExtraHeaders(for: "https://example.com/team/prompts.git")
        == ["AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46dA=="])
    try scratch.git("config", "--add", "http.https://example.com/team.extraheader", "")
    #expect(repository.httpExtraHeaders(for: "https://example.com/team/prompts.git").isEmpty)
    #expect(repository.httpExtraHeaders(for: "https://example.com/other/prompts.git").count == 1)
  }

  @Test func aSettingsURLCoversItsHostPortUserAndPathPrefix() throws {
    func matches(_ pattern: String, _ url: String) -> Bool {
      Repository.urlMatches(pattern, URLComponents(string: url)!)
    }
    #expect(matches("https://example.com/", "https://example.com/team/prompts.git"))
    #expect(matches("https://EXAMPLE.com", "https://example.com/team/prompts.git"))
    #expect(matches("https://example.com/team", "https://example.com/team/prompts.git"))
    #expect(matches("https://example.com:443/", "https://example.com/team/prompts.git"))
    #expect(!matches("https://example.com/tea", "https://example.com/team/prompts.git"))
    #expect(!matches("http://example.com/", "https://example.com/team/prompts.git"))
    #expect(!matches("https://example.com:8443/", "https://example.com/team/prompts.git"))
    #expect(!matches("https://example.org/", "https://example.com/team/prompts.git"))
    #expect(!matches("https://ci@example.com/", "https://example.com/team/prompts.git"))
    #expect(matches("https://ci@example.com/", "https://ci@example.com/team/prompts.git"))
  }

  @Test func aHeaderLibgit2WouldRefuseIsNamedWithoutItsValue() throws {
    let secret = "eC1hY2Nlc3MtdG9rZW46czNjcmV0"
    #expect(throws: Never.self) {
      try HTTPExtraHeaders.check(["AUTHORIZATION: basic \(secret)", "X-Trace: 1"])
    }
    for (headers, words) in [
      (
        ["X-Trace: 1", "Authorization basic \(secret)"],
        "http.extraHeader value 2 for this remote is not `Name: value`"
      ),
      (["Host: \(secret)"], "http.extraHeader value 1 for this remote sets Host, which libgit2 sets itself"),
      ([": \(secret)"], "is not `Name: value`"),
      (["X-A: b\r\nX-Injected: \(secret)"], "is not `Name: value`"),
    ] {
      #expect {
        try HTTPExtraHeaders.check(headers)
      } throws: { error in
        let message = (error as? GitError)?.message ?? ""
        return message.contains(words) && !message.contains(secret)
          && (error as? GitError)?.remoteProblem == .misconfigured
      }
    }
  }
}
