import Foundation
import PromptgateCore
import Testing

/// YAMLReader (through ``StructuredDocument/parse(_:limits:)``) against the Yams-based reader it
/// replaced (``YamsOracle``, temporary): the same values at the same places, the same errors.
@Suite struct YAMLReaderTests {
  @Test func agreesWithYamsOnTheRepositorysOwnDocuments() throws {
    let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let documents = try Self.documents(under: root, skipping: [".build", ".git"])
    #expect(documents.count > 150)
    for (name, text) in documents {
      #expect(Self.readByBoth(text) == nil, "\(name)")
    }
  }

  /// Run with PROMPTGATE_YAML_CORPUS=<folder> to compare every YAML, JSON and Markdown front
  /// matter under that folder too (other projects' prompts and policies).
  @Test(.enabled(if: ProcessInfo.processInfo.environment["PROMPTGATE_YAML_CORPUS"] != nil))
  func agreesWithYamsOnAnOutsideCorpus() throws {
    let folder = try #require(ProcessInfo.processInfo.environment["PROMPTGATE_YAML_CORPUS"])
    let documents = try Self.documents(under: URL(filePath: folder), skipping: [])
    var disagreements = 0
    for (name, text) in documents {
      if let difference = Self.readByBoth(text) {
        disagreements += 1
        Issue.record("\(name): \(difference)")
      }
    }
    print("YAMLReaderTests: compared \(documents.count) documents, \(disagreements) disagree")
  }

  @Test(arguments: Self.edgeCases)
  func agreesWithYamsOnEdgeCases(_ text: String) {
    #expect(Self.readByBoth(text) == nil)
    #expect(Self.readByBoth(text, limits: .init(maxNodes: 12, maxDepth: 3)) == nil)
  }

  @Test func agreesWithYamsOnRandomDocuments() {
    // Fragments that meet in every way YAML allows and many it does not, seeded to be repeatable.
    let fragments = [
      "a", "b", "1", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "[", "]", "{", "}", ", ", "&x ", "*x",
      "&y ", "*y", "? ", "!!str ", "!t ", "'q'", "\"d\\0\"", "#c", "|\n  l\n", ">-\n  f\n", "---\n",
      "...\n", "\t", "<<: ", "~", "\"", "'",
    ]
    var generator = SplitMix(seed: 2024)
    var stoppedEarly = 0
    for _ in 0..<20_000 {
      let count = Int(generator.next() % 24) + 1
      let text = (0..<count).map { _ in fragments[Int(generator.next() % UInt64(fragments.count))] }.joined()
      #expect(Self.readByBoth(text) == nil)
      #expect(Self.readByBoth(text, limits: .init(maxNodes: 6, maxDepth: 30)) == nil)
      // With two levels allowed, the reader stops where a third opens; Yams read on, and may
      // have found a later mistake to report first. Any other difference is a failure.
      let shallow = StructuredDocument.Limits(maxNodes: 6, maxDepth: 2)
      if Self.readByBoth(text, limits: shallow) != nil {
        stoppedEarly += 1
        #expect(Self.stopsEarlier(text, limits: shallow), "\(Self.readByBoth(text, limits: shallow) ?? "")")
      }
    }
    #expect(stoppedEarly < 1000)
  }

  /// True when the reader refused `text` past the depth limit at a place before the error Yams
  /// reported further on.
  static func stopsEarlier(_ text: String, limits: StructuredDocument.Limits) -> Bool {
    guard
      case .failure(let new) = Result(catching: { () throws(DocumentError) in
        try StructuredDocument.parse(text, limits: limits)
      }),
      case .failure(let old) = Result(catching: { () throws(DocumentError) in
        try YamsOracle.parse(text, limits: limits)
      }),
      let stop = new.location, let later = old.location
    else { return false }
    let refusals = ["nests deeper than", "has a key that is not a plain value", "expands to more than"]
    return refusals.contains { new.message.hasPrefix($0) }
      && (stop.line, stop.column) < (later.line, later.column)
  }

  @Test func survivesAnAliasBombLikeYams() {
    var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in 1...9 {
      lines.append(
        "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]")
    }
    let bomb = lines.joined(separator: "\n")
    #expect(Self.readByBoth(bomb) == nil)
    #expect(Self.readByBoth(bomb + "\nafter: [unclosed") == nil, "syntax comes before the budget")
    #expect(Self.readByBoth(bomb + "\nz: 1\nz: 2") == nil, "a repeated key comes before the budget")
  }

  /// Nesting is refused at the limit, with no recursion: on a thread with a 512 KiB stack (a
  /// secondary thread's default is 8 MiB on Linux, 512 KiB on macOS), a million levels are read.
  @Test(arguments: [10_000, 1_000_000])
  func refusesDeepNestingOnASmallStack(levels: Int) {
    let flow = "deep: " + String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
    let block = String(repeating: "- ", count: levels) + "x"
    let maps =
      String(repeating: "{a: ", count: levels / 10) + "x" + String(repeating: "}", count: levels / 10)
    for text in [flow, block, maps] {
      let outcome = Self.onStack(of: 512 << 10) { () -> Result<StructuredValue?, DocumentError> in
        do throws(DocumentError) { return .success(try StructuredDocument.parse(text)) } catch {
          return .failure(error)
        }
      }
      guard case .failure(let error) = outcome else {
        Issue.record("\(levels) levels were read")
        continue
      }
      // Yams' copy of libyaml, which these tests link, refuses past 1000 levels counting what it
      // has scanned ahead; Debian's 0.2.5, which promptgate links, has no limit of its own.
      #expect(
        ["nests deeper than 200 levels", "nests deeper than libyaml's limit of 1000 levels"].contains(
          error.message))
    }
  }

  /// Where the reader means to differ from Yams, and why.
  @Test func differsFromYamsOnlyWhereYamsWasWorse() throws {
    // A repeated key that is not a scalar: Yams named it '<uncovertable>'; it is refused as any
    // key that is not a scalar is.
    let sequenceKeys = "? [a]\n: 1\n? [a]\n: 2\n"
    #expect(
      throws: DocumentError(
        message: "repeats the key '<uncovertable>'; keep one", location: .init(line: 1, column: 3))
    ) {
      try YamsOracle.parse(sequenceKeys)
    }
    #expect(
      throws: DocumentError(
        message: "has a key that is not a plain value; use a string key", location: .init(line: 1, column: 3))
    ) {
      try StructuredDocument.parse(sequenceKeys)
    }
    // Past the depth limit nothing more is read, so a later mistake is not reported: the depth is.
    let deepThenBroken = String(repeating: "[", count: 202) + String(repeating: "]", count: 202) + "\n: ]"
    #expect(
      throws: DocumentError(message: "nests deeper than 200 levels", location: .init(line: 1, column: 202))
    ) {
      try StructuredDocument.parse(deepThenBroken)
    }
    #expect((try? YamsOracle.parse(deepThenBroken)) == nil)
    // Past libyaml's 1000 levels, Yams' libyaml gave up first; the reader refuses at the limit.
    let veryDeep = String(repeating: "- ", count: 2000) + "x"
    #expect(
      throws: DocumentError(
        message: "nests deeper than libyaml's limit of 1000 levels", location: .init(line: 1, column: 1999))
    ) {
      try YamsOracle.parse(veryDeep)
    }
    #expect(
      throws: DocumentError(message: "nests deeper than 200 levels", location: .init(line: 1, column: 403))
    ) {
      try StructuredDocument.parse(veryDeep)
    }
  }

  @Test func repeatedKeysAreNamedInOrderAtTheFirstPlaceOfTheFirst() {
    #expect(
      throws: DocumentError(
        message: "repeats the key 'a', 'b'; keep one", location: .init(line: 2, column: 1))
    ) {
      try StructuredDocument.parse("b: 1\na: 1\nb: 2\na: 2\na: 3\n")
    }
    let many = (0..<40).map { "k\($0): \($0)" }.joined(separator: "\n") + "\nk7: again\nk3: again\n"
    #expect(Self.readByBoth(many) == nil)
    #expect(
      throws: DocumentError(
        message: "repeats the key 'k3', 'k7'; keep one", location: .init(line: 4, column: 1))
    ) {
      try StructuredDocument.parse(many)
    }
  }

  // MARK: - The corpus

  static let edgeCases: [String] = [
    "", " ", "\n", "# only a comment\n", "---", "---\n", "--- \n...\n", "...", "---\n---\n",
    "a: 1\n---\nb: 2\n", "a: 1\n...\n", "a: 1\n--- !!str\n", "---\na: 1\n---\n[unclosed",
    "\u{FEFF}a: 1\n", "a: \u{FEFF}b\n", "\u{FEFF}\u{FEFF}a: 1\n", "a: \"\u{FEFF}\u{FEFF}x\"\n",
    "a: \"\\uFEFFx\"\n",
    "- \u{FEFF}\n", "a: x\u{FEFF}\n", "a:\t1\n", "\ta: 1\n", "a:\n\t- 1\n", "a: b\r\nc: d\r\n",
    "a: |\r\n  x\r\n  y\r\n",
    String(decoding: [0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A], as: UTF8.self), "a: \"x\\0y\"\n", "a: x\u{0}y\n",
    "a: \u{1}\n", "a: \"\\u00e9\\U0001F600\"\n", "é: café\ne\u{301}: 2\n", "a: 'it''s'\n",
    // Scalars and their kinds.
    "temperature: 0.70\ncount: 12\nhex: 0x1F\noct: 0o17\nyes: no\nnull: ~\nq: \"12\"\ninf: -.inf\n",
    "a: |\n  keep\n\n", "a: |-\n  strip\n\n", "a: |+\n  keep\n\n\n", "a: >\n  fold\n  ed\n\n  p\n",
    "a: >-\n  x\n", "a: >+\n  x\n\n", "a: |2\n   indented\n", "a: |\n  x\n b: 1\n",
    "a: " + String(repeating: "long ", count: 50_000) + "\n",
    "a: \"" + String(repeating: "q", count: 100_000) + "\"\n",
    "- plain\n- 'single'\n- \"double\"\n- |\n  literal\n- >\n  folded\n- ! bang\n- !!str 1\n- !!int 1\n",
    "plain scalar at the root", "'quoted root'", "[1, 2, [3, {a: b}]]", "{a: [1, 2], b: {c: d}}",
    "{\"a\": {\"b\": [1, 2.5, \"x\", true, null]}}", "[a, b,]", "{a: 1,}", "[a: 1, b]", "{a, b: c}",
    "[? a : b]", "{? a}", "[?]", "[? ]", "{?}", "- ? a\n  : b\n", "? a\n", "? a\n? b\n: c\n",
    // Keys: scalars, tags, quotes, repeats.
    "a: 1\na: 2\n", "a: 1\n\"a\": 2\n", "a: 1\n'a': 2\n", "1: a\n\"1\": b\n", "!!str a: 1\na: 2\n",
    "!custom a: 1\na: 2\n", "!custom a: 1\n!custom a: 2\n", "!custom a: 1\n!other a: 2\n",
    "! a: 1\na: 2\n", "!<tag:yaml.org,2002:str> a: 1\na: 2\n", "!!int 1: a\n1: b\n", "? |\n  a\n: 1\na: 2\n",
    "b: 1\na: 1\nb: 2\na: 2\n", "x:\n  a: 1\n  a: 2\ny: [unclosed\n", "x: [unclosed\ny:\n  a: 1\n  a: 2\n",
    "outer:\n  inner: {a: 1, a: 2}\nouter: 3\n", "{a: 1, a: 2}", "[{a: 1}, {a: 1, a: 1}]",
    "? [a]\n: 1\n", "? {a: 1}\n: 2\n", "{[a]: 1}", "[a]: 1\n", "? [a]\n: 1\nb: 2\nb: 3\n",
    "? [a]\n: 1\nb: [unclosed\n", "? [a]\n: 1\n---\nb: 2\n", "? [&x a]\n: 1\nb: *x\n",
    "a: 1\n? - x\n  - y\n: 2\n", "x: &m {a: 1}\n? *m\n: 2\n", "x: &s [1]\n*s : 2\n",
    // Anchors and aliases.
    "a: &x 1\nb: *x\n", "a: &x 1\nb: *x\nc: &x 2\nd: *x\n", "a: &x [*x]\n", "a: &x 1\nb: &x [*x]\n",
    "a: *nope\n", "*nope", "&x a: 1\n*x : 2\n", "x: &k a\ny: {*k : 1, a: 2}\n",
    "x: &k a\ny: {a: 1, *k : 2}\n",
    "x: &k 'a'\ny: {a: 1, *k : 2}\n", "x: &k !t a\ny: {a: 1, *k : 2}\n", "&r [1, *r]",
    "base: &base {a: 1, b: 2}\nmerged:\n  <<: *base\n  c: 3\n", "<<: 1\n<<: 2\n",
    "a: &x {p: [1, 2, {q: r}]}\nb: *x\nc: [*x, *x]\nd: {e: *x}\n", "a: &x [[1]]\nb: [[*x]]\nc: [[[*x]]]\n",
    "a: &x [1, 2, 3]\nb: *x\nc: *x\nd: *x\ne: *x\n", "- &x [1, 2, 3, 4, 5]\n- *x\n- *x\n- [*x, *x]\n",
    "a: &x [1, 2]\nb: *x\nc: [1, 2, 3, 4, 5, 6, 7]\nd: [unclosed\n", "a: &x [1, 2]\nb: *x\nc: {q: 1, q: 2}\n",
    "&a a: &b b\n*a : *b\n", "a: &x\nb: *x\n", "- &x\n- *x\n",
    // Nesting near the limits of the small and the default budgets.
    "[[[[1]]]]", "[[[[[1]]]]]", "a:\n  b:\n    c:\n      d: 1\n", "- - - - - x\n",
    "{a: {b: {c: {d: {e: 1}}}}}",
    String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
    String(repeating: "[", count: 201) + String(repeating: "]", count: 201),
    String(repeating: "[", count: 201) + "x" + String(repeating: "]", count: 201),
    String(repeating: "[", count: 202) + String(repeating: "]", count: 202),
    String(repeating: "- ", count: 201) + "x", String(repeating: "- ", count: 202) + "x",
    "a: &x " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "\nb: "
      + String(repeating: "[", count: 60) + "*x" + String(repeating: "]", count: 60),
    // Syntax errors, with and without context.
    "a: [unclosed\n", "a: {unclosed\n", "a: 'unclosed\n", "a: \"unclosed\n", "a: b: c\n", "- a\nb: c\n",
    "a:\n  - b\n  c: d\n", "]", "}", ",", "a: @b\n", "a: `b\n", "%YAML 1.1\n---\na: 1\n",
    "%YAML 2.0\n---\na\n",
    "%TAG ! tag:example.com,2000:\n--- !foo\na: 1\n", "%FOO bar\n---\na\n", "!!str &a1 x", "&a &b x",
    "a: !<unclosed x\n", "a: !%ZZ x\n", "? : x\n", ": x\n", "a: 1\n b: 2\n", "- 1\n  - 2\n",
  ]

  // MARK: - Helpers

  /// Nil when both readers agree on `text`, values and every place included; else both answers.
  static func readByBoth(_ text: String, limits: StructuredDocument.Limits = .init()) -> String? {
    let new = render(
      Result { () throws(DocumentError) in try StructuredDocument.parse(text, limits: limits) })
    let old = render(Result { () throws(DocumentError) in try YamsOracle.parse(text, limits: limits) })
    return new == old ? nil : "\(String(reflecting: text).prefix(300))\n  new: \(new)\n  old: \(old)"
  }

  /// A value with every place in it, or an error with its place: `==` on values ignores places.
  static func render(_ outcome: Result<StructuredValue?, DocumentError>) -> String {
    switch outcome {
    case .success(nil): return "nothing"
    case .success(let value?): return render(value)
    case .failure(let error):
      return "error \(error.location.map(String.init(describing:)) ?? "-") \(error.message)"
    }
  }

  static func render(_ value: StructuredValue) -> String {
    switch value.content {
    case .scalar(let scalar):
      return "\(String(reflecting: scalar.text))(\(scalar.kind))@\(value.location)"
    case .list(let items):
      return "[\(items.map(render).joined(separator: ", "))]@\(value.location)"
    case .map(let entries):
      let rendered = entries.map { "\(String(reflecting: $0.key))@\($0.keyLocation): \(render($0.value))" }
      return "{\(rendered.joined(separator: ", "))}@\(value.location)"
    }
  }

  /// Every YAML and JSON file and every Markdown front matter under `folder`, by relative name.
  static func documents(under folder: URL, skipping: Set<String>) throws -> [(String, String)] {
    let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    var documents: [(String, String)] = []
    while let file = files?.nextObject() as? URL {
      if skipping.contains(file.lastPathComponent) {
        files?.skipDescendants()
        continue
      }
      guard ["yaml", "yml", "json", "md"].contains(file.pathExtension),
        let data = FileManager.default.contents(atPath: file.path)
      else { continue }
      let text = String(decoding: data, as: UTF8.self)
      let name = String(file.path.dropFirst(folder.path.count))
      if file.pathExtension == "md" {
        if let yaml = FrontMatter(splitting: text).yaml { documents.append((name, yaml)) }
      } else {
        documents.append((name, text))
      }
    }
    return documents
  }

  /// Runs `body` on a thread with a stack of `size` bytes and waits for it.
  static func onStack<T>(of size: Int, _ body: @escaping () -> T) -> T {
    var result: T?
    let job = StackJob { result = body() }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, size)
    let context = Unmanaged.passRetained(job)
    defer { context.release() }
    var thread = pthread_t()
    let started = pthread_create(
      &thread, &attributes,
      { raw in
        Unmanaged<StackJob>.fromOpaque(raw!).takeUnretainedValue().work()
        return nil
      }, context.toOpaque())
    precondition(started == 0, "no thread")
    pthread_join(thread, nil)
    return result!
  }
}

/// The work handed to a thread of a chosen stack size; the caller joins the thread before
/// reading results.
final class StackJob {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }
}
