import Foundation
import PromptgateCore
import TestSupport
import Testing

/// `diff` writes a large change out as its files are read, a batch at a time on two threads
/// (``ReleaseDiffReader``): every file must still come out once, in git's order (or grouped by
/// kind, in text), with its own counts, and the JSON must be the very bytes of the whole document.
@Suite struct LargeDiffTests {
  /// 600 changed files, more than two batches: prompts, policies and other files, modified,
  /// added, deleted and renamed.
  static func largeChange() throws -> (scratch: ScratchRepository, base: String, head: String) {
    let scratch = try ScratchRepository()
    for number in 0..<220 {
      try scratch.write(
        "prompts/team-\(number % 7)/p\(number).md",
        "---\nmodel: gpt-4o\ntemperature: 0.\(number % 9 + 1)\n---\n# Task\n\nAnswer ticket \(number) for {{ name }}.\n"
          + (0..<20).map { "- rule \($0) of prompt \(number)\n" }.joined())
      try scratch.write("policies/p\(number).yaml", "limits:\n  max_tokens: \(800 + number)\n  retries: 2\n")
      try scratch.write("zdocs/d\(number).txt", (0..<30).map { "line \($0) of doc \(number)\n" }.joined())
    }
    let base = try scratch.commit("base")
    for number in 0..<220 {
      switch number % 11 {
      case 0: try scratch.remove("zdocs/d\(number).txt")
      case 1:
        try scratch.remove("policies/p\(number).yaml")
        try scratch.write(
          "policies/moved/p\(number).yaml", "limits:\n  max_tokens: \(800 + number)\n  retries: 2\n")
      case 2: try scratch.write("zdocs/new\(number).txt", "a new file \(number)\n")
      default:
        try scratch.write(
          "zdocs/d\(number).txt",
          (0..<30).map { "line \($0) of doc \(number)\($0 == 5 ? "!" : "")\n" }.joined())
      }
      try scratch.write(
        "prompts/team-\(number % 7)/p\(number).md",
        "---\nmodel: gpt-4o\ntemperature: 0.\((number + 1) % 9 + 1)\n---\n# Task\n\nAnswer ticket \(number) for {{ customer }}.\n"
          + (0..<20).map { "- rule \($0) of prompt \(number)\($0 == number % 20 ? " (changed)" : "")\n" }
          .joined())
      if number % 11 != 1 {
        try scratch.write(
          "policies/p\(number).yaml", "limits:\n  max_tokens: \(900 + number)\n  retries: 2\n")
      }
    }
    let head = try scratch.commit("head")
    return (scratch, base, head)
  }

  @Test func everyFileOnceInGitsOrderWithItsOwnCounts() throws {
    let (scratch, base, head) = try Self.largeChange()
    let expected = try NameStatus.git(scratch.path, base, head)
    #expect(expected.count > 2 * ReleaseDiffReader.batchSize)
    #expect(try NameStatus.promptgate(scratch.path, base, head) == expected)

    // Each file's line counts are git's: no file took another's result across the threads.
    let numstat = try run("/usr/bin/git", ["-C", scratch.path, "diff", "--numstat", "-M", base, head])
    let files = try #require(try CLI.diffJSON(["-C", scratch.path, base, head])["files"] as? [[String: Any]])
    let counts = files.map { "\($0["additions"] as? Int ?? -1)\t\($0["deletions"] as? Int ?? -1)" }
    let gitCounts = numstat.stdout.split(separator: "\n").map {
      $0.split(separator: "\t").prefix(2).joined(separator: "\t")
    }
    #expect(counts == gitCounts)
    // And its own semantic changes: each prompt's temperature, old → new.
    for file in files where (file["path"] as? String)?.hasPrefix("prompts/") == true {
      let number = try #require(
        Int((file["path"] as? String ?? "").split(separator: "/p").last?.dropLast(3) ?? ""))
      let changes = try #require(file["changes"] as? [[String: Any]])
      let temperature = try #require(changes.first { $0["path"] as? String == "temperature" })
      #expect(
        temperature["old"] as? String == "0.\(number % 9 + 1)"
          && temperature["new"] as? String == "0.\((number + 1) % 9 + 1)")
    }

    // With --patch, the patches joined are git's whole patch.
    let patched = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "json", "--patch"])
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(patched.stdout.utf8)) as? [String: Any])
    let patches = try #require(document["files"] as? [[String: Any]]).map { $0["patch"] as? String ?? "?" }
    let gitPatch = try run("/usr/bin/git", ["-C", scratch.path, "diff", "-M", base, head]).stdout
    #expect(patches.joined() == gitPatch)
  }

  @Test func theJSONIsTheWholeDocumentsBytesCompactAndPretty() throws {
    let (scratch, base, head) = try Self.largeChange()
    let compact = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "json"])
    let pretty = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "json", "--pretty"])
    #expect(compact.status == 0 && pretty.status == 0, "\(compact.stderr)\(pretty.stderr)")
    // Written a file at a time, the bytes are those of the document written whole: keys
    // sorted, one line, or JSONValue's two-space layout.
    let document = try JSONValue(parsing: Array(compact.stdout.utf8))
    #expect(compact.stdout == document.canonicalString + "\n")
    #expect(pretty.stdout == document.pretty)
    #expect(try JSONValue(parsing: Array(pretty.stdout.utf8)) == document)
  }

  @Test func textGroupsEveryKindAcrossBatches() throws {
    let (scratch, base, head) = try Self.largeChange()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let files = try #require(try CLI.diffJSON(["-C", scratch.path, base, head])["files"] as? [[String: Any]])
    var listed: [String: [String]] = [:]
    var headings: [String] = []
    var group = ""
    for line in lines {
      if let heading = line.firstMatch(of: /^(prompts|policies|other files) \((\d+)\)$/) {
        group = String(heading.1)
        headings.append(line)
        listed[group] = []
      } else if line.hasPrefix("  "), !line.hasPrefix("   "),
        let name = line.split(separator: " ").dropFirst().first
      {
        listed[group, default: []].append(String(name))
      }
    }
    // Each group under its heading, in the diff's order, as many as the heading says.
    for (group, kind) in [("prompts", "prompt"), ("policies", "policy"), ("other files", "other")] {
      let expected = files.filter { $0["kind"] as? String == kind }.map {
        ($0["old_path"] as? String) ?? ($0["path"] as? String ?? "?")
      }
      #expect(listed[group] == expected, "\(group)")
    }
    let counts = ["prompt", "policy", "other"].map { kind in files.count { $0["kind"] as? String == kind } }
    #expect(headings == ["prompts (\(counts[0]))", "policies (\(counts[1]))", "other files (\(counts[2]))"])
    let totals = files.reduce((0, 0)) {
      ($0.0 + ($1["additions"] as? Int ?? 0), $0.1 + ($1["deletions"] as? Int ?? 0))
    }
    #expect(
      lines.contains("\(files.count) files changed, \(totals.0) insertions(+), \(totals.1) deletions(-)"))
  }

  @Test func statThenPatchesAndMarkdownListEveryFile() throws {
    let (scratch, base, head) = try Self.largeChange()
    // `--stat --patch` as git prints it: the stat, then every patch.
    let stat = try CLI.run(["-C", scratch.path, "diff", base, head, "--stat", "--patch"])
    let git = try run("/usr/bin/git", ["-C", scratch.path, "diff", "--stat", "--patch", "-M", base, head])
    #expect(stat.status == 0, "\(stat.stderr)")
    #expect(stat.stdout == git.stdout)

    let markdown = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "markdown"])
    let rows = markdown.stdout.split(separator: "\n").filter {
      $0.hasPrefix("| added |") || $0.hasPrefix("| modified |") || $0.hasPrefix("| deleted |")
        || $0.hasPrefix("| renamed |")
    }
    let expected = try NameStatus.git(scratch.path, base, head)
    #expect(rows.count == expected.count)
    // Every prompt's section (its temperature and variables), after the table.
    let sections = markdown.stdout.components(separatedBy: "\n### `prompts/")
    #expect(sections.count == 221)
    #expect(
      sections.dropFirst().allSatisfy {
        $0.contains("`temperature`") && $0.contains("variable `{{ customer }}` added")
      })
  }

  @Test func aBlobThatCannotBeReadPrintsOnlyTheError() throws {
    let scratch = try ScratchRepository()
    for name in ["a", "b", "c"] {
      try scratch.write("prompts/\(name).md", "---\nversion: 1\n---\nHi \(name)\n")
    }
    let base = try scratch.commit("base")
    for name in ["a", "b", "c"] {
      try scratch.write("prompts/\(name).md", "---\nversion: 2\n---\nHi \(name)\n")
    }
    let head = try scratch.commit("head")
    let blob = try scratch.git("rev-parse", "\(head):prompts/b.md").trimmingCharacters(
      in: .whitespacesAndNewlines)
    try FileManager.default.removeItem(
      atPath: "\(scratch.path)/.git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
    for format in ["json", "text", "markdown"] {
      let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", format])
      // Not half a document: nothing on stdout, one line on stderr naming the file.
      #expect(result.status == 2, "\(format)")
      #expect(result.stdout.isEmpty, "\(format): \(result.stdout)")
      #expect(result.stderr.contains("cannot read 'prompts/b.md'"), "\(format): \(result.stderr)")
    }
  }
}
