import Foundation
import TestSupport
import Testing

/// One JSON convention for every command (docs/schemas/README.md): compact on one line by
/// default, indented with the global `--pretty`, the same values either way, snake_case names
/// and keys in a stable (sorted) order.
@Suite struct JSONConventionTests {
  /// Every key of `value`, at any depth, with where it was found.
  static func keys(_ value: Any, at path: String = "") -> [(path: String, key: String)] {
    if let object = value as? [String: Any] {
      return object.flatMap { key, sub in [(path, key)] + keys(sub, at: "\(path)/\(key)") }
    }
    if let array = value as? [Any] { return array.enumerated().flatMap { keys($1, at: "\(path)/\($0)") } }
    return []
  }

  @Test func everyCommandsJSONIsCompactOrPrettyAndSnakeCase() throws {
    let fixture = try ApprovalFixture.baseInStaging()
    // The head's prompt-review is not approved: check exits 1 (blocked), and prints its JSON.
    let blocked = [
      ["check", fixture.head, "--base", fixture.base, "--format", "json"],
      ["check", fixture.head, "--base", fixture.base, "--format", "sarif"],
    ]
    let commands: [[String]] =
      blocked + [
        ["diff", fixture.base, fixture.head, "--format", "json"],
        ["status", "--format", "json"],
        ["approvals", fixture.base, "--env", "staging", "--format", "json"],
        ["history", "--env", "staging", "--format", "json"],
        ["report", "--format", "json"],
        ["audit", "verify", "--format", "json"],
        ["audit", "log", "--format", "json"],
        ["evidence", "list", "--format", "json"],
      ]
    for command in commands {
      let compact = try CLI.run(["-C", fixture.path] + command)
      let pretty = try CLI.run(["-C", fixture.path] + command + ["--pretty"])
      // --pretty is global: before the subcommand too, as -C is.
      let leading = try CLI.run(["--pretty", "-C", fixture.path] + command)
      let status: Int32 = blocked.contains(command) ? 1 : 0
      #expect(
        compact.status == status && pretty.status == status, "\(command): \(compact.stderr)\(pretty.stderr)")
      #expect(compact.stdout.hasSuffix("}\n") || compact.stdout.hasSuffix("]\n"), "\(command)")
      #expect(
        compact.stdout.dropLast().split(separator: "\n").count == 1, "\(command) prints one line by default")
      // An empty list (no evidence recorded) is `[]` either way.
      if compact.stdout != "[]\n" {
        #expect(pretty.stdout.split(separator: "\n").count > 2, "\(command) --pretty indents")
        #expect(
          pretty.stdout.contains("\n  ") && !pretty.stdout.contains("\t"), "\(command) --pretty indents")
        // One layout for every command: `"key": value`, empty containers on one line.
        #expect(!pretty.stdout.contains("\" : ") && !pretty.stdout.contains("[\n\n"), "\(command)")
      }
      #expect(leading.stdout == pretty.stdout, "\(command)")
      let one = try JSONSerialization.jsonObject(with: Data(compact.stdout.utf8))
      let other = try JSONSerialization.jsonObject(with: Data(pretty.stdout.utf8))
      #expect(
        try JSONSerialization.data(withJSONObject: one, options: [.sortedKeys])
          == JSONSerialization.data(withJSONObject: other, options: [.sortedKeys]),
        "\(command): the same values compact and --pretty")
      // Stable order: the same run twice prints the same bytes, keys sorted.
      #expect(try CLI.run(["-C", fixture.path] + command).stdout == compact.stdout, "\(command)")
      if command.last != "sarif" {
        let camel = Self.keys(one).filter { $0.key.contains(where: \.isUppercase) }
        #expect(camel.isEmpty, "\(command) prints snake_case names only: \(camel.prefix(3))")
      }
    }
    // A key order a reader can rely on: sorted, as in `status`'s first object.
    let status = try CLI.run(["-C", fixture.path, "status", "--format", "json", "--pretty"])
    let topLevel = status.stdout.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
      String($0.dropFirst(3).prefix { $0 != "\"" })
    }
    #expect(topLevel.count > 2 && topLevel == topLevel.sorted(), "\(topLevel)")
  }
}
