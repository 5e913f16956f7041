import Foundation
import PromptgateCore
import TestSupport
import Testing

/// The guides in docs/guides/ run as written: each guide's ```` ```sh ```` blocks, in order, as a
/// new user would paste them into one terminal — in a fresh folder, with a fresh HOME, the built
/// promptgate first on PATH and nothing else from this machine. Each block runs under
/// `bash -euo pipefail`; the working folder and exported variables carry over to the next block.
/// The convention is described in docs/guides/README.md.
@Suite struct GuideTests {
  static let guides = ["ci-maintainer.md", "ai-operations-engineer.md", "reviewer.md", "service-manager.md"]

  static func blocks(of guide: String) throws -> [DocBlock] {
    let path = packageRoot.appendingPathComponent("docs/guides/\(guide)").path
    return DocBlock.parse(try String(contentsOfFile: path, encoding: .utf8), file: "docs/guides/\(guide)")
  }

  @Test(arguments: guides) func guideRunsAsWritten(_ guide: String) throws {
    let blocks = try Self.blocks(of: guide)
    let runnable = blocks.filter(\.runs).count
    #expect(runnable > 0, "\(guide) has no sh block to run")
    let session = try GuideSession()
    var lastOutput: String?
    for block in blocks {
      if block.isOutput {
        // An excerpt of what the block before printed; skipped with it.
        guard let output = lastOutput else { continue }
        let missing = block.unmatchedLine(in: output)
        #expect(
          missing == nil,
          "\(block): the output above does not show `\(missing ?? "")`; it printed:\n\(output)")
        continue
      }
      guard block.runs else { continue }
      let result = try session.run(block.code)
      lastOutput = result.stdout
      #expect(
        result.status == block.expectedStatus,
        "\(block) exited \(result.status), the guide expects \(block.expectedStatus):\n\(block.code)\n---\n\(result.stdout)"
      )
    }
  }

  /// The fences say what the test does; a misspelt attribute would quietly change it, and a
  /// block expected to fail must say so where a reader sees it, not only on the fence line.
  @Test(arguments: guides) func fencesFollowTheConvention(_ guide: String) throws {
    for block in try Self.blocks(of: guide) {
      guard let known = DocBlock.knownAttributes[block.language] else {
        #expect(block.attributes.isEmpty, "\(block): attributes on a block that is only read")
        continue
      }
      for name in block.attributes.keys {
        #expect(known.contains(name), "\(block): unknown fence attribute `\(name)`")
      }
      if let status = block.attributes["exit"] {
        #expect(Int32(status) != nil && status != "0", "\(block): exit= takes the nonzero status expected")
        #expect(
          block.code.contains("exits \(status)"), "\(block): say `# exits \(status)` in the block itself")
      }
    }
  }

  /// The runner is honest: a failing command fails its block, output is compared, and state
  /// carries over from block to block as in one terminal.
  @Test func runnerCatchesFailuresAndKeepsState() throws {
    let session = try GuideSession()
    #expect(try session.run("false; echo not reached").status == 1)
    #expect(try session.run("echo $UNSET_VARIABLE").status != 0)
    #expect(try session.run("false | true").status == 1)
    #expect(try session.run("mkdir -p here && cd here && export CARRIED=yes").status == 0)
    let state = try session.run("echo \"$CARRIED in ${PWD##*/}\"; promptgate --version")
    #expect(state.status == 0)
    #expect(state.stdout == "yes in here\n\(PromptgateVersion.current)\n")
    let excerpt = DocBlock(file: "t", line: 1, language: "text", attributes: ["output": ""], code: "a…\n  c")
    #expect(excerpt.unmatchedLine(in: "abc\nb\nc\n") == nil)
    #expect(excerpt.unmatchedLine(in: "c\nabc\n") == "c")
  }
}

/// One reader's terminal: a scratch folder with its own HOME and TMPDIR, the built promptgate on
/// PATH, and a state file that carries the working folder and exported variables between blocks.
final class GuideSession {
  let root: String
  private let state: String
  private var environment: [String]

  init() throws {
    root = try makeTemporaryFolder(prefix: "promptgate-guide")
    state = "\(root)/state.sh"
    for folder in ["home", "tmp", "work"] {
      try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
    }
    // A reader who has set up git once; the guides set the identities their story needs.
    try "[user]\n\tname = Guide Reader\n\temail = reader@example.com\n".write(
      toFile: "\(root)/home/.gitconfig", atomically: true, encoding: .utf8)
    let bin = URL(fileURLWithPath: CLI.executable).deletingLastPathComponent().path
    environment = [
      "HOME=\(root)/home", "TMPDIR=\(root)/tmp", "PATH=\(bin):/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
      "TZ=UTC", "USER=reader", "TERM=dumb", "NO_COLOR=1", "GIT_CONFIG_NOSYSTEM=1",
    ]
    // Under the leak check the binary is sanitized: it needs the suppressions the check set.
    // Under `swift test --enable-code-coverage` it is instrumented: without the profile's path
    // it writes default.profraw into the guide's repository, a file the gates then see.
    let inherited = ProcessInfo.processInfo.environment
    environment += ["ASAN_OPTIONS", "LSAN_OPTIONS", "PROMPTGATE_SANITIZED", "LLVM_PROFILE_FILE"].compactMap {
      name in
      inherited[name].map { "\(name)=\($0)" }
    }
  }

  deinit {
    // An ssh-agent a guide started and did not stop is ended here, by its id.
    _ = try? TestSupport.run(
      "/bin/bash",
      [
        "-c", "[ -f \"$1\" ] && . \"$1\" && [ -n \"${SSH_AGENT_PID:-}\" ] && kill \"$SSH_AGENT_PID\"", "-",
        state,
      ])
    try? FileManager.default.removeItem(atPath: root)
  }

  /// Runs one block; stdout and stderr together, as a terminal shows them.
  func run(_ code: String) throws -> ProcessResult {
    let script = """
      cd "\(root)/work"
      [ -f "\(state)" ] && . "\(state)"
      trap 'status=$?; { printf "cd %q\\n" "$PWD"; export -p; } > "\(state)"; exit $status' EXIT
      exec 2>&1
      set -euo pipefail
      \(code)

      """
    let path = "\(root)/block.sh"
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    // Foundation's Process hands the test runner's blocked signals and ignored SIGPIPE on to the
    // child; a terminal does not (with SIGTERM blocked, `ssh-agent -k` cannot stop the agent).
    let cleanSignals =
      "sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die; $SIG{PIPE} = $SIG{INT} = 'DEFAULT'; exec @ARGV or die"
    return try TestSupport.run(
      "/usr/bin/env",
      ["-i"] + environment + ["/usr/bin/perl", "-MPOSIX", "-e", cleanSignals, "/bin/bash", path],
      in: "\(root)/work")
  }
}
