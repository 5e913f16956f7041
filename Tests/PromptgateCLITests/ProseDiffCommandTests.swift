import Foundation
import TestSupport
import Testing

/// `promptgate diff` on prose prompts: sections by heading path, changed sentences and items
/// with their words, `--patch` and `--stat` exactly as git prints them.
@Suite struct ProseDiffCommandTests {
  static let before = """
    # IDENTITY and PURPOSE

    You are an expert content summarizer. You take content in and output a Markdown formatted summary.

    # STEPS

    - Read the whole input carefully.
    - Extract the main points.

    # OUTPUT INSTRUCTIONS

    - Output a one-sentence summary.
    - Do not use bold or italics.

    # EXAMPLES

    Example text.

    # INPUT

    INPUT: {{ input }}

    """

  static let after = """
    # IDENTITY and PURPOSE

    You are an expert content summarizer. You take content in and output a concise Markdown summary.

    # OUTPUT INSTRUCTIONS

    - Output a one-sentence summary.
    - Do not use bold, italics or emoji.
    - Output at most 10 bullet points.

    # STEPS

    - Read the whole input carefully.
    - Extract the main points.

    # INPUT

    INPUT: {{ input }} for {{ audience }}

    """

  /// Two releases of a fabric-style pattern, plus a renamed prompt and a binary file.
  private func releases() throws -> (ScratchRepository, String, String) {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/summarize/system.md", Self.before)
    try scratch.write(
      "prompts/extract_wisdom/system.md", "# STEPS\n\n" + (1...12).map { "- Step \($0).\n" }.joined())
    try scratch.write("assets/logo.bin", Data([0, 1, 2, 3]))
    let base = try scratch.commit("base")
    try scratch.write("prompts/summarize/system.md", Self.after)
    try scratch.remove("prompts/extract_wisdom/system.md")
    try scratch.write(
      "prompts/wisdom/system.md", "# STEPS\n\n" + (1...12).map { "- Step \($0 == 12 ? 13 : $0).\n" }.joined())
    try scratch.write("assets/logo.bin", Data([0, 1, 2, 3, 4, 5]))
    let head = try scratch.commit("head")
    return (scratch, base, head)
  }

  @Test func textGolden() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    try DiffGolden.expect(result.stdout, matches: "diff-prose.txt")
  }

  @Test func markdownWithPatchGolden() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "markdown", "--patch"])
    #expect(result.status == 0)
    try DiffGolden.expect(result.stdout, matches: "diff-prose.md")
  }

  @Test func jsonGolden() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "json", "--pretty"])
    #expect(result.status == 0)
    try DiffGolden.expect(result.stdout, matches: "diff-prose.json")
  }

  @Test func patchIsGitsPatch() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "json", "--patch"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let files = try #require(json["files"] as? [[String: Any]])
    let ours = files.compactMap { $0["patch"] as? String }.sorted().joined()
    let git = try Self.git(scratch, ["-c", "core.abbrev=7", "diff", "-M", "--no-color", base, head])
    let gitFiles = git.components(separatedBy: "diff --git ").dropFirst().map { "diff --git " + $0 }.sorted()
    #expect(files.count == 3)
    #expect(ours == gitFiles.joined())
  }

  /// Added, deleted, executable, symlink, type change, empty file, no newline at the end,
  /// a path git quotes: every header git writes.
  @Test func patchHeadersOfEveryKindAreGits() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/gone.md", "bye\n")
    try scratch.write("prompts/run.sh", "echo hi\n")
    try scratch.write("prompts/typed.md", "was a file\n")
    try scratch.write("prompts/tail.md", "no newline")
    // A function line whose 80th byte is a space: git trims it from the hunk header.
    let function = "a" + String(repeating: "x", count: 78) + " tail of the line\n"
    let body = (1...10).map { "  line \($0)\n" }
    try scratch.write("prompts/code.md", function + body.joined())
    let base = try scratch.commit("base")
    try scratch.write(
      "prompts/code.md", function + body.prefix(8).joined() + "  changed\n" + body.suffix(1).joined())
    try scratch.remove("prompts/gone.md")
    try scratch.write("prompts/new.md", "hello\n")
    try scratch.write("prompts/empty.md", "")
    try scratch.write("prompts/naïve \"q\".md", "quoted\n")
    try scratch.write("prompts/tail.md", "no newline, still")
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: "\(scratch.path)/prompts/run.sh")
    try scratch.remove("prompts/typed.md")
    try FileManager.default.createSymbolicLink(
      atPath: "\(scratch.path)/prompts/typed.md", withDestinationPath: "new.md")
    try FileManager.default.createSymbolicLink(
      atPath: "\(scratch.path)/prompts/link", withDestinationPath: "run.sh")
    let head = try scratch.commit("head")
    let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--format", "json", "--patch"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let files = try #require(json["files"] as? [[String: Any]])
    let ours = files.compactMap { $0["patch"] as? String }.flatMap {
      $0.components(separatedBy: "diff --git ")
    }
    .filter { !$0.isEmpty }.sorted()
    let git = try Self.git(scratch, ["-c", "core.abbrev=7", "diff", "-M", "--no-color", base, head])
    let gitFiles = git.components(separatedBy: "diff --git ").filter { !$0.isEmpty }.sorted()
    #expect(ours.count == 10)
    #expect(ours == gitFiles, "ours:\n\(ours.joined())\ngit:\n\(git)")
  }

  @Test func statIsGitsStat() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--stat"])
    #expect(result.status == 0)
    let git = try Self.git(scratch, ["diff", "--stat=80", "-M", base, head])
    #expect(result.stdout == git)
  }

  @Test func statScalesAndShortensLikeGit() throws {
    let scratch = try ScratchRepository()
    let long = "prompts/" + String(repeating: "very-long-folder-name/", count: 4) + "system.md"
    try scratch.write(long, "a\n")
    try scratch.write("prompts/big.md", (1...300).map { "line \($0)\n" }.joined())
    try scratch.write("prompts/old name.md", (1...20).map { "keep \($0)\n" }.joined())
    // Latin-1: promptgate calls it binary, git counts its lines.
    try scratch.write(
      "prompts/latin1.txt", Data("caf\u{E9}\nna\u{EF}ve\n".unicodeScalars.map { UInt8($0.value) }))
    let base = try scratch.commit("base")
    try scratch.write(
      "prompts/latin1.txt", Data("caf\u{E9}\nna\u{EF}f\n".unicodeScalars.map { UInt8($0.value) }))
    try scratch.write(long, "b\n")
    try scratch.write(
      "prompts/big.md", (1...300).map { "line \($0 % 3 == 0 ? 0 : $0)\n" }.joined() + "more\n")
    try scratch.remove("prompts/old name.md")
    try scratch.write("prompts/renamed/new name.md", (1...20).map { "keep \($0)\n" }.joined() + "x\n")
    let head = try scratch.commit("head")
    let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--stat"])
    let git = try Self.git(scratch, ["diff", "--stat=80", "-M", base, head])
    #expect(result.stdout == git, "ours:\n\(result.stdout)\ngit:\n\(git)")
  }

  /// git's own output, untrimmed: the oracle.
  static func git(_ scratch: ScratchRepository, _ arguments: [String]) throws -> String {
    let result = try TestSupport.run(which("git") ?? "/usr/bin/git", ["-C", scratch.path] + arguments)
    #expect(result.status == 0, "git \(arguments): \(result.stderr)")
    return result.stdout
  }

  @Test func statWithJSONIsAUsageError() throws {
    let (scratch, base, head) = try releases()
    let result = try CLI.run(["-C", scratch.path, "diff", base, head, "--stat", "--format", "json"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--stat is for text and markdown"))
    #expect(result.stdout.isEmpty)
  }

  /// Many real prompts have Windows line endings: sections still split, and the patch is git's.
  @Test func windowsLineEndings() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/p.md", "# STEPS\r\n- Read it.\r\n\r\n# OUTPUT\r\nDo not repeat ideas.\r\n")
    let base = try scratch.commit("base")
    try scratch.write("prompts/p.md", "# STEPS\r\n- Read it.\r\n\r\n# OUTPUT\r\nDo not repeat insights.\r\n")
    let head = try scratch.commit("head")
    let text = try CLI.run(["-C", scratch.path, "diff", base, head, "--patch"])
    let git = try Self.git(scratch, ["diff", "-M", "--no-color", base, head])
    #expect(
      text.stdout.contains(
        "       ~ section OUTPUT\n           ~ Do not repeat [-ideas-]{+insights+}.\n\n" + git),
      "got:\n\(text.stdout)")
  }

  @Test func hostileContentInAPatchCannotDriveTheTerminalOrBreakTheFence() throws {
    let scratch = try ScratchRepository()
    try scratch.write("prompts/p.md", "# A\nplain\n")
    let base = try scratch.commit("base")
    try scratch.write("prompts/p.md", "# A\nplain\n\u{1B}[2J cleared\n````\n</details>\n")
    let head = try scratch.commit("head")
    let text = try CLI.run(["-C", scratch.path, "diff", base, head, "--patch"])
    #expect(!text.stdout.contains("\u{1B}"))
    #expect(text.stdout.contains(#"+"\033[2J cleared""#))
    // git's layout, the stat then the patches, quotes the same line the same way.
    let stat = try CLI.run(["-C", scratch.path, "diff", base, head, "--stat", "--patch"])
    #expect(!stat.stdout.contains("\u{1B}"))
    #expect(stat.stdout.contains(#"+"\033[2J cleared""#), "\(stat.stdout)")
    let markdown = try CLI.run(["-C", scratch.path, "diff", base, head, "--patch", "--format", "markdown"])
    #expect(markdown.stdout.contains("`````diff\n"))
    #expect(markdown.stdout.contains("+````\n+</details>\n`````\n\n</details>\n"))
  }
}

/// Golden files under Golden/: compared in full; `PROMPTGATE_UPDATE_GOLDEN=1` rewrites them (then
/// review the change in git).
enum DiffGolden {
  static func expect(
    _ actual: String, matches name: String, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Golden/\(name)")
    if ProcessInfo.processInfo.environment["PROMPTGATE_UPDATE_GOLDEN"] == "1" {
      try actual.write(to: golden, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(actual == expected, "\(name) differs; got:\n\(actual)", sourceLocation: sourceLocation)
  }
}
