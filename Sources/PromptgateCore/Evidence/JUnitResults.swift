#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// JUnit XML as test runners write it (`conftest test --output junit`, pytest, go-junit-report,
/// policy test runners such as kyverno's where they write JUnit...): a `<testsuites>` root of `<testsuite>`s,
/// or one `<testsuite>`, each holding `<testcase>`s that may carry `<failure>`, `<error>` or
/// `<skipped>`. The totals a suite states (`tests`, `failures`, `errors`, `skipped`) must match
/// the test cases it holds. Read with ``XMLReader``, which refuses a document type declaration,
/// so no entity can expand or reach outside the file.
enum JUnitResults {
  static func summary(of bytes: [UInt8], file: String) throws(EvidenceFileError) -> EvidenceSummary {
    var reader = Reader(file: file)
    do {
      try XMLReader.read(bytes) { reader.take($0) }
    } catch {
      if error.reason.containsLiteral("document type") {
        throw EvidenceFileError(
          file, "declares a document type: a JUnit report has none, and promptgate expands no XML entities")
      }
      if let lie = reader.problem { throw lie }
      let cut = error.truncated ? "; the report was cut short" : ""
      throw EvidenceFileError(
        file, at: "line \(error.line), column \(error.column)",
        "is not well-formed XML (\(error.reason)\(cut)); run the tests again")
    }
    if let lie = reader.problem { throw lie }
    guard let root = reader.root else { throw EvidenceFileError(file, "holds no XML element") }
    guard root == "testsuites" || root == "testsuite" else {
      throw EvidenceFileError(
        file, at: "line 1", "has a <\(root)> root, not JUnit's <testsuites> or <testsuite>")
    }
    let total = reader.total
    return EvidenceSummary(
      format: .junit, tool: nil, toolVersion: nil, suites: max(1, reader.suites), tests: total.tests,
      passed: total.tests - total.failures - total.errors - total.skipped,
      failed: total.failures + total.errors, skipped: total.skipped,
      durationMilliseconds: reader.seconds.map { Int(($0 * 1000).rounded()) })
  }

  /// What a suite counted from its test cases.
  struct Counts {
    var tests = 0
    var failures = 0
    var errors = 0
    var skipped = 0

    mutating func add(_ other: Counts) {
      tests += other.tests
      failures += other.failures
      errors += other.errors
      skipped += other.skipped
    }
  }

  /// Counts test cases per suite as the parser goes, and checks each suite's stated totals when
  /// it closes.
  struct Reader {
    let file: String
    var root: String?
    var suites = 0
    var total = Counts()
    private var rootSeconds: Double?
    private var suiteSeconds: Double?
    var seconds: Double? { rootSeconds ?? suiteSeconds }
    var problem: EvidenceFileError?
    /// Open suites (and the `<testsuites>` root): their stated totals, line and counts so far.
    private var open: [(attributes: [String: String], line: Int, counts: Counts)] = []
    /// The outcome of the open test case: failure, error or skipped.
    private var outcome: String?
    private var inCase = false
    private static let rank = ["skipped": 0, "failure": 1, "error": 2]

    init(file: String) { self.file = file }

    mutating func take(_ event: XMLEvent) {
      switch event {
      case .start(let name, let attributes, let line): start(name, attributes, line: line)
      case .end(let name): end(name)
      }
    }

    private mutating func start(_ name: String, _ attributes: [String: String], line: Int) {
      let time = attributes["time"].flatMap(Double.init)
      if root == nil {
        root = name
        if name == "testsuites" {
          open.append((attributes, line, Counts()))
          rootSeconds = time
        }
      }
      if name == "testsuite" {
        suites += 1
        open.append((attributes, line, Counts()))
        // The run's duration: the root's time, else the top-level suites' times added up.
        if open.count == (root == "testsuites" ? 2 : 1), let time {
          suiteSeconds = (suiteSeconds ?? 0) + time
        }
      } else if name == "testcase" {
        inCase = true
        outcome = nil
      } else if inCase, let rank = Self.rank[name] {
        // The worst outcome counts once: an error over a failure over a skip.
        if rank > (outcome.flatMap { Self.rank[$0] } ?? -1) { outcome = name }
      }
    }

    private mutating func end(_ name: String) {
      switch name {
      case "testcase":
        inCase = false
        guard !open.isEmpty else { return }
        var counts = Counts(tests: 1)
        switch outcome {
        case "failure": counts.failures = 1
        case "error": counts.errors = 1
        case "skipped": counts.skipped = 1
        default: break
        }
        open[open.count - 1].counts.add(counts)
      case "testsuite", "testsuites":
        guard name == "testsuite" || open.count == 1, let suite = open.popLast() else { return }
        check(suite.attributes, counted: suite.counts, line: suite.line, element: name)
        if open.isEmpty {
          if name == "testsuite" || root == "testsuite" { total.add(suite.counts) }
          if name == "testsuites" { total = suite.counts }
        } else {
          open[open.count - 1].counts.add(suite.counts)
        }
      default:
        break
      }
    }

    /// A suite's stated totals must be what its test cases say.
    private mutating func check(_ attributes: [String: String], counted: Counts, line: Int, element: String) {
      guard problem == nil else { return }
      // A suite's name comes from the tests' own names, which a pull request writes: quoted as git
      // quotes a path when it holds a control character, so a message cannot drive a terminal.
      let label =
        attributes["name"].map { name in
          let quoted = RepositoryText.safe(name)
          return "<\(element) name=\(quoted == name ? "\"\(name)\"" : quoted)>"
        } ?? "<\(element)>"
      let pairs = [
        ("tests", counted.tests), ("failures", counted.failures), ("errors", counted.errors),
        ("skipped", counted.skipped),
      ]
      for (key, value) in pairs {
        guard let text = attributes[key] ?? (key == "skipped" ? attributes["disabled"] : nil) else {
          continue
        }
        guard let stated = Int(text.trimmingWhitespace), stated >= 0 else {
          problem = EvidenceFileError(
            file, at: "line \(line), \(label) \(key)",
            "is \"\(RepositoryText.safe(text))\", not a whole number")
          return
        }
        if stated != value {
          problem = EvidenceFileError(
            file, at: "line \(line), \(label) \(key)",
            "says \(stated), but it holds \(value) such test case\(value == 1 ? "" : "s"): its totals do not "
              + "match its test cases (an edited or spliced report)")
          return
        }
      }
    }
  }
}
