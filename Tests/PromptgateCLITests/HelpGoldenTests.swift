import Foundation
import TestSupport
import Testing

/// Every command's `--help` as a golden file under Golden/help/: a change to what a user reads
/// shows in review. The commands come from `promptgate --help` itself, so a new command without
/// a golden file fails until one is recorded (`PROMPTGATE_RECORD_GOLDEN=1 swift test --filter
/// HelpGoldenTests`).
@Suite struct HelpGoldenTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Golden/help"
  ).path

  /// The subcommands a help text lists, from its SUBCOMMANDS section.
  static func subcommands(in help: String) -> [String] {
    guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
    return help[section.upperBound...].split(separator: "\n").compactMap { line in
      guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first,
        word.first?.isLetter == true, word != "See"
      else { return nil }
      return String(word)
    }
  }

  @Test func everyCommandsHelpMatchesItsGoldenFile() throws {
    let root = try CLI.run(["--help"])
    #expect(root.status == 0)
    var commands: [[String]] = [[]]
    for name in Self.subcommands(in: root.stdout) {
      commands.append([name])
      let help = try CLI.run([name, "--help"])
      commands += Self.subcommands(in: help.stdout).map { [name, $0] }
    }
    #expect(commands.contains(["audit", "verify"]), "nested commands are found: \(commands)")
    var files: [String] = []
    for command in commands {
      let result = try CLI.run(command + ["--help"])
      #expect(result.status == 0, "\(command)")
      let file = (["promptgate"] + command).joined(separator: "-") + ".txt"
      files.append(file)
      if let mismatch = try Golden.mismatch(result.stdout, golden: "\(Self.folder)/\(file)") {
        Issue.record(Comment(rawValue: mismatch))
      }
    }
    let recorded = try FileManager.default.contentsOfDirectory(atPath: Self.folder)
    #expect(Set(recorded) == Set(files), "golden files of commands that no longer exist")
  }
}
