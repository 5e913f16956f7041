import Foundation

/// Issue 14's last figure: a 1 MiB Markdown prompt diffs in under 100 ms, even rewritten
/// throughout (`customer` → `client` on every line that says it: thousands of edited sentences,
/// each shown with its word-level excerpt), and a few small edits cost next to nothing.
///
/// The repository holds one prompt, `prompts/support.md`, in three commits tagged
/// `prose-base`, `prose-rewritten` and `prose-edited` (five lines of the rewrite edited).
struct ProseBenchmark {
  let folder: URL
  let git: String
  let environment: [String: String]

  static let rewrittenCase = "1 MiB prose prompt rewritten"
  static let editedCase = "1 MiB prose prompt, 5 lines edited"

  /// Bump when the generated content changes, so a cached repository is rebuilt.
  static let version = 1
  static let path = "prompts/support.md"
  static let tags = ["prose-base", "prose-rewritten", "prose-edited"]

  var repository: URL { folder.appendingPathComponent("prose.git") }
  private var marker: URL { folder.appendingPathComponent("prose.ready") }
  private var markerText: String { "promptgate-bench prose repository v\(Self.version)\n" }

  var isReady: Bool {
    (try? String(contentsOf: marker, encoding: .utf8)) == markerText
      && FileManager.default.fileExists(atPath: repository.path)
  }

  /// The two cases, on the repository (generated first if it is missing or outdated).
  func cases(regenerate: Bool, runs: Int, scratch: URL) throws(BenchError) -> [BenchmarkCase] {
    if regenerate || !isReady {
      print("generating the prose repository: a 1 MiB Markdown prompt in 3 commits...")
      try generate()
    }
    let ids = try resolve(Self.tags, in: repository, git: git, environment: environment, scratch: scratch)
    return [
      .diff(
        Self.rewrittenCase, repository: repository, base: ids[Self.tags[0]]!, head: ids[Self.tags[1]]!,
        runs: runs),
      .diff(
        Self.editedCase, repository: repository, base: ids[Self.tags[1]]!, head: ids[Self.tags[2]]!,
        runs: runs),
    ]
  }

  func generate() throws(BenchError) {
    let files = FileManager.default
    try? files.removeItem(at: marker)
    try? files.removeItem(at: repository)
    do {
      try files.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(folder.path, error.localizedDescription)
    }
    try runGit(["init", "--quiet", "--bare", "--initial-branch=main", repository.path])
    let streamPath = folder.appendingPathComponent("prose.fast-import").path
    defer { try? files.removeItem(atPath: streamPath) }

    var random = SeededRandom(seed: 14)
    let base = Self.prompt(bytes: 1 << 20, random: &random)
    let rewritten = base.replacingOccurrences(of: "customer", with: "client")
    var lines = rewritten.components(separatedBy: "\n")
    // Five small edits spread over the file: a word, a sentence added, a line gone.
    for (step, line) in stride(from: 97, to: lines.count, by: lines.count / 5).prefix(5).enumerated() {
      switch step % 3 {
      case 0: lines[line] = lines[line].replacingOccurrences(of: "the ", with: "a ")
      case 1: lines[line] += " Always check twice."
      default: lines[line] = ""
      }
    }
    let edited = lines.joined(separator: "\n")

    var stream = try FastImportStream(path: streamPath)
    var marks: [Int] = []
    for (index, (text, message)) in [
      (base, "A 1 MiB support prompt"), (rewritten, "Say client, not customer"), (edited, "Five small edits"),
    ].enumerated() {
      marks.append(try stream.commit(time: 1_704_067_200 + 3600 * index, message: message))
      try stream.modify(Self.path, text)
    }
    for (tag, mark) in zip(Self.tags, marks) { stream.reset("refs/tags/\(tag)", to: mark) }
    try stream.finish()
    try runGit(["-C", repository.path, "fast-import", "--quiet", "--done"], stdin: streamPath)
    do {
      try markerText.write(to: marker, atomically: true, encoding: .utf8)
    } catch {
      throw .cannotWrite(marker.path, error.localizedDescription)
    }
  }

  /// A Markdown prompt of at least `bytes` bytes in the shape of real ones: `# IDENTITY and
  /// PURPOSE`, `# STEPS` (a list), `# OUTPUT INSTRUCTIONS` (a numbered list), `# OUTPUT FORMAT`,
  /// `# EXAMPLES` (a subsection and a code block), `# INPUT`, over and over, in wrapped
  /// paragraphs of varied sentences.
  static func prompt(bytes: Int, random: inout SeededRandom) -> String {
    let subjects = [
      "the customer", "each customer", "the agent", "the reviewer", "the model", "the support team",
      "a customer", "the assistant",
    ]
    let verbs = [
      "reads", "summarises", "checks", "answers", "escalates", "records", "explains", "rewrites", "quotes",
      "compares",
    ]
    let objects = [
      "the customer's question", "the refund policy", "the order history", "the customer record",
      "every open ticket", "the shipping address", "the last three messages", "the tone of the reply",
      "the account status", "the customer's plan",
    ]
    let endings = [
      "before replying", "in plain language", "without guessing", "in at most three sentences",
      "and cites the source", "when the customer asks twice", "unless the customer opts out",
      "with the order number", "in the customer's language", "politely",
    ]
    func sentence() -> String {
      let words = [subjects, verbs, objects, endings].map { random.pick($0) }.joined(separator: " ")
      return words.prefix(1).uppercased() + words.dropFirst() + random.pick([".", ".", ".", "!", "?"])
    }
    func paragraph(_ sentences: Int) -> String {
      var lines: [String] = []
      var line = ""
      for word in (0..<sentences).map({ _ in sentence() }).joined(separator: " ").split(separator: " ") {
        if !line.isEmpty, line.count + word.count + 1 > 90 {
          lines.append(line)
          line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
      }
      return (lines + [line]).joined(separator: "\n")
    }
    var text = ""
    while text.utf8.count < bytes {
      let steps = (0..<Int.random(in: 4...8, using: &random)).map { _ in "- " + sentence() }
      let instructions = (1...Int.random(in: 3...6, using: &random)).map { "\($0). " + sentence() }
      let sections = [
        ("IDENTITY and PURPOSE", paragraph(Int.random(in: 3...7, using: &random))),
        ("STEPS", steps.joined(separator: "\n")),
        ("OUTPUT INSTRUCTIONS", instructions.joined(separator: "\n")),
        ("OUTPUT FORMAT", paragraph(Int.random(in: 3...7, using: &random))),
        (
          "EXAMPLES",
          "## Example\n\n" + paragraph(Int.random(in: 2...4, using: &random))
            + "\n\n```\ncustomer: where is my order {{ order_id }}?\n```"
        ),
        ("INPUT", paragraph(Int.random(in: 2...5, using: &random))),
      ]
      for (title, body) in sections { text += "# \(title)\n\n\(body)\n\n" }
    }
    return text
  }

  private func runGit(_ arguments: [String], stdin: String = "/dev/null") throws(BenchError) {
    let stderrPath = folder.appendingPathComponent("git-stderr.txt").path
    defer { try? FileManager.default.removeItem(atPath: stderrPath) }
    let result = try ChildProcess.run(
      git, arguments, environment: environment, stdin: stdin, stderr: stderrPath)
    try ChildProcess.requireSuccess(result, git, arguments, stderrPath: stderrPath)
  }
}

/// The prose cases: promptgate beside git on the 1 MiB prompt, and their goal.
func timeProse(
  options: BenchOptions, repos: URL, promptgate: String, git: String, environment: [String: String],
  scratch: URL
) throws(BenchError) {
  let prose = ProseBenchmark(folder: repos, git: git, environment: environment)
  let cases = try prose.cases(regenerate: options.regenerate, runs: options.runs, scratch: scratch)
  let runner = BenchmarkRunner(promptgate: promptgate, git: git, environment: environment, scratch: scratch)
  var results: [CaseResult] = []
  for benchmark in cases {
    print("timing: \(benchmark.name) (1 warm-up + \(benchmark.runs) runs each)")
    results.append(try runner.run(benchmark))
  }
  print("")
  print(ResultTable.render(results))
  print("")
  print(Goals.render(results))
}
