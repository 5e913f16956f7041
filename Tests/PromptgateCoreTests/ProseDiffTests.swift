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
    let sections = MarkdownSections(text).sections
    #expect(
      sections.map(\.key) == [
        "(preamble)", "IDENTITY and PURPOSE", "IDENTITY and PURPOSE › STEPS",
        "IDENTITY and PURPOSE › Setext Title", "OUTPUT", "OUTPUT › Example", "OUTPUT › Example (2)",
      ])
    #expect(sections[0].units == ["Intro sentence one.", "Intro two!"])
    #expect(
      sections[2].units == [
        "- Read the input.", "- Think step by step.", "1. Numbered item", "```markdown", "# not a heading",
        "```",
      ])
    #expect(sections[3].units == ["| a | b |", "| 1 | 2 |"])
    #expect(sections[4].units.isEmpty)
    #expect(sections[2].line == 5)
  }

  @Test func windowsLineEndingsSplitLikeUnixOnes() {
    let sections = MarkdownSections("# A\r\nOne.\r\n\r\n# B\r\n- item\r\n").sections
    #expect(sections.map(\.key) == ["A", "B"])
    #expect(sections.map(\.units) == [["One."], ["- item"]])
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
