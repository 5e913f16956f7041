import PromptgateCore
import Testing

@Suite struct GlobTests {
  @Test(arguments: [
    ("prompts/**", "prompts/a.md", true),
    ("prompts/**", "prompts/deep/er/a.md", true),
    ("prompts/**", "promptsx/a.md", false),
    ("prompts/**", "other/prompts/a.md", false),
    ("**/*.yaml", "policies/a.yaml", true),
    ("**/*.yaml", "a.yaml", true),
    ("policies/**/*.json", "policies/x.json", true),
    ("policies/**/*.json", "policies/a/b/x.json", true),
    ("policies/**/*.json", "policies/a/b/x.yaml", false),
    ("*.prompty", "a.prompty", true),
    ("*.prompty", "dir/a.prompty", false),
    ("prompts/?.md", "prompts/a.md", true),
    ("prompts/?.md", "prompts/ab.md", false),
    ("prompts/[ab].md", "prompts/b.md", true),
    ("prompts/[!ab].md", "prompts/b.md", false),
    ("prompts/[a-c]*.md", "prompts/cat.md", true),
    ("runbook.yaml", "runbook.yaml", true),
    (".promptgate/**", ".promptgate/gates/x.yaml", true),
    ("prompts/*", "prompts/deep/a.md", false),
  ])
  func matchesAsRunbooksExpect(_ pattern: String, _ path: String, _ expected: Bool) {
    #expect(Glob(pattern).matches(path) == expected)
  }

  @Test func classifiesByTheRunbookGlobsWithPromptsFirst() {
    let classifier = PathClassifier(prompts: ["ai/prompts/**", "**/*.prompty"], policies: ["ai/**"])
    #expect(classifier.kind(of: "ai/prompts/a.md") == .prompt)
    #expect(classifier.kind(of: "x/y.prompty") == .prompt)
    #expect(classifier.kind(of: "ai/safety.yaml") == .policy)
    #expect(classifier.kind(of: "README.md") == .other)
    #expect(PathClassifier().kind(of: "policies/a.rego") == .policy)
  }
}
