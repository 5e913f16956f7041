import Foundation

/// One suspected credential in a text file.
public struct SecretFinding: Sendable, Hashable, Codable {
  /// The rule that matched, a stable name a gate file or a report can refer to: `private-key`,
  /// `aws-access-key-id`, `aws-secret-access-key`, `github-token`, `openai-api-key`,
  /// `anthropic-api-key`, `slack-token`, `google-api-key`, `stripe-secret-key`, `jwt`,
  /// `url-credentials`, `secret-assignment` or `high-entropy-token`.
  public let rule: String
  /// What was found in words that can start a sentence: "an AWS access key id".
  public let description: String
  /// Counted from 1.
  public let line: Int
  /// Counted from 1 in Unicode scalars, as YAML parsers and most editors count them.
  public let column: Int
  /// The first 4 characters of the match and an ellipsis, so a report can point at the secret
  /// without repeating it; never more than half of the match.
  public let redacted: String

  public init(rule: String, description: String, line: Int, column: Int, redacted: String) {
    self.rule = rule
    self.description = description
    self.line = line
    self.column = column
    self.redacted = redacted
  }
}

/// Finds credentials pasted into prompts and policies, for the gate that keeps them out of git.
///
/// Works on the UTF-8 bytes one line at a time, in one pass: known key formats are recognised
/// by their prefix, `password: …`-style assignments by the name before the separator, and
/// anything else by the entropy of long tokens. Values that read as words, placeholders
/// (`<…>`, `${…}`, `{{ … }}`, `xxxx`, `***`, `changeme`) and embedded `data:` images are left
/// alone, because prompt files are full of them.
public struct SecretScanner: Sendable {
  public struct Options: Sendable {
    /// Bits per character a token needs to count as random. Hex tops out at 4.
    public var entropyThreshold: Double = 4.0
    /// Shorter tokens are too common in prose and code to judge by entropy.
    public var minimumTokenLength: Int = 24

    public init(entropyThreshold: Double = 4.0, minimumTokenLength: Int = 24) {
      self.entropyThreshold = entropyThreshold
      self.minimumTokenLength = minimumTokenLength
    }
  }

  let options: Options

  public init(options: Options = Options()) {
    self.options = options
  }

  /// The findings in line order, and within a line in column order; where matches overlap,
  /// only the most specific rule is reported.
  public func scan(_ text: String) -> [SecretFinding] {
    let bytes = Array(text.utf8)
    var findings: [SecretFinding] = []
    var block: OpenKeyBlock?
    var lineNumber = 0
    var lineStart = 0
    while lineStart <= bytes.count {
      let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      lineNumber += 1
      defer { lineStart = lineEnd + 1 }
      if let open = block {
        switch KeyBlockLine(bytes[lineStart..<lineEnd]) {
        case .body(let long):
          block?.sawBody = open.sawBody || long
          continue
        case .armorHeader:
          continue
        case .end:
          if !open.sawBody { findings.remove(at: open.findingIndex) }
          block = nil
          continue
        case .other:
          if !open.sawBody { findings.remove(at: open.findingIndex) }
          block = nil
        }
      }
      var line = LineScanner(bytes: bytes, range: lineStart..<lineEnd, options: options)
      line.scan()
      // Columns count scalars: the bytes before each match, less their continuation bytes.
      var column = 1
      var counted = lineStart
      for candidate in line.resolved() {
        column += bytes[counted..<candidate.range.lowerBound].count { !$0.isContinuation }
        counted = candidate.range.lowerBound
        if candidate.opensBlock {
          block = OpenKeyBlock(findingIndex: findings.count, sawBody: candidate.rule != .pendingPrivateKey)
        }
        findings.append(candidate.finding(in: bytes, line: lineNumber, column: column))
      }
    }
    if let open = block, !open.sawBody { findings.remove(at: open.findingIndex) }
    return findings
  }
}

/// A `-----BEGIN … PRIVATE KEY-----` header whose body continues on the following lines.
private struct OpenKeyBlock {
  /// The header's finding, withdrawn if no key body follows: a policy may name the header.
  var findingIndex: Int
  var sawBody: Bool
}

/// How a line inside a private key block reads.
private enum KeyBlockLine {
  /// Base64; `long` when it is long enough to be key material rather than a stray word.
  case body(long: Bool)
  /// `Proc-Type:`, `DEK-Info:`, PGP's `Version:` and `Comment:`, or a blank line.
  case armorHeader
  case end
  case other

  init(_ line: ArraySlice<UInt8>) {
    var trimmed = line
    while trimmed.first?.isSpace == true { trimmed.removeFirst() }
    while trimmed.last?.isSpace == true { trimmed.removeLast() }
    if trimmed.isEmpty {
      self = .armorHeader
    } else if String(decoding: trimmed, as: UTF8.self).contains("-----END ") {
      self = .end
    } else if trimmed.allSatisfy({ $0.isAlphanumeric || $0 == .plus || $0 == .slash || $0 == .equals }) {
      self = .body(long: trimmed.count >= 16)
    } else {
      let text = String(decoding: trimmed.prefix(12), as: UTF8.self)
      let headers = ["Proc-Type:", "DEK-Info:", "Version:", "Comment:", "Hash:"]
      self = headers.contains(where: text.hasPrefix) ? .armorHeader : .other
    }
  }
}

private enum Rule: String {
  case privateKey = "private-key"
  /// A key header without a body on its line: reported only if one follows.
  case pendingPrivateKey = "pending-private-key"
  case awsAccessKeyID = "aws-access-key-id"
  case awsSecretAccessKey = "aws-secret-access-key"
  case githubToken = "github-token"
  case openAIKey = "openai-api-key"
  case anthropicKey = "anthropic-api-key"
  case slackToken = "slack-token"
  case googleAPIKey = "google-api-key"
  case stripeKey = "stripe-secret-key"
  case jwt
  case urlCredentials = "url-credentials"
  case assignment = "secret-assignment"
  case highEntropy = "high-entropy-token"

  /// Lower wins when matches overlap: a known format says more than a name or an entropy. 0...3.
  var rank: Int {
    switch self {
    case .privateKey, .pendingPrivateKey: 0
    case .assignment: 2
    case .highEntropy: 3
    default: 1
    }
  }
}

private struct Candidate {
  var range: Range<Int>
  var rule: Rule
  /// The name a `secret-assignment` value was assigned to.
  var key: String = ""
  /// A private key header whose body runs on past this line.
  var opensBlock = false

  var description: String {
    switch rule {
    case .privateKey, .pendingPrivateKey: "a private key block"
    case .awsAccessKeyID: "an AWS access key id"
    case .awsSecretAccessKey: "an AWS secret access key"
    case .githubToken: "a GitHub token"
    case .openAIKey: "an OpenAI API key"
    case .anthropicKey: "an Anthropic API key"
    case .slackToken: "a Slack token"
    case .googleAPIKey: "a Google API key"
    case .stripeKey: "a Stripe secret key"
    case .jwt: "a JSON Web Token"
    case .urlCredentials: "a password in a URL"
    case .assignment: "a credential assigned to `\(key)`"
    case .highEntropy: "a high-entropy token"
    }
  }

  func finding(in bytes: [UInt8], line: Int, column: Int) -> SecretFinding {
    let head = bytes[range].prefix(16)
    let kept = min(4, head.count { !$0.isContinuation } / 2)
    let redacted = String(String(decoding: head, as: UTF8.self).unicodeScalars.prefix(kept)) + "…"
    let name = rule == .pendingPrivateKey ? Rule.privateKey.rawValue : rule.rawValue
    return SecretFinding(rule: name, description: description, line: line, column: column, redacted: redacted)
  }
}

/// One line's pass: every rule that can start at a byte is tried there, so the line is read once.
private struct LineScanner {
  let bytes: [UInt8]
  let range: Range<Int>
  let options: Options
  private(set) var candidates: [Candidate] = []
  /// Where each rule's last try stopped reading. A start before it reads a suffix of the same run
  /// and fails or matches inside the same span, so it is not tried: this keeps a line linear.
  private var floors: [Rule: Int] = [:]

  typealias Options = SecretScanner.Options

  init(bytes: [UInt8], range: Range<Int>, options: Options) {
    self.bytes = bytes
    self.range = range
    self.options = options
  }

  private var end: Int { range.upperBound }

  mutating func scan() {
    var tokenStart: Int?
    var i = range.lowerBound
    while i < end {
      let byte = bytes[i]
      if i == range.lowerBound || !bytes[i - 1].isAlphanumeric {
        matchPrefix(at: i)
      }
      // Not only at a boundary: in JSON a header follows a `\n` escape.
      if byte == .dash, i >= floors[.privateKey, default: 0], has("-----BEGIN ", at: i) {
        matchPrivateKey(at: i)
      }
      if byte == .colon || byte == .equals {
        matchAssignment(separator: i)
      }
      if byte == .colon {
        matchURLCredentials(colon: i)
      }
      // `=` belongs to a token only as base64 padding; `KEY=value` is two tokens.
      let padding = byte == .equals && tokenStart != nil && (i + 1 == end || !bytes[i + 1].isTokenByte)
      if byte.isTokenByte || padding {
        if tokenStart == nil { tokenStart = i }
      } else if let start = tokenStart {
        matchEntropy(start..<i)
        tokenStart = nil
      }
      i += 1
    }
    if let start = tokenStart { matchEntropy(start..<end) }
  }

  /// One candidate per overlapping span, the most specific rule first, in column order.
  ///
  /// Rank by rank, each rule's candidates are walked in column order beside those already kept,
  /// so a long line with thousands of findings is still settled in linear time.
  func resolved() -> [Candidate] {
    var kept: [Candidate] = []
    for rank in 0...3 {
      var accepted: [Candidate] = []
      var next = 0
      for candidate in candidates.filter({ $0.rule.rank == rank }).sorted(by: {
        $0.range.lowerBound < $1.range.lowerBound
      }) {
        while next < kept.count, kept[next].range.upperBound <= candidate.range.lowerBound { next += 1 }
        let clashes = next < kept.count && kept[next].range.overlaps(candidate.range)
        if !clashes, accepted.last?.range.overlaps(candidate.range) != true {
          accepted.append(candidate)
        }
      }
      kept = (kept + accepted).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
    return kept
  }

  // MARK: Known formats

  private mutating func matchPrefix(at i: Int) {
    switch bytes[i] {
    case UInt8(ascii: "A"):
      if has("AKIA", at: i) || has("ASIA", at: i) {
        fixed(.awsAccessKeyID, at: i, prefix: 4, length: 16, \.isUpperOrDigit, next: \.isAlphanumeric)
      } else if has("AIza", at: i) {
        fixed(.googleAPIKey, at: i, prefix: 4, length: 35, \.isBase64URL, next: \.isBase64URL)
      }
    case UInt8(ascii: "g"):
      if has("github_pat_", at: i) {
        variable(.githubToken, at: i, prefix: 11, minimum: 22, \.isWordByte)
      } else if has("gh", at: i), i + 3 < end, bytes[i + 3] == .underscore,
        "pousr".utf8.contains(bytes[i + 2])
      {
        fixed(.githubToken, at: i, prefix: 4, length: 36, \.isAlphanumeric, next: \.isAlphanumeric)
      }
    case UInt8(ascii: "s"), UInt8(ascii: "r"):
      guard i + 1 < end, bytes[i + 1] == UInt8(ascii: "k") else { return }
      if has("sk-ant-", at: i) {
        variable(.anthropicKey, at: i, prefix: 7, minimum: 20, \.isBase64URL)
      } else if has("sk-", at: i) {
        // `sk-` also starts kebab-case names; a random tail does not read as words.
        variable(.openAIKey, at: i, prefix: 3, minimum: 20, \.isBase64URL) { !readsAsWords($0) }
      } else if ["sk_live_", "sk_test_", "rk_live_", "rk_test_"].contains(where: { has($0, at: i) }) {
        variable(.stripeKey, at: i, prefix: 8, minimum: 16, \.isAlphanumeric)
      }
    case UInt8(ascii: "x"):
      if has("xox", at: i), i + 4 < end, "baprs".utf8.contains(bytes[i + 3]), bytes[i + 4] == .dash {
        // A team id comes first, which also tells a token from `xoxb-your-token-here`.
        variable(.slackToken, at: i, prefix: 5, minimum: 10, { $0.isAlphanumeric || $0 == .dash }) {
          $0.first?.isDigit == true
        }
      }
    case UInt8(ascii: "e"):
      if has("eyJ", at: i) { matchJWT(at: i) }
    default:
      break
    }
  }

  /// A format with an exact length, like `AKIA` and 16 more: anything longer is something else.
  private mutating func fixed(
    _ rule: Rule, at i: Int, prefix: Int, length: Int, _ allowed: (UInt8) -> Bool, next: (UInt8) -> Bool
  ) {
    let bodyEnd = run(from: i + prefix, limit: length + 1, allowed)
    guard bodyEnd - (i + prefix) == length, bodyEnd == end || !next(bytes[bodyEnd]) else { return }
    add(rule, i..<bodyEnd)
  }

  /// A format with a prefix and a tail of at least `minimum` characters that `accept` agrees with.
  private mutating func variable(
    _ rule: Rule, at i: Int, prefix: Int, minimum: Int, _ allowed: (UInt8) -> Bool,
    accept: (ArraySlice<UInt8>) -> Bool = { _ in true }
  ) {
    guard i >= floors[rule, default: 0] else { return }
    let bodyEnd = run(from: i + prefix, limit: 256, allowed)
    floors[rule] = bodyEnd
    guard bodyEnd - (i + prefix) >= minimum, accept(bytes[(i + prefix)..<bodyEnd]) else { return }
    add(rule, i..<bodyEnd)
  }

  /// `eyJ…` (base64 of `{"`) twice, dot-separated, and a signature: header, claims, signature.
  private mutating func matchJWT(at i: Int) {
    guard i >= floors[.jwt, default: 0] else { return }
    let headerEnd = run(from: i, limit: 4096, \.isBase64URL)
    floors[.jwt] = headerEnd
    guard headerEnd - i >= 10, headerEnd < end, bytes[headerEnd] == .dot, has("eyJ", at: headerEnd + 1)
    else { return }
    let claimsEnd = run(from: headerEnd + 1, limit: 8192, \.isBase64URL)
    guard claimsEnd - headerEnd > 10, claimsEnd < end, bytes[claimsEnd] == .dot else { return }
    let signatureEnd = run(from: claimsEnd + 1, limit: 4096, \.isBase64URL)
    guard signatureEnd - claimsEnd > 16 else { return }
    add(.jwt, i..<signatureEnd)
  }

  /// `-----BEGIN RSA PRIVATE KEY-----` and its kin; reported only with a key body after it, on this
  /// line (JSON with `\n` escapes) or the next ones.
  private mutating func matchPrivateKey(at i: Int) {
    let labelStart = i + 11
    let labelEnd = run(from: labelStart, limit: 40) { $0.isUpperOrDigit || $0 == .space }
    let label = String(decoding: bytes[labelStart..<labelEnd], as: UTF8.self)
    guard label.hasSuffix("PRIVATE KEY") || label.hasSuffix("PRIVATE KEY BLOCK"), has("-----", at: labelEnd)
    else { return }
    let headerEnd = labelEnd + 5
    var bodyStart = headerEnd
    while bodyStart < end {
      if bytes[bodyStart] == .backslash, bodyStart + 1 < end, bytes[bodyStart + 1] == UInt8(ascii: "n") {
        bodyStart += 2
      } else if bytes[bodyStart].isSpace || bytes[bodyStart] == .quote {
        bodyStart += 1
      } else {
        break
      }
    }
    let bodyEnd = run(from: bodyStart, limit: 16) { $0.isAlphanumeric || $0 == .plus || $0 == .slash }
    guard bodyEnd - bodyStart >= 16 else {
      candidates.append(Candidate(range: i..<headerEnd, rule: .pendingPrivateKey, opensBlock: true))
      return
    }
    if let marker = find("-----END ", from: bodyEnd), let close = find("-----", from: marker + 9) {
      floors[.privateKey] = close + 5
      candidates.append(Candidate(range: i..<(close + 5), rule: .privateKey))
    } else {
      floors[.privateKey] = end
      candidates.append(Candidate(range: i..<end, rule: .privateKey, opensBlock: true))
    }
  }

  // MARK: Assignments

  /// How the names of credentials end once lowercased without `_`, `-` and `.`: `DB_PASSWORD`,
  /// `clientSecret`, `x-api-key`. `max_tokens` and `tokenizer` do not.
  private static let credentialNames = [
    "password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey",
  ]

  /// `api_key: "…"`, `"password": "…"`, `TOKEN=…`, `secret := …`: the value, when the name is a
  /// credential's and the value is neither a placeholder nor words.
  private mutating func matchAssignment(separator: Int) {
    guard let key = keyBefore(separator) else { return }
    let normalized = String(decoding: key.lazy.filter(\.isAlphanumeric).map(\.lowercased), as: UTF8.self)
    guard Self.credentialNames.contains(where: normalized.hasSuffix), let value = valueAfter(separator) else {
      return
    }
    let text = bytes[value]
    let name = String(decoding: key, as: UTF8.self)
    if normalized.hasSuffix("secretaccesskey"), text.count == 40,
      text.allSatisfy({ $0.isAlphanumeric || $0 == .plus || $0 == .slash })
    {
      add(.awsSecretAccessKey, value)
    } else if text.count >= 12, !text.contains(where: \.isSpace), !readsAsWords(text) {
      add(.assignment, value, key: name)
    }
  }

  /// The name left of a separator, past spaces and a closing quote; at most 64 bytes.
  private func keyBefore(_ separator: Int) -> ArraySlice<UInt8>? {
    var keyEnd = separator
    while keyEnd > range.lowerBound, bytes[keyEnd - 1].isSpace { keyEnd -= 1 }
    if keyEnd > range.lowerBound, bytes[keyEnd - 1] == .quote || bytes[keyEnd - 1] == .apostrophe {
      keyEnd -= 1
    }
    var keyStart = keyEnd
    while keyStart > range.lowerBound, keyEnd - keyStart <= 64, bytes[keyStart - 1].isKeyByte {
      keyStart -= 1
    }
    guard keyStart < keyEnd, keyEnd - keyStart <= 64 else { return nil }
    return bytes[keyStart..<keyEnd]
  }

  /// The value right of a separator: a quoted string, or a bare run up to a space or a delimiter.
  private func valueAfter(_ separator: Int) -> Range<Int>? {
    var start = separator + 1
    if start < end, bytes[start] == .equals || bytes[start] == UInt8(ascii: ">") { start += 1 }
    while start < end, bytes[start].isSpace { start += 1 }
    guard start < end else { return nil }
    let limit = 512
    if bytes[start] == .quote || bytes[start] == .apostrophe || bytes[start] == .backtick {
      let quote = bytes[start]
      let close = run(from: start + 1, limit: limit) { $0 != quote }
      guard close < end, bytes[close] == quote else { return nil }
      return (start + 1)..<close
    }
    let valueEnd = run(from: start, limit: limit) { !$0.isSpace && !$0.isDelimiter }
    guard valueEnd - start < limit else { return nil }
    return start..<valueEnd
  }

  /// `scheme://user:password@host`: the password.
  private mutating func matchURLCredentials(colon: Int) {
    guard has("://", at: colon) else { return }
    let userStart = colon + 3
    let authorityEnd = run(from: userStart, limit: 256) { !$0.isSpace && !"/@?#\"'<>".utf8.contains($0) }
    guard authorityEnd < end, bytes[authorityEnd] == UInt8(ascii: "@"),
      let separator = bytes[userStart..<authorityEnd].firstIndex(of: .colon)
    else { return }
    let user = bytes[userStart..<separator]
    let password = bytes[(separator + 1)..<authorityEnd]
    // `postgres:postgres@localhost` and `user:password@host` are documentation, not leaks.
    let stockWords = ["password", "passwd", "pass", "secret"]
    guard password.count >= 4, !password.elementsEqual(user),
      !stockWords.contains(String(decoding: password, as: UTF8.self).lowercased())
    else { return }
    add(.urlCredentials, password.indices)
  }

  // MARK: Entropy

  /// A long token of mixed case and digits whose characters are spread enough to be random.
  /// Inside a URL `/` separates path segments rather than being base64, so each is judged alone.
  private mutating func matchEntropy(_ token: Range<Int>) {
    guard token.count >= max(1, options.minimumTokenLength) else { return }
    guard bytes[token].contains(.slash), isInURL(token.lowerBound) else { return judge(token) }
    var segmentStart = token.lowerBound
    for i in token where bytes[i] == .slash {
      judge(segmentStart..<i)
      segmentStart = i + 1
    }
    judge(segmentStart..<token.upperBound)
  }

  private mutating func judge(_ token: Range<Int>) {
    guard token.count >= max(1, options.minimumTokenLength) else { return }
    let text = bytes[token]
    guard text.contains(where: \.isUpper), text.contains(where: \.isLower), text.contains(where: \.isDigit),
      !readsAsWords(text), !isPublic(token), entropy(text) >= options.entropyThreshold
    else { return }
    add(.highEntropy, token)
  }

  /// Random-looking but published on purpose: `data:…;base64,` images, Subresource Integrity
  /// digests (`sha384-…`) and OpenSSH public keys (`AAAAC3NzaC1…` is `ssh-ed25519` with its length).
  private func isPublic(_ token: Range<Int>) -> Bool {
    let start = token.lowerBound
    if start - 7 >= range.lowerBound, bytes[(start - 7)..<start].elementsEqual("base64,".utf8) { return true }
    return Self.publicStarts.contains { has($0, at: start) }
  }

  private static let publicStarts = [
    "sha256-", "sha384-", "sha512-", "AAAAB3NzaC1", "AAAAC3NzaC1", "AAAAE2VjZHNh",
  ]

  /// Whether the run of non-space text that `start` is in has a `://` before it.
  private func isInURL(_ start: Int) -> Bool {
    var i = start
    while i > range.lowerBound, start - i < 2048, !bytes[i - 1].isSpace,
      !"\"'<>()[]".utf8.contains(bytes[i - 1])
    {
      i -= 1
      if bytes[i] == .colon, has("://", at: i) { return true }
    }
    return false
  }

  private func entropy(_ text: ArraySlice<UInt8>) -> Double {
    var counts = [Int](repeating: 0, count: 256)
    for byte in text { counts[Int(byte)] += 1 }
    let total = Double(text.count)
    return counts.reduce(0.0) { sum, count in
      guard count > 0 else { return sum }
      let p = Double(count) / total
      return sum - p * log2(p)
    }
  }

  // MARK: Helpers

  private mutating func add(_ rule: Rule, _ range: Range<Int>, key: String = "") {
    guard !isPlaceholder(bytes[range]) else { return }
    candidates.append(Candidate(range: range, rule: rule, key: key))
  }

  /// Where a run of allowed bytes from `start` ends, looking at no more than `limit` bytes.
  private func run(from start: Int, limit: Int, _ allowed: (UInt8) -> Bool) -> Int {
    let stop = min(end, start + limit)
    var i = min(start, stop)
    while i < stop, allowed(bytes[i]) { i += 1 }
    return i
  }

  private func has(_ literal: String, at i: Int) -> Bool {
    let utf8 = literal.utf8
    return i + utf8.count <= end && bytes[i..<(i + utf8.count)].elementsEqual(utf8)
  }

  private func find(_ literal: String, from start: Int) -> Int? {
    (start..<max(start, end)).first { has(literal, at: $0) }
  }

  /// `<your-key>`, `${TOKEN}`, `{{ token }}`, `$TOKEN`, `xxxx…`, `****`, `changeme`: stand-ins
  /// that documentation and templates use where the secret will go.
  private func isPlaceholder(_ text: ArraySlice<UInt8>) -> Bool {
    let value = String(decoding: text.prefix(512), as: UTF8.self).lowercased()
    return Self.placeholderStarts.contains(where: value.hasPrefix)
      || Self.placeholderFragments.contains(where: value.contains)
  }

  private static let placeholderStarts = ["<", "$", "%", "your"]
  private static let placeholderFragments = [
    "xxxx", "****", "...", "…", "{{", "{%", "${", "changeme", "change_me", "change-me", "redacted",
    "placeholder",
  ]
}

/// Names, paths and versions: each piece between `_-./:` is letters with at most one run of
/// digits at either end (`support_bot2`, `RefundPolicyV3`, `4o`). Random strings interleave
/// letters and digits, and base64 carries `+` and `=`.
private func readsAsWords(_ text: ArraySlice<UInt8>) -> Bool {
  var switches = 0
  var previous: UInt8?
  for byte in text {
    if "_-./:".utf8.contains(byte) {
      switches = 0
      previous = nil
      continue
    }
    guard byte.isAlphanumeric else { return false }
    if let previous, previous.isDigit != byte.isDigit {
      switches += 1
      if switches > 1 { return false }
    }
    previous = byte
  }
  return true
}

extension UInt8 {
  fileprivate static let space = UInt8(ascii: " ")
  fileprivate static let dash = UInt8(ascii: "-")
  fileprivate static let underscore = UInt8(ascii: "_")
  fileprivate static let plus = UInt8(ascii: "+")
  fileprivate static let slash = UInt8(ascii: "/")
  fileprivate static let backslash = UInt8(ascii: "\\")
  fileprivate static let equals = UInt8(ascii: "=")
  fileprivate static let colon = UInt8(ascii: ":")
  fileprivate static let dot = UInt8(ascii: ".")
  fileprivate static let quote = UInt8(ascii: "\"")
  fileprivate static let apostrophe = UInt8(ascii: "'")
  fileprivate static let backtick = UInt8(ascii: "`")

  fileprivate var isUpper: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
  fileprivate var isLower: Bool { self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z") }
  fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
  fileprivate var isAlphanumeric: Bool { isUpper || isLower || isDigit }
  fileprivate var isUpperOrDigit: Bool { isUpper || isDigit }
  fileprivate var isBase64URL: Bool { isAlphanumeric || self == .dash || self == .underscore }
  fileprivate var isWordByte: Bool { isAlphanumeric || self == .underscore }
  /// The characters of tokens judged by entropy, `=` padding aside: base64 and base64url.
  fileprivate var isTokenByte: Bool { isBase64URL || self == .plus || self == .slash }
  /// The characters of names in `name: value`: `api_key`, `x-api-key`, `openai.apiKey`.
  fileprivate var isKeyByte: Bool { isBase64URL || self == .dot }
  fileprivate var isSpace: Bool { self == .space || self == UInt8(ascii: "\t") || self == UInt8(ascii: "\r") }
  /// Where a bare value ends. Brackets too: `get_password(user)` and `env["TOKEN"]` are code.
  fileprivate var isDelimiter: Bool { ",;()[]{}\"'`".utf8.contains(self) }
  fileprivate var isContinuation: Bool { self & 0xC0 == 0x80 }
  fileprivate var lowercased: UInt8 { isUpper ? self + 32 : self }
}
