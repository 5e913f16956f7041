import ArgumentParser
import Foundation
import PromptgateCore

/// The command line: parses, runs one subcommand, and turns every failure into one line on
/// stderr and the exit code SPEC §6 names (2 for usage and input errors, not ArgumentParser's 64).
@main
struct Promptgate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "promptgate",
    abstract: "Gate, record and roll back releases of prompts and policies kept in git.",
    discussion: """
      Global options (-C, --no-color, --quiet) may come before or after the subcommand.
      Exit codes: 0 success, 1 blocked, 2 usage or input error, 3 conflict (safe to retry).
      """,
    version: "0.1.0",
    subcommands: [
      Init.self, Diff.self, Check.self, Approve.self, Approvals.self, Release.self, Status.self, History.self,
      Rollback.self, MarkBad.self, Export.self,
      Audit.self,
      Sync.self,
    ]
  )

  static func main() {
    let arguments = GlobalOptions.movingLeadingOptions(Array(CommandLine.arguments.dropFirst()))
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch let error as PromptgateError {
      Output.error(error.message)
      Foundation.exit(error.exitCode)
    } catch let error as ExitCode {
      Foundation.exit(error.rawValue)
    } catch {
      if exitCode(for: error) == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(2)
    }
  }
}
