import Foundation
import PromptgateCore
import TestSupport
import Testing

/// The one place text from a repository is made safe to print (SPEC §7): paths quoted as git
/// quotes them, messages kept to one line.
@Suite struct RepositoryTextTests {
  static let names = [
    "plain/name.md", "with space.md", "tab\there.md", "new\nline.md", "escape\u{1B}[2J.md", "quote\"d.md",
    "back\\slash.md", "caf\u{E9}.md", "del\u{7F}.md",
  ]

  /// git (core.quotePath off, as promptgate prints non-ASCII as it is) is the oracle.
  @Test func quotesPathsAsGitDoes() throws {
    let scratch = try ScratchRepository()
    for name in Self.names { try scratch.write(name, "x\n") }
    try scratch.git("add", "-A")
    let listed = try scratch.git("-c", "core.quotePath=false", "ls-files").split(separator: "\n").map(
      String.init)
    #expect(Self.names.map(RepositoryText.quoted).sorted() == listed.sorted())
  }

  /// Stricter than git: a C1 control (NEL) or a line separator ends a line in some terminals
  /// and log viewers, so these are quoted too where git prints them as they are.
  @Test func quotesWhatEndsALineBeyondASCII() {
    #expect(RepositoryText.quoted("next\u{85}line.md") == #""next\302\205line.md""#)
    #expect(RepositoryText.quoted("separator\u{2028}.md") == #""separator\342\200\250.md""#)
  }

  @Test func aMessageStaysOneLineAndOnlyItsControlCharactersChange() {
    #expect(RepositoryText.line("unknown revision 'v1.2': fetch it") == "unknown revision 'v1.2': fetch it")
    #expect(RepositoryText.line("a \"quoted\" \\ café") == "a \"quoted\" \\ café")
    #expect(
      RepositoryText.line("v1\u{1B}[2J\n::error::x\r\t\u{85}\u{2028}")
        == #"v1\033[2J\n::error::x\r\t\302\205\342\200\250"#)
  }
}
