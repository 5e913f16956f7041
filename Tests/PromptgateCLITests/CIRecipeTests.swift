import Foundation
import TestSupport
import Testing

/// The CI recipes in docs/ci/ are valid for the CI systems they are written for, as judged by
/// check-jsonschema's copies of GitHub's and GitLab's schemas (PyPI; `make test` installs it),
/// and every `promptgate` command they run exists with the flags and values they pass.
@Suite struct CIRecipeTests {
  static let recipes = [
    ("docs/ci/github-actions.yml", "vendor.github-workflows"), ("docs/ci/gitlab-ci.yml", "vendor.gitlab-ci"),
  ]

  private static func checkJSONSchema(_ schema: String, _ path: String) throws -> ProcessResult {
    let tool = try #require(
      which("check-jsonschema"), "make test installs check-jsonschema (scripts/setup.sh)")
    return try run(tool, ["--builtin-schema", schema, path], in: packageRoot.path)
  }

  @Test(arguments: recipes) func recipeIsValid(_ recipe: (String, String)) throws {
    let result = try Self.checkJSONSchema(recipe.1, recipe.0)
    #expect(result.status == 0, "\(recipe.0): \(result.stdout)\(result.stderr)")
  }

  /// The validator is not a rubber stamp: the same recipe with a job broken is refused.
  @Test(arguments: recipes) func validatorRefusesABrokenRecipe(_ recipe: (String, String)) throws {
    let text = try String(contentsOf: packageRoot.appendingPathComponent(recipe.0), encoding: .utf8)
    let broken = text.replacingOccurrences(of: "\n  script:", with: "\n  scrpit:")
      .replacingOccurrences(of: "\n    runs-on:", with: "\n    runs_on:")
    #expect(broken != text)
    let path = try makeTemporaryFolder(prefix: "promptgate-recipe") + "/broken.yml"
    try broken.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try Self.checkJSONSchema(recipe.1, path).status != 0)
  }

  /// What the issue asks of the recipes, read from the parsed YAML rather than its text.
  @Test func recipesCheckReleaseAndSync() throws {
    let github = try Self.facts("docs/ci/github-actions.yml")
    #expect(github.triggers.isSuperset(of: ["pull_request", "push"]))
    #expect(github.fetchDepths == ["0"], "every checkout fetches the full history")
    #expect(github.commands.contains { $0.contains("--format github") && $0.contains("check") })
    #expect(github.environments.contains("production"), "production waits for its protected environment")
    let gitlab = try Self.facts("docs/ci/gitlab-ci.yml")
    #expect(gitlab.gitDepth == "0")
    #expect(gitlab.junitReports == ["promptgate-junit.xml"])
    #expect(gitlab.commands.contains { $0.contains("--format junit > promptgate-junit.xml") })
    #expect(gitlab.manualJobs.contains("promptgate:production"))
    for recipe in [github, gitlab] {
      #expect(recipe.commands.contains { $0.contains("refs/promptgate/*") }, "the ledger is fetched")
      #expect(recipe.commands.contains { $0.hasPrefix("promptgate release HEAD --env staging") })
      #expect(recipe.commands.contains { $0.hasPrefix("promptgate release HEAD --env production") })
      #expect(recipe.commands.contains { $0.hasPrefix("promptgate sync --remote origin") })
    }
  }

  /// Every `promptgate ...` the recipes run names a subcommand the binary has, flags that
  /// subcommand's --help lists, and values among those it allows.
  @Test(arguments: recipes.map(\.0)) func recipeCommandsExist(_ recipe: String) throws {
    let invocations = try Self.facts(recipe).commands.compactMap(PromptgateInvocation.init)
    #expect(invocations.count >= 4)
    for invocation in invocations {
      let command = invocation.subcommands.first ?? ""
      let exists = try CLI.hasSubcommand(invocation.subcommands)
      #expect(exists, "\(recipe): `\(invocation.text)`: no such subcommand")
      guard exists else { continue }
      let help = try CLI.run(invocation.subcommands + ["--help"])
      for (flag, value) in invocation.options {
        let entry = Self.helpEntry(for: flag, in: help.stdout)
        #expect(entry != nil, "\(recipe): `\(invocation.text)`: \(flag) is not an option of \(command)")
        if let value, let allowed = entry.flatMap(Self.allowedValues) {
          #expect(
            allowed.contains(value),
            "\(recipe): `\(invocation.text)`: \(flag) \(value) is not one of \(allowed)")
        }
      }
    }
  }

  /// An option's entry in --help: its line and the indented lines after it.
  static func helpEntry(for flag: String, in help: String) -> String? {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    guard
      let start = lines.firstIndex(where: {
        $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map {
          $0 == flag || $0 == flag + ","
        }
          ?? false
      })
    else { return nil }
    var entry = [lines[start]]
    for line in lines[(start + 1)...] {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("-") { break }
      entry.append(line)
    }
    return entry.joined(separator: " ")
  }

  /// `(values: a, b, c; default: a)` in an option's help.
  static func allowedValues(_ entry: String) -> [String]? {
    guard let range = entry.range(of: "(values: ") else { return nil }
    let rest = entry[range.upperBound...]
    let end = rest.firstIndex(where: { $0 == ";" || $0 == ")" }) ?? rest.endIndex
    return rest[..<end].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }

  /// What a recipe does, read by Python's ruamel.yaml (check-jsonschema's own YAML reader).
  struct Facts: Decodable {
    let commands: [String]
    let triggers: Set<String>
    let fetchDepths: Set<String>
    let environments: Set<String>
    let gitDepth: String?
    let junitReports: [String]
    let manualJobs: Set<String>
  }

  static func facts(_ recipe: String) throws -> Facts {
    let script = """
      import sys, json
      from ruamel.yaml import YAML
      doc = YAML(typ="safe").load(open(sys.argv[1]))
      commands, depths, envs, junit, manual = [], set(), set(), [], set()
      def lines(script):
          for item in (script if isinstance(script, list) else [script]):
              commands.extend(l.strip() for l in str(item).replace("\\\\\\n", " ").splitlines()
                                if l.strip() and not l.strip().startswith("#"))
      def walk(node):
          if isinstance(node, dict):
              for key, value in node.items():
                  if key in ("run", "script", "before_script", "after_script"): lines(value)
                  if key == "fetch-depth": depths.add(str(value))
                  if key == "environment": envs.add(value if isinstance(value, str) else value["name"])
                  if key == "junit": junit.extend(value if isinstance(value, list) else [value])
                  walk(value)
          elif isinstance(node, list):
              for value in node: walk(value)
      walk(doc)
      for name, job in doc.items():
          for rule in (job.get("rules") or []) if isinstance(job, dict) else []:
              if rule.get("when") == "manual": manual.add(name)
      triggers = doc.get("on", doc.get(True, {}))
      print(json.dumps({"commands": commands, "triggers": sorted(triggers), "fetchDepths": sorted(depths),
          "environments": sorted(envs), "gitDepth": (doc.get("variables") or {}).get("GIT_DEPTH"),
          "junitReports": junit, "manualJobs": sorted(manual)}))
      """
    let python = try #require(which("python3"))
    let result = try run(python, ["-c", script, packageRoot.appendingPathComponent(recipe).path])
    guard result.status == 0 else { throw CIRecipeFailure(recipe: recipe, message: result.stderr) }
    return try JSONDecoder().decode(Facts.self, from: Data(result.stdout.utf8))
  }
}

struct CIRecipeFailure: Error, CustomStringConvertible {
  let recipe: String
  let message: String
  var description: String { "\(recipe): \(message)" }
}

/// A `promptgate ...` command in a shell line: its subcommand path (`audit verify`) and the
/// options it passes, each with the literal value after it (nil for a flag, or a shell variable).
struct PromptgateInvocation {
  let text: String
  let subcommands: [String]
  let options: [(String, String?)]

  init?(_ line: String) {
    let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let start = words.firstIndex(of: "promptgate") else { return nil }
    let operators: Set<String> = ["|", "||", "&&", ";", ">", ">>", "2>", "2>&1", "#"]
    let rest = words[(start + 1)...].prefix { !operators.contains($0) && !$0.hasPrefix(">") }
    text = (["promptgate"] + rest).joined(separator: " ")
    var subcommands: [String] = []
    var options: [(String, String?)] = []
    var index = rest.startIndex
    while index < rest.endIndex {
      let word = rest[index]
      index += 1
      if word.hasPrefix("-") {
        let name = String(word.split(separator: "=", maxSplits: 1)[0])
        var value: String? = word.contains("=") ? String(word.split(separator: "=", maxSplits: 1)[1]) : nil
        if value == nil, index < rest.endIndex, !rest[index].hasPrefix("-"), Self.takesValue(name) {
          value = rest[index]
          index += 1
        }
        options.append((name, value.flatMap { $0.contains("$") || $0.contains("\"") ? nil : $0 }))
      } else if options.isEmpty, subcommands.count < 2, word.first?.isLowercase == true,
        subcommands.first.map({ ["audit", "evidence"].contains($0) }) ?? true
      {
        subcommands.append(word)
      }
    }
    self.subcommands = subcommands
    self.options = options
  }

  /// Options that are flags take no value; every other option does.
  static func takesValue(_ name: String) -> Bool {
    !["--help", "--quiet", "-q", "--no-color", "--strict", "--dry-run", "--reject", "--replace"].contains(
      name)
  }
}
