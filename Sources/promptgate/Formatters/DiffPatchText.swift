import PromptgateCore

/// A patch's lines made safe to print, and fenced for Markdown.
enum DiffPatchText {
  /// The line as it is, or with its text after the `+`, `-` or space quoted as git quotes a
  /// path when it holds a control character: file content can then never move a terminal's
  /// cursor or forge a line of CI output.
  static func safeLine(_ line: some StringProtocol) -> String {
    // A file with Windows line endings keeps its carriage returns, as git prints them.
    var text = String(line)
    var ending = ""
    if text.utf8.last == UInt8(ascii: "\r") {
      text = String(decoding: text.utf8.dropLast(), as: UTF8.self)
      ending = "\r"
    }
    guard RepositoryText.safe(text) != text else { return text + ending }
    guard let first = text.unicodeScalars.first, "+- ".unicodeScalars.contains(first) else {
      return RepositoryText.safe(text) + ending
    }
    return String(first) + RepositoryText.safe(String(text.unicodeScalars.dropFirst())) + ending
  }

  /// The whole patch with every line made safe (``safeLine(_:)``): git's bytes wherever no line
  /// holds a control character.
  static func safe(_ patch: String) -> String {
    let lines = lines(patch).map(safeLine)
    return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }

  /// The patch's lines, split on "\n" alone ("\r\n" is one Character in Swift, so a split
  /// on Characters would join the lines of a file with Windows line endings).
  static func lines(_ patch: String) -> [String] {
    var lines = patch.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// A collapsed block holding the patch as a `diff` code block, for a pull-request comment; the
  /// fence is longer than any run of backticks in the patch, so content cannot close it.
  static func markdownBlock(_ patch: String, summary: String) -> String {
    var longest = 0
    var run = 0
    for character in patch {
      run = character == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    let lines = lines(patch).map(safeLine)
    return "<details><summary>\(summary)</summary>\n\n\(fence)diff\n" + lines.joined(separator: "\n")
      + "\n\(fence)\n\n</details>\n"
  }
}
