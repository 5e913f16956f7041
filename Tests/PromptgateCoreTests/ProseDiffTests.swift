import PromptgateCore
import Testing

/// Markdown prompts cut into sections and compared by meaning.
@Suite struct ProseDiffTests {
  @Test func sectionsByHeadingPathSkippingCodeFences() {
    let text = """
      Intro sentence one. Intro two!

      # IDENTITY and PURPOSE
      You are an expert.
      ## STEPS
      - Read the input.
      - Think
        step by step.
      1. Numbered item

      ```markdown
      # not a heading
      ```
      Setext Title
      ------------
      | a | b |
      |---|---|
      | 1 | 2 |
      # OUTPUT ##
      ***
      ## Example
      x
      ## Example
      y
      """
    let document = MarkdownSections(text)
    let sections = document.sections
    #expect(
      sections.map(\.key) == [
        "(preamble)", "IDENTITY and PURPOSE", "IDENTITY and PURPOSE › STEPS",
        "IDENTITY and PURPOSE › Setext Title", "OUTPUT", "OUTPUT › Example", "OUTPUT › Example (2)",
      ])
    #expect(document.texts(sections[0]) == ["Intro sentence one.", "Intro two!"])
    #expect(
      document.texts(sections[2]) == [
        "- Read the input.", "- Think step by step.", "1. Numbered item", "```markdown", "# not a heading",
        "```",
      ])
    #expect(document.texts(sections[3]) == ["| a | b |", "| 1 | 2 |"])
    #expect(sections[4].units.isEmpty)
    #expect(sections[2].line == 5)
  }

  @Test func windowsLineEndingsSplitLikeUnixOnes() {
    let document = MarkdownSections("# A\r\nOne.\r\n\r\n# B\r\n- item\r\n")
    #expect(document.sections.map(\.key) == ["A", "B"])
    #expect(document.sections.map(document.texts) == [["One."], ["- item"]])
  }

  @Test func addedRemovedMovedRenamedAndEditedSections() {
    let old = """
      # A
      Keep this. Change the tone here.
      # B
      Bravo text.
      # C
      Charlie text.
      # D
      Delta text.
      # Gone
      Old text.
      """
    let new = """
      # A
      Keep this. Change the voice here. A new sentence.
      # C
      Charlie text.
      # B
      Bravo text.
      # D2
      Delta text.
      # New
      New text.
      """
    let changes = ProseDiff.changes(old: old, new: new)
    #expect(
      changes == [
        SectionChange(
          change: .changed, path: ["A"], oldPath: nil, units: 3,
          items: [
            .init(
              change: .changed, old: "Change the tone here.", new: "Change the voice here.",
              excerpt: "Change the [-tone-]{+voice+} here."),
            .init(change: .added, old: nil, new: "A new sentence.", excerpt: nil),
          ]),
        SectionChange(change: .moved, path: ["B"], oldPath: nil, units: 1, items: []),
        SectionChange(change: .renamed, path: ["D2"], oldPath: ["D"], units: 1, items: []),
        SectionChange(change: .added, path: ["New"], oldPath: nil, units: 1, items: []),
        SectionChange(change: .removed, path: ["Gone"], oldPath: nil, units: 1, items: []),
      ])
  }

  @Test func excerptKeepsFourWordsAroundEachChange() {
    let old = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen."
    let new = "one two three four five six SEVEN eight nine ten eleven twelve thirteen fourteen."
    #expect(
      ProseDiff.excerpt(old, new) == "… three four five six [-seven-]{+SEVEN+} eight nine ten eleven …")
  }

  @Test func unrelatedSentencesAreRemovedAndAddedNotPaired() {
    let changes = ProseDiff.changes(old: "# S\nThe cat sat.\n", new: "# S\nDogs bark loudly at night.\n")
    #expect(changes.first?.items.map(\.change) == [.removed, .added])
  }

  @Test func aBodyBelowFrontMatterIsComparedBySection() {
    let old = "---\nversion: 1.0.0\n---\n# Task\nSummarise {{ text }}.\n"
    let new = "---\nversion: 1.0.0\n---\n# Task\nSummarise {{ text }} briefly.\n"
    let semantics = FileSemantics.prompt(path: "prompts/s.prompt.md", old: old, new: new)
    #expect(semantics.changes.isEmpty)
    #expect(semantics.sections.map(\.change) == [.changed])
    #expect(semantics.sections.first?.items.first?.excerpt == "Summarise {{ text }} {+briefly+}.")
  }
}

/// The word diff reads ASCII as bytes with integer ids and everything else by Character; both
/// must give what comparing Swift strings gives, and no shape of input may cost more than its
/// size.
@Suite struct ProseWordDiffTests {
  @Test func excerptsAreThoseOfAPlainStringWordDiff() {
    var generator = SplitMix(seed: 1414)
    let vocabulary = [
      "the", "customer", "client", "order", "it's", "don't", "_x_", "_", "'", "snake_case", "42", "3.14",
      "e.g.", "U.S.", "(paren)", "**bold**", "`code`", "{{ var }}", "--", "a\tb", "naïve", "café",
      "cafe\u{301}", "\u{212A}", "K", "日本語", "👍🏽", "¿qué?", "x\u{300}y", "½", "\u{00A0}",
    ]
    for round in 0..<600 {
      // Half the pairs are ASCII only, read byte by byte; the rest by Character.
      let words = round % 2 == 0 ? Array(vocabulary.prefix(20)) : vocabulary
      let old = (0..<Int.random(in: 1...30, using: &generator)).map { _ in
        words[Int.random(in: 0..<words.count, using: &generator)]
      }
      var new = old
      for _ in 0..<Int.random(in: 1...6, using: &generator) {
        let index = Int.random(in: 0..<new.count, using: &generator)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: new[index] = words[Int.random(in: 0..<words.count, using: &generator)]
        case 1 where new.count > 1: new.remove(at: index)
        case 2: new[index] += "  "
        default: new.insert(words[Int.random(in: 0..<words.count, using: &generator)], at: index)
        }
      }
      let before = old.joined(separator: " ") + "."
      let after = new.joined(separator: " ") + "."
      #expect(
        ProseDiff.excerpt(before, after) == ReferenceExcerpt.excerpt(before, after), "\(before) → \(after)")
    }
  }

  @Test func wordsAreComparedAsSwiftStrings() {
    // "é" as one scalar or two, and the Kelvin sign, are the same text to a reader.
    #expect(
      ProseDiff.changes(old: "# S\nA café at 0 K.\n", new: "# S\nA cafe\u{301} at 0 \u{212A}.\n").isEmpty)
    let changes = ProseDiff.changes(
      old: "# S\nThe café at 0 K is open.\n", new: "# S\nThe cafe\u{301} at 0 \u{212A} is closed.\n")
    #expect(changes.first?.items.map(\.excerpt) == ["… at 0 \u{212A} is [-open-]{+closed+}."])
  }

  @Test func aSentenceEqualAsTextIsUnchangedWhateverItsBytes() {
    // Units are compared as bytes first: "Why;" and "Why" + U+037E (a Greek question mark,
    // canonically a semicolon) differ in bytes, and one of them is ASCII.
    #expect(ProseDiff.changes(old: "# S\nWhy; because.\n", new: "# S\nWhy\u{37E} because.\n").isEmpty)
    #expect(
      ProseDiff.changes(old: "# S\nWhy; because.\n", new: "# S\nWhy: because.\n").first?.items.map(\.excerpt)
        == ["Why[-;-]{+:+} because."])
  }

  @Test func aHeadingThatSpellsOutAnotherKeyStillHasItsOwn() {
    let old = "# Example\nA.\n# Example\nB.\n# Example (2)\nC.\n"
    let document = MarkdownSections(old)
    #expect(document.sections.map(\.key) == ["Example", "Example (2)", "Example (2) (2)"])
    let changes = ProseDiff.changes(old: old, new: old.replacingOccurrences(of: "C.", with: "C changed."))
    #expect(changes.map(\.path) == [["Example (2)"]])
    #expect(changes.first?.items.map(\.excerpt) == ["C {+changed+}."])
  }

  @Test func aLongLineAgainstManyShortOnesIsAddedAndTheyAreRemoved() {
    let short = (0..<300).map { "step \($0) of the run" }
    let long = (0..<3000).map { "word\($0 % 17)" }.joined(separator: " ")
    let old = "# S\n```\n" + short.joined(separator: "\n") + "\n```\n"
    let new = "# S\n```\n" + long + "\n" + short.map { $0 + " again" }.joined(separator: "\n") + "\n```\n"
    let items = ProseDiff.changes(old: old, new: new).first?.items ?? []
    // Pairs are tried in order, and the long line comes first: no short line shares half its
    // words with it, so none is paired. (The long line is read once, not once a try: a
    // megabyte line against 10,000 short ones took 12 s of CPU when it was read for each.)
    #expect(items.filter { $0.change == .removed }.map(\.old) == short)
    #expect(items.filter { $0.change == .added }.map(\.new) == [long] + short.map { $0 + " again" })
    #expect(items.count == 601)
  }
}

/// The word diff as it was first written, on Swift strings: the oracle the fast one must match.
private enum ReferenceExcerpt {
  struct Token {
    let text: String
    var space = ""
  }

  static func words(_ text: String) -> [Token] {
    var tokens: [Token] = []
    var current = ""
    var currentIsWord = false
    var space = ""
    func closeSpace() {
      if !space.isEmpty, !tokens.isEmpty { tokens[tokens.count - 1].space = space }
      space = ""
    }
    for character in text {
      let isSpace = character.isWhitespace
      let isWord = character.isLetter || character.isNumber || character == "_" || character == "'"
      if isSpace {
        if !current.isEmpty {
          tokens.append(Token(text: current))
          current = ""
        }
        space.append(character)
      } else if isWord, currentIsWord, !current.isEmpty {
        current.append(character)
      } else {
        if !current.isEmpty { tokens.append(Token(text: current)) }
        closeSpace()
        current = String(character)
        currentIsWord = isWord
      }
    }
    if !current.isEmpty { tokens.append(Token(text: current)) }
    closeSpace()
    return tokens
  }

  static func excerpt(_ old: String, _ new: String) -> String {
    let a = words(old)
    let b = words(new)
    enum Piece {
      case same(Token)
      case changed(removed: [Token], added: [Token])
    }
    var pieces: [Piece] = []
    var removed: [Token] = []
    var added: [Token] = []
    func flush() {
      if !removed.isEmpty || !added.isEmpty { pieces.append(.changed(removed: removed, added: added)) }
      removed = []
      added = []
    }
    for operation in LineDiff.operations(from: a.map(\.text), to: b.map(\.text)) {
      switch operation {
      case .equal(_, let index):
        flush()
        pieces.append(.same(b[index]))
      case .delete(let index): removed.append(a[index])
      case .insert(let index): added.append(b[index])
      }
    }
    flush()
    let wordIndexes = pieces.indices.filter { index in
      if case .same(let token) = pieces[index] { return token.text.contains { $0.isLetter || $0.isNumber } }
      return false
    }
    var keep = [Bool](repeating: false, count: pieces.count)
    for index in pieces.indices {
      guard case .changed = pieces[index] else { continue }
      keep[index] = true
      let before = wordIndexes.filter { $0 < index }.suffix(4)
      let after = wordIndexes.filter { $0 > index }.prefix(4)
      for covered in (before.first ?? index)...(after.last ?? index) { keep[covered] = true }
    }
    let isWord = Set(wordIndexes)
    var runStart: Int?
    for index in pieces.indices.reversed() + [-1] {
      if index >= 0, !keep[index] {
        runStart = runStart ?? index
        continue
      }
      if let end = runStart, !((index + 1)...end).contains(where: isWord.contains) {
        for covered in (index + 1)...end { keep[covered] = true }
      }
      runStart = nil
    }
    var out = ""
    var skipping = false
    for index in pieces.indices {
      guard keep[index] else {
        skipping = true
        continue
      }
      if skipping {
        out += out.isEmpty ? "… " : (out.last == " " ? "… " : " … ")
        skipping = false
      }
      switch pieces[index] {
      case .same(let token): out += token.text + token.space
      case .changed(let removed, let added):
        func marked(_ tokens: [Token], _ open: String, _ close: String) -> String {
          guard let last = tokens.last else { return "" }
          return open + tokens.dropLast().map { $0.text + $0.space }.joined() + last.text + close
        }
        out += marked(removed, "[-", "-]") + marked(added, "{+", "+}")
        out += (added.last ?? removed.last)?.space ?? ""
      }
    }
    if skipping { out += out.last == " " ? "…" : " …" }
    var slice = out[...]
    while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
    while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
    return String(slice)
  }
}
