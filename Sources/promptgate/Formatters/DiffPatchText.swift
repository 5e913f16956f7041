import PromptgateCore

/// A patch's lines made safe to print, and fenced for Markdown.
enum DiffPatchText {
  /// The line as it is, or with its text after the `+`, `-` or space quoted as git quotes a
  /// path when it holds a control character: file content can then never move a terminal's
  /// cursor or forge a line of CI output.
  static func safeLine(_ line: Substring) -> String {
    let text = String(line)
    guard RepositoryText.safe(text) != text else { return text }
    guard let first = line.first, "+- ".contains(first) else { return RepositoryText.safe(text) }
    return String(first) + RepositoryText.safe(String(line.dropFirst()))
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
    let lines = patch.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(safeLine)
    return "<details><summary>\(summary)</summary>\n\n\(fence)diff\n" + lines.joined(separator: "\n")
      + "\n\(fence)\n\n</details>\n"
  }
}
