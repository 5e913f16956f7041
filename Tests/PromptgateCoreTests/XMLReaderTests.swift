import Testing

@testable import PromptgateCore

/// The XML reader JUnit reports are read with: what it hands on, and what it refuses, where.
struct XMLReaderTests {
  private func events(_ text: String) throws(XMLProblem) -> [XMLEvent] {
    var seen: [XMLEvent] = []
    try XMLReader.read(Array(text.utf8)) { seen.append($0) }
    return seen
  }

  private func refusal(_ text: String) -> XMLProblem? {
    do {
      _ = try events(text)
      return nil
    } catch {
      return error
    }
  }

  @Test func elementsAttributesAndLinesOfAReport() throws {
    let report = """
      \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
      <!-- written by a test runner -->
      <testsuites name='all'>
        <testsuite name="a &amp; b" tests="2"
            time="1.5">
          <testcase name="x &lt;1&gt; &#233;&#xE9;"/>
          <testcase name="y"><failure message="tab\there"><![CDATA[<not markup> & raw]]></failure></testcase>
          <?runner note?>
        </testsuite>
      </testsuites>

      """
    #expect(
      try events(report) == [
        .start(name: "testsuites", attributes: ["name": "all"], line: 3),
        .start(name: "testsuite", attributes: ["name": "a & b", "tests": "2", "time": "1.5"], line: 4),
        .start(name: "testcase", attributes: ["name": "x <1> éé"], line: 6),
        .end(name: "testcase"),
        .start(name: "testcase", attributes: ["name": "y"], line: 7),
        .start(name: "failure", attributes: ["message": "tab here"], line: 7),
        .end(name: "failure"),
        .end(name: "testcase"),
        .end(name: "testsuite"),
        .end(name: "testsuites"),
      ])
  }

  @Test func aDocumentTypeIsRefusedBeforeAnyEntityCouldExpand() {
    let bomb = """
      <?xml version="1.0"?>
      <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>
      <testsuite name="&lol2;"/>
      """
    let problem = refusal(bomb)
    #expect(problem?.reason == "it declares a document type, and promptgate expands no XML entities")
    #expect(problem?.line == 2)
    #expect(
      refusal("<a b=\"&xxe;\"/>")?.reason
        == "&xxe; is not one of XML's entities, and a JUnit report declares none")
    #expect(refusal("<a>&xxe;</a>")?.line == 1)
  }

  @Test func whatIsNotWellFormedIsRefusedWithItsPlace() {
    let cases: [(String, String, Int, Int, Bool)] = [
      ("<a>\n  <b>\n</a>", "</a> closes <b>", 3, 4, false),
      ("<a>\n  <b>", "it ends inside <b>: the report was cut short", 2, 6, true),
      ("<a/><b/>", "a second root element <b> follows the first", 1, 5, false),
      ("<a/>text", "text follows the root element", 1, 5, false),
      ("<a x=\"1\" x=\"2\"/>", "<a> has attribute x twice", 1, 10, false),
      ("<a x=1/>", "the value of x is not quoted", 1, 6, false),
      ("<a x=\"1\"y=\"2\"/>", "<a>'s attributes must be separated by spaces", 1, 9, false),
      ("<a x=\"<\"/>", "the value of x holds \"<\"", 1, 7, false),
      ("<a>AT&T</a>", "\"&\" starts no reference (write &amp; for an ampersand)", 1, 6, false),
      ("</a>", "</a> closes no open element", 1, 4, false),
      ("<a><!-- never closed", "a comment is never closed", 1, 21, true),
      ("<1a/>", "an element name is missing or invalid", 1, 2, false),
      ("<a\u{1B}[2J/>", "an element name is missing or invalid", 1, 2, false),
      ("", "it holds no element", 1, 1, false),
      (
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
        "it is declared iso-8859-1, and promptgate reads JUnit reports in UTF-8", 1, 44, false
      ),
    ]
    for (text, reason, line, column, truncated) in cases {
      let problem = refusal(text)
      #expect(
        problem == XMLProblem(line: line, column: column, reason: reason, truncated: truncated),
        "\(text.debugDescription): \(String(describing: problem))")
    }
    var latin1 = Array("<a name=\"caf".utf8)
    latin1 += [0xE9] + Array("\"/>".utf8)
    var problem: XMLProblem?
    do { try XMLReader.read(latin1) { _ in } } catch { problem = error }
    #expect(problem?.reason == "it is not UTF-8")
  }
}
