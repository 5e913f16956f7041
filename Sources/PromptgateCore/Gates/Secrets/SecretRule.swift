/// One kind of credential the secrets gate looks for. Every rule is a row of ``SecretRule/all``:
/// a new rule is one row (a known prefix and its body, or a detector already written), and the
/// labelled corpus in the tests (`Tests/PromptgateCoreTests/Fixtures/secrets/fakes.tsv`) gets a
/// fake of its format, so `make bench` keeps measuring its recall.
public struct SecretRule: Sendable {
  /// A stable name a baseline, a report or a gate message refers to: `aws-access-key-id`.
  public let id: String
  /// What was found, in words that can follow "found": "an AWS access key id".
  public let description: String
  let detector: Detector
  /// Lowercased words of which one must be on the line for ``Detector/hexKey`` to look at all
  /// (as gitleaks' keywords): a 32-digit hex number alone is a digest, not a key.
  let keywords: [String]

  /// How a rule recognises its secret on a line.
  enum Detector: Sendable {
    /// A token that starts with one of `prefixes` at a word boundary, followed by a body of
    /// `body` characters whose length is `length`, and which `accept` agrees with.
    case prefixed(prefixes: [String], body: ByteClass, length: BodyLength, accept: Acceptance = .any)
    /// `-----BEGIN … PRIVATE KEY-----` with a key body after it (on this line or the next).
    case privateKeyBlock
    /// `header.claims.signature`, each base64url, the first two JSON objects.
    case jsonWebToken
    /// `scheme://user:password@host`.
    case urlPassword
    /// `name: value` / `name=value` where the name ends like a credential's (`DB_PASSWORD`,
    /// `clientSecret`, `x-api-key`) and the value is neither a placeholder nor words.
    case assignment
    /// The same with a password's name, where even a short value is a leak (`hunter2!`).
    case passwordAssignment
    /// A run of at least `minimum` hex digits on a line holding one of the keywords.
    case hexKey(minimum: Int)
    /// The AWS secret key's shape (40 base64 characters) assigned to a `*secret_access_key`.
    case awsSecretKey
    /// A long token of mixed case and digits whose characters are spread as random ones are.
    case highEntropy
  }

  enum ByteClass: Sendable {
    case upperOrDigit, alphanumeric, base64URL, word, alphanumericOrDash
    /// Path segments: `T0000/B0000/XXXX`.
    case pathSegments

    func contains(_ byte: UInt8) -> Bool {
      switch self {
      case .upperOrDigit: byte.isUpperOrDigit
      case .alphanumeric: byte.isAlphanumeric
      case .base64URL: byte.isBase64URL
      case .word: byte.isWordByte
      case .alphanumericOrDash: byte.isAlphanumeric || byte == UInt8(ascii: "-")
      case .pathSegments: byte.isAlphanumeric || byte == UInt8(ascii: "/")
      }
    }
  }

  enum BodyLength: Sendable {
    /// Exactly this many, and no body character right after: `AKIA` and 16 more.
    case exactly(Int)
    case atLeast(Int)
  }

  enum Acceptance: Sendable {
    case any
    /// `sk-` also starts kebab-case names; a random tail does not read as words.
    case notWords
    /// Slack tokens start with a team id's digits, which tells them from `xoxb-your-token`.
    case startsWithDigit
  }

  /// Lower wins where matches overlap: a known format says more than a name, a name more than
  /// an entropy.
  var rank: Int {
    switch detector {
    case .privateKeyBlock: 0
    case .prefixed, .jsonWebToken, .urlPassword, .awsSecretKey: 1
    case .assignment, .passwordAssignment, .hexKey: 2
    case .highEntropy: 3
    }
  }

  /// Every rule the gate runs, in the order they are documented.
  public static let all: [SecretRule] = [
    SecretRule(id: "private-key", description: "a private key block", detector: .privateKeyBlock),
    SecretRule(
      id: "aws-access-key-id", description: "an AWS access key id",
      detector: .prefixed(prefixes: ["AKIA", "ASIA"], body: .upperOrDigit, length: .exactly(16))),
    SecretRule(
      id: "aws-secret-access-key", description: "an AWS secret access key", detector: .awsSecretKey),
    SecretRule(
      id: "github-token", description: "a GitHub token",
      detector: .prefixed(
        prefixes: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], body: .alphanumeric, length: .exactly(36))
    ),
    SecretRule(
      id: "github-token", description: "a GitHub token",
      detector: .prefixed(prefixes: ["github_pat_"], body: .word, length: .atLeast(22))),
    SecretRule(
      id: "gitlab-token", description: "a GitLab token",
      detector: .prefixed(prefixes: ["glpat-", "gldt-", "glrt-"], body: .base64URL, length: .atLeast(20))),
    SecretRule(
      id: "anthropic-api-key", description: "an Anthropic API key",
      detector: .prefixed(prefixes: ["sk-ant-"], body: .base64URL, length: .atLeast(20))),
    SecretRule(
      id: "openai-api-key", description: "an OpenAI API key",
      detector: .prefixed(prefixes: ["sk-"], body: .base64URL, length: .atLeast(20), accept: .notWords)),
    SecretRule(
      id: "huggingface-token", description: "a Hugging Face token",
      detector: .prefixed(prefixes: ["hf_"], body: .alphanumeric, length: .exactly(34))),
    SecretRule(
      id: "slack-token", description: "a Slack token",
      detector: .prefixed(
        prefixes: ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"], body: .alphanumericOrDash,
        length: .atLeast(10),
        accept: .startsWithDigit)),
    SecretRule(
      id: "slack-webhook", description: "a Slack webhook URL",
      detector: .prefixed(
        prefixes: ["https://hooks.slack.com/services/"], body: .pathSegments, length: .atLeast(20))),
    SecretRule(
      id: "google-api-key", description: "a Google API key",
      detector: .prefixed(prefixes: ["AIza"], body: .base64URL, length: .exactly(35))),
    SecretRule(
      id: "stripe-secret-key", description: "a Stripe secret key",
      detector: .prefixed(
        prefixes: ["sk_live_", "sk_test_", "rk_live_", "rk_test_"], body: .alphanumeric, length: .atLeast(16))
    ),
    SecretRule(id: "jwt", description: "a JSON Web Token", detector: .jsonWebToken),
    SecretRule(id: "url-credentials", description: "a password in a URL", detector: .urlPassword),
    SecretRule(id: "password", description: "a password", detector: .passwordAssignment),
    SecretRule(id: "secret-assignment", description: "a credential", detector: .assignment),
    SecretRule(
      id: "hex-api-key", description: "a hex API key", detector: .hexKey(minimum: 32),
      keywords: ["key", "token", "secret", "auth", "bearer", "api"]),
    SecretRule(id: "high-entropy-token", description: "a high-entropy token", detector: .highEntropy),
  ]

  init(id: String, description: String, detector: Detector, keywords: [String] = []) {
    self.id = id
    self.description = description
    self.detector = detector
    self.keywords = keywords
  }
}
