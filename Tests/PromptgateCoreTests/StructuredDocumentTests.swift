import PromptgateCore
import Testing

@Suite struct StructuredDocumentTests {
  @Test func typesScalarsAsTheYAML12CoreSchema() throws {
    let document = try #require(
      try StructuredDocument.parse(
        """
        temperature: 0.70
        count: 12
        hex: 0x1F
        enabled: true
        language: no
        nothing: ~
        quoted: "12"
        """))
    #expect(document["temperature"]?.scalar?.kind == .float)
    #expect(document["temperature"]?.scalar?.text == "0.70")
    #expect(document["count"]?.scalar?.kind == .integer)
    #expect(document["hex"]?.scalar?.number == 31)
    #expect(document["enabled"]?.scalar?.bool == true)
    #expect(document["language"]?.scalar?.kind == .string, "`no` is Norway's code, not false")
    #expect(document["nothing"]?.scalar?.kind == .null)
    #expect(document["quoted"]?.scalar?.kind == .string)
    #expect(Scalar(plain: "0.7") == Scalar(plain: "0.70"))
    #expect(Scalar(plain: "1") != Scalar(text: "1", kind: .string))
  }

  @Test func keepsKeyOrderAndPlaces() throws {
    let document = try #require(try StructuredDocument.parse("b: 1\na:\n  c: [x, y]\n"))
    #expect(document.entries?.map(\.key) == ["b", "a"])
    #expect(document["a"]?["c"]?.items?.count == 2)
    #expect(document.entries?[1].keyLocation == SourceLocation(line: 2, column: 1))
  }

  @Test func equalityIgnoresWhereThingsWereWritten() throws {
    let compact = try #require(try StructuredDocument.parse("a: {b: [1, 2]}\nc: x\n"))
    let spread = try #require(try StructuredDocument.parse("\n\na:\n  b:\n    - 1\n    - 2\nc: x\n"))
    #expect(compact == spread)
    #expect(compact.hashValue == spread.hashValue)
    #expect(compact != (try StructuredDocument.parse("a: {b: [1, 3]}\nc: x\n")))
  }

  @Test func readsJSON() throws {
    let document = try #require(try StructuredDocument.parse(#"{"a": {"b": [1, 2.5, "x", true, null]}}"#))
    #expect(document["a"]?["b"]?.items?.map { $0.scalar?.kind } == [.integer, .float, .string, .bool, .null])
  }

  @Test func reportsSyntaxErrorsWithTheirPlace() {
    #expect {
      try StructuredDocument.parse("a: 1\nb: [unclosed\nc: 2\n")
    } throws: { error in
      guard let error = error as? DocumentError else { return false }
      return error.message.contains("not valid YAML") && error.location != nil
    }
  }

  @Test func refusesDuplicateKeys() {
    #expect {
      try StructuredDocument.parse("rollback: a\nscope: b\nrollback: c\n")
    } throws: { ($0 as? DocumentError)?.message.contains("'rollback'") == true }
  }

  @Test func survivesAnAliasBomb() {
    var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in 1...9 {
      let previous = "*a\(level - 1)"
      lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
    }
    #expect {
      try StructuredDocument.parse(lines.joined(separator: "\n"))
    } throws: { ($0 as? DocumentError)?.message.contains("aliases") == true }
  }

  @Test func survivesTenThousandLevelsOfNesting() {
    let flow = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    #expect(throws: DocumentError.self) { try StructuredDocument.parse("deep: " + flow) }
    let block = (0..<10_000).map { _ in "- " }.joined() + "x"
    #expect(throws: DocumentError.self) { try StructuredDocument.parse(block) }
  }

  @Test func refusesAHugeDocumentWithoutReadingIt() {
    // One byte over the 4 MiB limit is as refused as 55 MB, at a fraction of the cost.
    let huge =
      String(repeating: "k: v\n", count: (4 << 20) / 5) + String(repeating: "#", count: (4 << 20) % 5 + 1)
    #expect(huge.utf8.count == (4 << 20) + 1)
    #expect {
      try StructuredDocument.parse(huge)
    } throws: { ($0 as? DocumentError)?.message.contains("KiB") == true }
  }
}
