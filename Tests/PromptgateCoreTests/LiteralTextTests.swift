import PromptgateCore
import Testing

/// Searches that guard something (an escape, a header check, a glob) match UTF-8 bytes: as Swift
/// Characters, `\r\n` is one character and a `|` followed by a combining mark is another, so a
/// character search would let either through.
@Suite struct LiteralTextTests {
  @Test func findsWhatACharacterSearchMisses() {
    #expect("a\r\nb".containsLiteral("\r"))
    #expect("a\r\nb".containsLiteral("\n"))
    #expect("x|\u{301}y".containsLiteral("|"))
    #expect("a.\u{301}.b".containsLiteral("."))
    #expect("v1..\u{301}x".containsLiteral(".."))
    #expect(!"abc".containsLiteral("abd"))
  }

  @Test func replacesEveryByteSequenceAndKeepsTheRest() {
    #expect("a\r\nb".replacingLiteral("\r", with: "%0D").replacingLiteral("\n", with: "%0A") == "a%0D%0Ab")
    #expect("x|\u{301}y".replacingLiteral("|", with: "\\|") == "x\\|\u{301}y")
    #expect("ééé".replacingLiteral("é", with: "e") == "eee")
    #expect("e\u{301}".replacingLiteral("é", with: "x") == "e\u{301}", "bytes, not canonical equivalence")
    #expect("aaa".replacingLiteral("aa", with: "b") == "ba")
    #expect("abc".replacingLiteral("", with: "x") == "abc")
  }

  @Test func splitsKeepingEmptyPieces() {
    #expect("a\n\nb\n\n\n\nc".splittingLiteral("\n\n") == ["a", "b", "", "c"])
    #expect("".splittingLiteral("\n\n") == [""])
    #expect("\n\n".splittingLiteral("\n\n") == ["", ""])
  }

  @Test func trimsEveryKindOfWhiteSpace() {
    #expect("\t a b \r\n".trimmingWhitespace == "a b")
    #expect("\u{3000}x\u{A0}".trimmingWhitespace == "x")
    #expect(" \n ".trimmingWhitespace == "")
  }

  @Test func padsOrCutsToAColumn() {
    #expect("ab".padded(to: 4) == "ab  ")
    #expect("abcdef".padded(to: 4) == "abcd")
  }
}
