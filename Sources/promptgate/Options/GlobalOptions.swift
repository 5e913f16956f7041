import ArgumentParser
import Git
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Options every subcommand takes (SPEC §6).
struct GlobalOptions: ParsableArguments {
  @Option(name: .customShort("C"), help: ArgumentHelp("Run in this repository.", valueName: "path"))
  var repository: String = "."

  @Flag(help: "Never colour the output (NO_COLOR does the same).")
  var noColor = false

  @Flag(name: [.customLong("quiet"), .customShort("q")], help: "Print only results and errors.")
  var quiet = false

  @Flag(help: "Indent JSON output for people to read (it is compact, one line, by default).")
  var pretty = false

  /// Opens the repository named by -C, or the one around the working directory.
  func openRepository() throws(PromptgateError) -> Repository {
    try RepositoryLookup.open(at: repository)
  }

  /// The terminal style for stdout: colour only on a terminal, never with --no-color or NO_COLOR.
  var style: Style {
    Style(color: !noColor && isatty(STDOUT_FILENO) == 1 && Style.environmentAllowsColor)
  }

  /// Moves global options written before the subcommand (`promptgate -C repo diff a b`, as git
  /// users type) to the end, after every subcommand name, where ArgumentParser looks for them.
  static func movingLeadingOptions(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var rest = arguments[...]
    while let first = rest.first {
      if first == "-C", rest.count >= 2 {
        leading += rest.prefix(2)
        rest = rest.dropFirst(2)
      } else if first.hasPrefix("-C"), first.count > 2 {
        leading.append(first)
        rest = rest.dropFirst()
      } else if ["--no-color", "--quiet", "-q", "--pretty"].contains(first) {
        leading.append(first)
        rest = rest.dropFirst()
      } else {
        break
      }
    }
    guard !leading.isEmpty, !rest.isEmpty, !rest.contains("--") else { return arguments }
    return Array(rest) + leading
  }
}
