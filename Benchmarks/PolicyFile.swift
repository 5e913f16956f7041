/// One generated policy (`policies/<name>.yaml`): nested keys and a list, so that edits show up
/// in promptgate's diff as keys changed, added and removed.
struct PolicyFile {
  let name: String
  var blockedTopics: [String]
  var maxTokens: Int
  var maxTurns: Int
  var queue: String

  static let names = [
    "safety", "routing", "pii", "escalation", "tone", "languages", "retention", "limits",
    "moderation", "billing", "refunds", "legal",
  ]
  static let topics = ["legal", "medical", "financial", "political", "self-harm", "weapons"]
  static let queues = ["tier-1", "tier-2", "tier-2-nl", "billing-desk", "trust-and-safety"]

  init(name: String, random: inout SeededRandom) {
    self.name = name
    blockedTopics = Array(Self.topics.prefix(Int.random(in: 1...3, using: &random)))
    maxTokens = 100 * Int.random(in: 4...12, using: &random)
    maxTurns = Int.random(in: 6...20, using: &random)
    queue = random.pick(Self.queues)
  }

  var path: String { "policies/\(name).yaml" }

  var text: String {
    """
    name: \(name)
    blocked_topics: [\(blockedTopics.joined(separator: ", "))]
    limits:
      max_tokens: \(maxTokens)
      max_turns: \(maxTurns)
    escalation:
      queue: \(queue)
      on_repeat_question: true

    """
  }

  /// Changes one key; returns a commit-message fragment.
  mutating func edit(random: inout SeededRandom) -> String {
    switch Int.random(in: 0..<4, using: &random) {
    case 0:
      maxTokens = random.pick((4...12).map { 100 * $0 }.filter { $0 != maxTokens })
      return "limit max_tokens to \(maxTokens)"
    case 1:
      maxTurns = random.pick((6...20).filter { $0 != maxTurns })
      return "allow \(maxTurns) turns"
    case 2:
      queue = random.pick(Self.queues.filter { $0 != queue })
      return "escalate to \(queue)"
    default:
      if let topic = Self.topics.first(where: { !blockedTopics.contains($0) }), blockedTopics.count < 4 {
        blockedTopics.append(topic)
        return "block \(topic)"
      }
      blockedTopics.removeLast()
      return "unblock a topic"
    }
  }
}
