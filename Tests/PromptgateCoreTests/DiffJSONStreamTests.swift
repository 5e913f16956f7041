import Foundation
import Testing

@testable import PromptgateCore

/// `diff --format json` writes each file straight to bytes; they must be the bytes JSONValue
/// prints for the same value (keys sorted, compact or indented), since the JSON is a contract.
@Suite struct DiffJSONStreamTests {
  /// A file with every field: a signer (principal and fingerprint), a revoked key, a weakening,
  /// a renamed and an edited section, escapes, empty arrays, and a patch.
  static let file = FileChange(
    path: "prompts/new \"name\".md", oldPath: "prompts/old\tname.md", status: .renamed, kind: .prompt,
    additions: 12, deletions: 3, binary: false, oldMode: "100644", newMode: "100755", similarity: 87,
    oldID: "1111111111111111111111111111111111111111", newID: "2222222222222222222222222222222222222222",
    changes: [
      SemanticChange(
        kind: .signer, change: .added, path: "alice@example.com ops SHA256:abc", new: "namespaces"),
      SemanticChange(kind: .revokedKey, change: .removed, path: "SHA256:def"),
      SemanticChange(
        kind: .key, change: .changed, path: "a.b", old: "1", new: "2", weakens: "more \\ people"),
      SemanticChange(kind: .variable, change: .added, path: "order_id"),
    ],
    sections: [
      SectionChange(change: .renamed, path: ["A", "B"], oldPath: ["A", "C"], units: 2, items: []),
      SectionChange(
        change: .changed, path: [], oldPath: nil, units: 5,
        items: [
          .init(
            change: .changed, old: "The customer.", new: "The client.", excerpt: "The [-customer-]{+client+}."
          ),
          .init(change: .added, old: nil, new: "Line\nbreak \u{1}", excerpt: nil),
        ]),
    ],
    notes: ["symlink", "é ✓"])

  @Test(arguments: [nil, "@@ -1 +1 @@\n-a\n+b\n"])
  func aFileReadsAsJSONValuePrintsIt(patch: String?) throws {
    var compact = JSONStream(pretty: false)
    Self.file.writeJSON(patch: patch, to: &compact)
    let value = try JSONValue(parsing: compact.bytes)
    #expect(compact.bytes == value.canonical)
    #expect(value["patch"]?.string == patch)
    #expect(value["changes"]?.array?.first?["principal"]?.string == "alice@example.com ops")
    #expect(value["changes"]?.array?[1]["fingerprint"]?.string == "SHA256:def")

    var pretty = JSONStream(pretty: true)
    Self.file.writeJSON(patch: patch, to: &pretty)
    #expect(String(decoding: pretty.bytes, as: UTF8.self) + "\n" == value.pretty)
  }

  /// Strings are scanned eight bytes at a time: an escape at any offset, next to UTF-8, is found.
  @Test func aStringIsEscapedWhereverItsSpecialBytesFall() throws {
    let escapes: [(String, String)] = [
      ("\"", "\\\""), ("\\", "\\\\"), ("\n", "\\n"), ("\t", "\\t"), ("\u{1}", "\\u0001"),
      ("\u{1F}", "\\u001f"), ("\u{7F}", "\u{7F}"), ("é", "é"), (" ", " "),
    ]
    for (character, escaped) in escapes {
      for offset in 0..<20 {
        let text =
          String(repeating: "a", count: offset) + character + "é" + String(repeating: "b", count: 19 - offset)
        let expected =
          "\"" + String(repeating: "a", count: offset) + escaped + "é"
          + String(repeating: "b", count: 19 - offset) + "\""
        #expect(JSONValue.string(text).canonicalString == expected, "\(offset) \(escaped)")
      }
    }
  }

  @Test func anEmptyFileListAndObjectsCloseOnTheirLine() throws {
    var out = JSONStream(pretty: true, level: 1)
    out.openObject()
    out.key("a")
    out.openArray()
    out.closeArray()
    out.key("b")
    out.openArray()
    out.integer(1)
    out.closeArray()
    out.closeObject()
    #expect(
      String(decoding: out.take(), as: UTF8.self) == "{\n    \"a\": [],\n    \"b\": [\n      1\n    ]\n  }")
    #expect(out.bytes.isEmpty)
  }
}
