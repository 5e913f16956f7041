import Foundation
import TestSupport

/// A fenced block of a Markdown guide. The fence line says what the test does with it:
/// ```` ```sh ```` runs and must exit 0, ```` ```sh exit=1 ```` must exit 1,
/// ```` ```text output ```` is an excerpt the block before must print, and
/// any other block (```` ```text ````, ```` ```yaml ````) is for reading only.
struct DocBlock: Sendable, CustomStringConvertible {
  let file: String
  /// The line of the opening fence, 1-based.
  let line: Int
  let language: String
  let attributes: [String: String]
  let code: String

  var description: String { "\(file):\(line)" }
  var runs: Bool { language == "sh" }
  var isOutput: Bool { language == "text" && attributes["output"] != nil }
  var expectedStatus: Int32 { attributes["exit"].flatMap { Int32($0) } ?? 0 }

  /// The fence attributes the test understands; anything else is a typo.
  static let knownAttributes: [String: Set<String>] = ["sh": ["exit"], "text": ["output"]]

  /// Splits Markdown into its fenced blocks (fences at the start of a line, three backticks).
  static func parse(_ markdown: String, file: String) -> [DocBlock] {
    var blocks: [DocBlock] = []
    var open: (line: Int, info: [Substring])?
    var body: [Substring] = []
    for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      guard line.hasPrefix("```") else {
        if open != nil { body.append(line) }
        continue
      }
      if let fence = open {
        var attributes: [String: String] = [:]
        for word in fence.info.dropFirst() {
          let pair = word.split(separator: "=", maxSplits: 1)
          attributes[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        blocks.append(
          DocBlock(
            file: file, line: fence.line, language: fence.info.first.map(String.init) ?? "",
            attributes: attributes, code: body.joined(separator: "\n")))
        open = nil
        body = []
      } else {
        open = (index + 1, line.dropFirst(3).split(separator: " "))
      }
    }
    return blocks
  }

  /// Whether `output` shows this excerpt: each of its lines matches a line of the output, in
  /// order, where `…` stands for any text. Returns the first line that did not match.
  func unmatchedLine(in output: String) -> String? {
    var remaining = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }[...]
    for expected in code.split(separator: "\n") {
      let wanted = expected.trimmingCharacters(in: .whitespaces)
      if wanted.isEmpty { continue }
      let pattern =
        "^"
        + wanted.components(separatedBy: "…").map(NSRegularExpression.escapedPattern(for:)).joined(
          separator: ".*") + "$"
      guard let regex = try? NSRegularExpression(pattern: pattern) else { return wanted }
      guard
        let found = remaining.firstIndex(where: {
          regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil
        })
      else { return wanted }
      remaining = remaining[(found + 1)...]
    }
    return nil
  }
}

/// The root of the package, for the files under `docs/`.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

extension CLI {
  /// Whether `promptgate <path> --help` is that subcommand's own help. For an unknown subcommand
  /// ArgumentParser prints the top-level help and exits 0, so the usage line is what tells.
  static func hasSubcommand(_ path: [String]) throws -> Bool {
    let help = try run(path + ["--help"])
    return help.status == 0 && help.stdout.contains("USAGE: promptgate \(path.joined(separator: " "))")
  }
}
