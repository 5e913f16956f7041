import ArgumentParser
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

/// The command line: parses, runs one subcommand, and turns every failure into one line on
/// stderr and the exit code SPEC §6 names (2 for usage and input errors, not ArgumentParser's 64).
@main
struct Promptgate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "promptgate",
    abstract: "Gate, record and roll back releases of prompts and policies kept in git.",
    discussion: """
      Global options (-C, --no-color, --quiet, --pretty) may come before or after the subcommand.
      Exit codes: 0 success, 1 blocked, 2 usage or input error, 3 conflict (safe to retry).
      """,
    version: PromptgateVersion.current,
    subcommands: [
      Init.self, Diff.self, Check.self, Approve.self, Approvals.self, Release.self, Status.self, History.self,
      Rollback.self, MarkBad.self, Export.self,
      Audit.self, ReportCommand.self, Sync.self, Evidence.self, Metrics.self, Review.self,
    ]
  )

  static func main() {
    // `promptgate --version` alone prints what ArgumentParser would, without building the
    // command tree: that walk (reflection, protocol-conformance scans) was a third of its start-up.
    if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
      print(PromptgateVersion.current)
      return
    }
    MallocSettings.apply()
    let arguments = GlobalOptions.movingLeadingOptions(Array(CommandLine.arguments.dropFirst()))
    do {
      var command = try QuickParse.command(arguments) ?? parseAsRoot(arguments)
      try command.run()
    } catch let error as PromptgateError {
      Output.error(error.message)
      terminate(error.exitCode)
    } catch let error as ExitCode {
      terminate(error.rawValue)
    } catch {
      if exitCode(for: error) == .success {
        print(fullMessage(for: error))
        terminate(0)
      }
      // One line, as for every other bad input: what is wrong, and where the help is.
      var message = message(for: error).trimmingWhitespace
      if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
      let lines = message.split(separator: "\n").map { $0.trimmingWhitespace }
      let choices = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
      message = ([lines.first ?? ""] + (choices.isEmpty ? [] : [choices.joined(separator: ", ")]))
        .joined(separator: " ")
      let names = configuration.subcommands.map { $0._commandName }
      let help =
        arguments.first.flatMap { names.contains($0) ? "promptgate \($0) --help" : nil }
        ?? "promptgate --help"
      Output.error("\(message) (see \(help))")
      terminate(2)
    }
  }
}

/// Ends the process with `code` (the C library's `exit`, which `ParsableCommand.exit` hides
/// inside the command).
private func terminate(_ code: Int32) -> Never { exit(code) }
