import ArgumentParser
import PromptgateCore

extension Promptgate {
  /// `promptgate export --env <env> --out <dir>`: the deployed release's files, a lock, a fallback.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract:
        "Write the release deployed in an environment, its release.json lock and its fallback bundle.",
      discussion: """
        Never writes outside --out: paths with `..`, `.git` in any case or control characters are \
        refused, symlinks are not followed and submodules are skipped, each with a warning. \
        release.json lists every file written with its SHA-256.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The environment whose deployed release to export.")
    var env: String

    @Option(help: ArgumentHelp("The folder to write into (new or empty).", valueName: "dir"))
    var out: String

    @Flag(help: "Replace an earlier export in --out.")
    var replace = false

    func run() throws {
      let repository = try global.openRepository()
      let (commit, result, notes) = try ReleaseExport.export(
        environment: env, in: repository, to: out, replace: replace)
      for note in notes { Output.warning(note) }
      for warning in result.warnings { Output.warning("\(warning.path): \(warning.message)") }
      if !global.quiet {
        print(
          "exported \(commit.id.short()) (\(env)): \(result.written.count) files into \(out), lock in \(out)/release.json"
        )
      }
    }
  }
}
