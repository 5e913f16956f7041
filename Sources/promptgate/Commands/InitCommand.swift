import ArgumentParser
import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Promptgate {
  /// `promptgate init`: a starter runbook and `.promptgate/`, leaving existing files alone.
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Write a starter runbook.yaml and .promptgate/ into the repository.",
      discussion: "Files that already exist are left as they are. Nothing is committed."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The service name to write into the runbook (default: the repository folder's name).")
    var service: String?

    func run() throws {
      let repository = try global.openRepository()
      guard let root = repository.workingDirectory else {
        throw PromptgateError.input(
          "\(repository.gitDirectory) is a bare repository; run init in a clone with a work tree")
      }
      let name = service ?? URL(fileURLWithPath: root).lastPathComponent
      for (path, text) in Starter.files(serviceName: name) {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: url.path) {
          if !global.quiet { print("kept     \(path) (it exists)") }
          continue
        }
        do {
          try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
          try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
          throw PromptgateError.input("cannot write \(url.path): \(FileError.reason(error))")
        }
        if !global.quiet { print("created  \(path)") }
      }
      if !global.quiet {
        print(
          "Next: edit runbook.yaml, add reviewers' keys to .promptgate/allowed_signers, commit, and run promptgate check."
        )
      }
    }
  }
}
