import ArgumentParser
import Git
import PromptgateCore

extension Promptgate {
  /// `promptgate export --env <env> --out <dir>`: the deployed release's files, a lock with its
  /// provenance, a fallback; `--verify <dir>` checks such a folder against the ledger.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract:
        "Write the release deployed in an environment, its release.json lock and its fallback bundle, "
        + "or verify such a folder.",
      discussion: """
        Never writes outside --out: paths with `..`, `.git` in any case or control characters are \
        refused, symlinks are not followed and submodules are skipped, each with a warning. \
        release.json lists every file written with its SHA-256, and under `provenance` the ledger \
        event that deployed the release (sequence, ledger commit, kind, time), who signed it (principal, \
        role, key fingerprint), whether it went in by an override (with the gates and the reason) and \
        the approvals that counted for it.

        --verify <dir> checks a folder written by export before a deploy step ships it: release.json \
        must name what the environment runs now (the ledger is verified first), list exactly the files \
        an export of that release holds with their SHA-256 as git stores them, and carry the ledger's \
        provenance; the folder must hold exactly those bytes and nothing else (symlinks are never \
        followed and are refused). Exits 0 with one line when it matches, 1 naming each problem, 2 when \
        the folder or its release.json cannot be read.
        """
    )

    /// Problems printed before the rest are only counted.
    static let problemsShown = 20

    @OptionGroup var global: GlobalOptions

    @Option(help: "The environment whose deployed release to export or verify against.")
    var env: String

    @Option(help: ArgumentHelp("The folder to write into (new or empty).", valueName: "dir"))
    var out: String?

    @Option(
      help: ArgumentHelp(
        "Check a folder written by export against the ledger instead of writing one.", valueName: "dir"))
    var verify: String?

    @Flag(help: "Replace an earlier export in --out.")
    var replace = false

    func validate() throws {
      switch (out, verify) {
      case (nil, nil):
        throw ValidationError("give --out <dir> to export, or --verify <dir> to check an export")
      case (.some, .some):
        throw ValidationError("--out writes an export and --verify checks one: give one of them")
      case (nil, .some) where replace:
        throw ValidationError("--replace goes with --out; --verify never writes")
      default:
        break
      }
    }

    func run() throws {
      let repository = try global.openRepository()
      if let verify {
        return try check(verify, in: repository)
      }
      guard let out else { return }
      let (commit, result, notes) = try ReleaseExport.export(
        environment: env, in: repository, to: out, replace: replace)
      for note in notes { Output.warning(note) }
      for warning in result.warnings { Output.warning("\(warning.path): \(warning.message)") }
      if !global.quiet {
        // The count is of the files the lock lists, as `--verify` counts them: not the lock itself.
        let files = result.written.count - 1
        print(
          "exported \(commit.id.short()) (\(env)): \(files) file\(files == 1 ? "" : "s") into \(out), lock in "
            + "\(out)/release.json")
      }
    }

    private func check(_ folder: String, in repository: Repository) throws {
      let verification = try ExportVerification.verify(folder, environment: env, in: repository)
      let style = global.style
      guard !verification.verified else {
        if !global.quiet {
          print(
            style.green("verified")
              + ": \(verification.files) file\(verification.files == 1 ? "" : "s") match "
              + "\(verification.commit.prefix(7)) deployed in \(env) (ledger #\(verification.sequence))")
        }
        return
      }
      let problems = verification.problems
      for problem in problems.prefix(Self.problemsShown) {
        print(style.red("✗ ") + problem)
      }
      if problems.count > Self.problemsShown {
        print("… and \(problems.count - Self.problemsShown) more")
      }
      print(
        style.red("not verified")
          + ": \(problems.count) problem\(problems.count == 1 ? "" : "s"); do not deploy \(verification.folder)"
      )
      throw ExitCode(1)
    }
  }
}
