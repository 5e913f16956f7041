import PromptgateCore
import Testing

@Suite struct FileSemanticsTests {
  private let prompty = """
    ---
    name: billing
    version: 1.0.0
    model:
      api: chat
      configuration: { type: openai, name: gpt-4o-mini }
      parameters: { temperature: 0.7, max_tokens: 600 }
    inputs:
      customer_name: { type: string }
    ---
    system:
    Help {{ customer_name }} with {{question}}.
    """

  @Test func promptyFieldsAndVariables() {
    let changed =
      prompty
      .replacingOccurrences(of: "temperature: 0.7", with: "temperature: 0.2")
      .replacingOccurrences(of: "version: 1.0.0", with: "version: 1.1.0")
      .replacingOccurrences(of: "name: gpt-4o-mini", with: "name: gpt-4o")
      .replacingOccurrences(of: "{{question}}", with: "{{ topic | upper }} for {{- plan.tier -}}")
    let semantics = FileSemantics.prompt(path: "prompts/billing.prompty", old: prompty, new: changed)
    #expect(semantics.notes.isEmpty)
    #expect(
      semantics.changes == [
        SemanticChange(kind: .field, change: .changed, path: "version", old: "1.0.0", new: "1.1.0"),
        SemanticChange(
          kind: .field, change: .changed, path: "model.configuration.name", old: "gpt-4o-mini", new: "gpt-4o"),
        SemanticChange(
          kind: .field, change: .changed, path: "model.parameters.temperature", old: "0.7", new: "0.2"),
        SemanticChange(kind: .variable, change: .added, path: "plan.tier"),
        SemanticChange(kind: .variable, change: .added, path: "topic"),
        SemanticChange(kind: .variable, change: .removed, path: "question"),
      ])
  }

  @Test func promptMarkdownInputsAddedAndRemoved() {
    let old = "---\nmodel: gpt-4o\ninputs:\n  locale: { type: string }\n---\nHi {{ locale }}\n"
    let new = "---\nmodel: gpt-4o\ninputs:\n  tier: { type: string, default: basic }\n---\nHi {{ tier }}\n"
    let semantics = FileSemantics.prompt(path: "prompts/hi.prompt.md", old: old, new: new)
    #expect(
      semantics.changes.contains(
        SemanticChange(
          kind: .field, change: .added, path: "inputs.tier", new: "{type: string, default: basic}")))
    #expect(
      semantics.changes.contains(
        SemanticChange(kind: .field, change: .removed, path: "inputs.locale", old: "{type: string}")))
    #expect(semantics.changes.contains(SemanticChange(kind: .variable, change: .added, path: "tier")))
    #expect(semantics.changes.contains(SemanticChange(kind: .variable, change: .removed, path: "locale")))
  }

  @Test func frontMatterAddedToAPlainPrompt() {
    let semantics = FileSemantics.prompt(
      path: "prompts/a.md", old: "Hello\n", new: "---\nversion: 1.0.0\n---\nHello\n")
    #expect(
      semantics.changes == [SemanticChange(kind: .field, change: .added, path: "version", new: "1.0.0")])
  }

  @Test func invalidFrontMatterIsANoteNotAFailure() {
    let semantics = FileSemantics.prompt(
      path: "prompts/a.md", old: "---\nversion: 1.0.0\n---\nx\n", new: "---\nversion: [1.0\n---\nx {{ y }}\n")
    #expect(semantics.notes.count == 1)
    #expect(semantics.notes[0].contains("new front matter at line"))
    #expect(semantics.changes == [SemanticChange(kind: .variable, change: .added, path: "y")])
  }

  @Test func handlebarsBlocksAreNotVariables() {
    let names = TemplateVariables.names(in: "{{#if vip}}{{{ name }}}{{/if}} {{> partial}} {% for x in xs %}")
    #expect(names == ["name"])
  }

  @Test func variablesAreFoundWhereverTheyFallInTheText() {
    // The scan skips eight bytes at a time to the next brace: every offset around those steps.
    for offset in 0..<20 {
      let padding = String(repeating: "x", count: offset)
      let text = padding + "{{ name }} a { lone brace" + padding + "{{user.id}}" + padding + "{"
      #expect(TemplateVariables.names(in: text) == ["name", "user.id"], "offset \(offset)")
    }
    #expect(TemplateVariables.names(in: "é{{ ok }}é") == ["ok"])
  }

  @Test func yamlPolicyKeys() {
    let old = """
      blocked_topics: [legal, medical]
      limits: { max_tokens: 800, max_turns: 12 }
      escalation:
        on_anger: tier-2
      rules:
        - { id: r1, action: block }
        - { id: r2, action: warn }
      """
    let new = """
      blocked_topics: [medical, legal, crypto]
      limits: { max_tokens: 1200, max_turns: 12 }
      rules:
        - { id: r2, action: block }
        - { id: r1, action: block }
        - { id: r3, action: log }
      retention: 30
      """
    let semantics = FileSemantics.policy(path: "policies/safety.yaml", old: old, new: new)
    #expect(
      semantics.changes == [
        SemanticChange(kind: .key, change: .added, path: "blocked_topics[]", new: "crypto"),
        SemanticChange(kind: .key, change: .changed, path: "limits.max_tokens", old: "800", new: "1200"),
        SemanticChange(kind: .key, change: .changed, path: "rules[id=r2].action", old: "warn", new: "block"),
        SemanticChange(kind: .key, change: .added, path: "rules[id=r3]", new: "{id: r3, action: log}"),
        SemanticChange(kind: .key, change: .added, path: "retention", new: "30"),
        SemanticChange(kind: .key, change: .removed, path: "escalation", old: "{on_anger: tier-2}"),
      ])
  }

  @Test func jsonPolicyKeysWithOddNames() {
    let old = #"{"routes": {"en": "tier-1", "a.b": 1}, "list": [1, 2]}"#
    let new = #"{"routes": {"en": "tier-2", "a.b": 2}, "list": [1, 2]}"#
    let semantics = FileSemantics.policy(path: "policies/routing.json", old: old, new: new)
    #expect(
      semantics.changes == [
        SemanticChange(kind: .key, change: .changed, path: "routes.en", old: "tier-1", new: "tier-2"),
        SemanticChange(kind: .key, change: .changed, path: "routes[\"a.b\"]", old: "1", new: "2"),
      ])
  }

  @Test func reformattingWithoutChangingMeaningIsNoChange() {
    let semantics = FileSemantics.policy(
      path: "policies/a.yaml", old: "a: 0.5\nb: [x, y]\n", new: "# tidy\na: 0.50\nb:\n  - x\n  - y\n")
    #expect(semantics.changes.isEmpty)
  }

  @Test func otherPolicyFormatsAreNotParsed() {
    #expect(FileSemantics.policy(path: "policies/a.rego", old: "a", new: "b") == FileSemantics())
  }
}
