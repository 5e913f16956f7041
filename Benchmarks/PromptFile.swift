/// One generated prompt: YAML front matter and a body with `{{ variable }}` template variables,
/// a few hundred bytes, the shape promptgate reads semantically (SPEC §6, `diff`).
struct PromptFile {
  var path: String
  var major: Int
  var minor: Int
  var patch: Int
  var model: String
  /// In tenths, so the rendered value is always one decimal ("0.7"), as people write it.
  var temperatureTenths: Int
  var maxTokens: Int
  var body: [String]

  static let models = ["gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet", "claude-3-haiku", "mistral-large"]

  /// Sentences a prompt's body is made of; most carry a template variable so that edits add
  /// and remove variables, which promptgate reports.
  static let sentences = [
    "Greet {{ customer_name }} by name and keep a friendly tone.",
    "Answer in {{ language }} unless the customer writes in another language.",
    "Mention the plan {{ plan_tier }} only when it changes the answer.",
    "If the question is about order {{ order_id }}, look it up before answering.",
    "Keep the answer under {{ max_words }} words.",
    "Refer to the product as {{ product_name }}, never by its code name.",
    "Use the {{ tone }} tone the brand guide describes.",
    "The customer is in {{ region }}; quote prices in the local currency.",
    "Customers older than {{ account_age }} days may ask for a loyalty discount.",
    "Quote ticket {{ ticket_id }} in every reply.",
    "The conversation arrived through {{ channel }}.",
    "Do not promise refunds; point to the refund policy instead.",
    "Never give legal or medical advice.",
    "Summarise the customer's question in one sentence before answering.",
    "Escalate to a human when the customer asks twice.",
  ]

  /// A new prompt for file number `number`, varied by `random`.
  init(path: String, number: Int, random: inout SeededRandom) {
    self.path = path
    major = 1
    minor = number % 4
    patch = 0
    model = random.pick(Self.models)
    temperatureTenths = Int.random(in: 0...10, using: &random)
    maxTokens = 200 * Int.random(in: 1...6, using: &random)
    body = ["system:", "You are the assistant for prompt \(number). Address {{ customer_name }} politely."]
    for _ in 0..<Int.random(in: 3...5, using: &random) {
      body.append(random.pick(Self.sentences))
    }
    body += ["", "user:", "{{ question }}"]
  }

  var text: String {
    """
    ---
    version: \(major).\(minor).\(patch)
    model: \(model)
    temperature: \(temperatureTenths / 10).\(temperatureTenths % 10)
    max_tokens: \(maxTokens)
    ---
    \(body.joined(separator: "\n"))

    """
  }

  /// One realistic edit: a version bump plus a change to a front-matter field or a body line.
  /// Returns a commit-message fragment saying what changed.
  mutating func edit(random: inout SeededRandom) -> String {
    patch += 1
    // The instruction lines sit between the opening two lines and the closing three.
    let instructions = 2..<(body.count - 3)
    switch Int.random(in: 0..<10, using: &random) {
    case 0...1:
      temperatureTenths = (temperatureTenths + Int.random(in: 1...10, using: &random)) % 11
      return "tune temperature"
    case 2:
      model = random.pick(Self.models.filter { $0 != model })
      return "switch model to \(model)"
    case 3:
      maxTokens = random.pick((1...6).map { 200 * $0 }.filter { $0 != maxTokens })
      return "set max_tokens to \(maxTokens)"
    case 4...6:
      let line = Int.random(in: instructions, using: &random)
      body[line] = random.pick(Self.sentences)
      return "reword an instruction"
    case 7...8 where body.count < 14:
      body.insert(random.pick(Self.sentences), at: Int.random(in: instructions, using: &random))
      return "add an instruction"
    default:
      guard instructions.count > 2 else {
        minor += 1
        patch = 0
        return "release a minor version"
      }
      body.remove(at: Int.random(in: instructions, using: &random))
      return "drop an instruction"
    }
  }
}
