import Crypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One suspected credential in a text file.
public struct SecretFinding: Sendable, Hashable, Codable {
  /// The rule that matched, the ``SecretRule/id`` a baseline or a report refers to.
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
  /// The SHA-256 of the matched text, in hex: what a baseline entry names the finding by, so it
  /// survives the line moving, and never the secret itself.
  public let digest: String

  public init(rule: String, description: String, line: Int, column: Int, redacted: String, digest: String) {
    self.rule = rule
    self.description = description
    self.line = line
    self.column = column
    self.redacted = redacted
    self.digest = digest
  }
}

/// Finds credentials pasted into prompts, policies and the files shipped with them, for the gate
/// that keeps them out of git. The rules are the table ``SecretRule/all``; this is the engine.
///
/// Works on the UTF-8 bytes one line at a time, in one pass: known key formats are recognised
/// by their prefix, `password: …`-style assignments by the name before the separator, and
/// anything else by the entropy of long tokens. Public material is never a finding: PEM
/// certificates and public keys, OpenSSH public keys, digests, identifiers inside URLs, base64
/// of readable text (which is scanned again, decoded) or of a known file format. Values that
/// read as words, placeholders (`<…>`, `${…}`, `{{ … }}`, `xxxx`, `***`, `changeme`) and the
/// documented examples of vendors (`AKIAIOSFODNN7EXAMPLE`) are left alone, because prompt and
/// policy files are full of them.
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
    scan(Array(text.utf8), decoding: true)
  }

  /// `decoding`: whether base64 of readable text is decoded and scanned again (once, not within
  /// what was decoded).
  func scan(_ bytes: [UInt8], decoding: Bool) -> [SecretFinding] {
    var findings: [SecretFinding] = []
    var block: OpenBlock?
    var lineNumber = 0
    var lineStart = 0
    while lineStart <= bytes.count {
      let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      lineNumber += 1
      defer { lineStart = lineEnd + 1 }
      if let open = block {
        switch PEMLine(bytes[lineStart..<lineEnd]) {
        case .body(let long):
          block?.sawBody = open.sawBody || long
          continue
        case .armorHeader:
          continue
        case .end:
          if let index = open.findingIndex, !open.sawBody { findings.remove(at: index) }
          block = nil
          continue
        case .other:
          if let index = open.findingIndex, !open.sawBody { findings.remove(at: index) }
          block = nil
        }
      }
      var line = LineScanner(bytes: bytes, range: lineStart..<lineEnd, options: options, decoding: decoding)
      line.scan()
      if line.opensPublicBlock { block = OpenBlock(findingIndex: nil, sawBody: true) }
      // Columns count scalars: the bytes before each match, less their continuation bytes.
      var column = 1
      var counted = lineStart
      for candidate in line.resolved() {
        column += bytes[counted..<candidate.range.lowerBound].count { !$0.isContinuation }
        counted = candidate.range.lowerBound
        if candidate.opensBlock {
          block = OpenBlock(findingIndex: findings.count, sawBody: !candidate.pending)
        }
        findings.append(candidate.finding(in: bytes, line: lineNumber, column: column))
      }
    }
    if let open = block, let index = open.findingIndex, !open.sawBody { findings.remove(at: index) }
    return findings
  }
}

/// A PEM block whose body continues on the following lines: a private key's (its header's
/// finding is withdrawn if no key body follows: a policy may name the header), or public
/// material's (`CERTIFICATE`, `PUBLIC KEY`), whose body is skipped.
private struct OpenBlock {
  var findingIndex: Int?
  var sawBody: Bool
}

/// How a line inside a PEM block reads.
private enum PEMLine {
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
    // A YAML block scalar's or a JSON string's quote around a body line.
    while trimmed.first == .quote || trimmed.first == .apostrophe { trimmed.removeFirst() }
    while trimmed.last == .quote || trimmed.last == .apostrophe || trimmed.last == .comma {
      trimmed.removeLast()
    }
    if trimmed.isEmpty {
      self = .armorHeader
    } else if String(decoding: trimmed, as: UTF8.self).containsLiteral("-----END ") {
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

/// A match of one rule on one line, before overlapping matches are settled.
private struct Candidate {
  var range: Range<Int>
  var rule: SecretRule
  /// The name a `secret-assignment` value was assigned to.
  var key: String = ""
  /// A private key header whose body runs on past this line.
  var opensBlock = false
  /// A private key header without a body yet: reported only if one follows.
  var pending = false
  /// Found in base64 that decoded to text: the whole base64 token is the range.
  var encoded = false

  var description: String {
    var words = rule.description
    if case .assignment = rule.detector { words += " assigned to `\(key)`" }
    return encoded ? words + " (base64-encoded)" : words
  }

  func finding(in bytes: [UInt8], line: Int, column: Int) -> SecretFinding {
    let head = bytes[range].prefix(16)
    let kept = min(4, head.count { !$0.isContinuation } / 2)
    let redacted = String(String(decoding: head, as: UTF8.self).unicodeScalars.prefix(kept)) + "…"
    let digest = Hex.string(SHA256.hash(data: Data(bytes[range])))
    return SecretFinding(
      rule: rule.id, description: description, line: line, column: column, redacted: redacted, digest: digest)
  }
}

/// The table's rules, indexed for one pass over a line.
private enum RuleIndex {
  /// Prefixed rules by their prefix's first byte, longest prefix first (`sk-ant-` before `sk-`).
  static let prefixed: [UInt8: [(prefix: [UInt8], rule: SecretRule)]] = {
    var index: [UInt8: [(prefix: [UInt8], rule: SecretRule)]] = [:]
    for rule in SecretRule.all {
      guard case .prefixed(let prefixes, _, _, _) = rule.detector else { continue }
      for prefix in prefixes { index[prefix.utf8.first!, default: []].append((Array(prefix.utf8), rule)) }
    }
    return index.mapValues { $0.sorted { $0.prefix.count > $1.prefix.count } }
  }()

  static func rule(_ matches: (SecretRule.Detector) -> Bool) -> SecretRule? {
    SecretRule.all.first { matches($0.detector) }
  }

  static let privateKey = rule { if case .privateKeyBlock = $0 { true } else { false } }
  static let jwt = rule { if case .jsonWebToken = $0 { true } else { false } }
  static let urlPassword = rule { if case .urlPassword = $0 { true } else { false } }
  static let assignment = rule { if case .assignment = $0 { true } else { false } }
  static let password = rule { if case .passwordAssignment = $0 { true } else { false } }
  static let awsSecretKey = rule { if case .awsSecretKey = $0 { true } else { false } }
  static let hexKey = rule { if case .hexKey = $0 { true } else { false } }
  static let highEntropy = rule { if case .highEntropy = $0 { true } else { false } }
}

/// One line's pass: every rule that can start at a byte is tried there, so the line is read once.
private struct LineScanner {
  let bytes: [UInt8]
  let range: Range<Int>
  let options: Options
  let decoding: Bool
  private(set) var candidates: [Candidate] = []
  /// A `-----BEGIN CERTIFICATE-----` (or other public PEM header) whose body runs on.
  private(set) var opensPublicBlock = false
  /// Where each rule's last try stopped reading, by rule id. A start before it reads a suffix of
  /// the same run and fails or matches inside the same span, so it is not tried: this keeps a
  /// line linear.
  private var floors: [String: Int] = [:]
  /// Bytes before this index are public material (a PEM certificate on this line): no entropy.
  private var publicUntil: Int

  typealias Options = SecretScanner.Options

  init(bytes: [UInt8], range: Range<Int>, options: Options, decoding: Bool) {
    self.bytes = bytes
    self.range = range
    self.options = options
    self.decoding = decoding
    self.publicUntil = range.lowerBound
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
      if byte == .dash, i >= floors["pem", default: 0], has("-----BEGIN ", at: i) {
        matchPEM(at: i)
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
        matchToken(start..<i)
        tokenStart = nil
      }
      i += 1
    }
    if let start = tokenStart { matchToken(start..<end) }
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
    guard let rules = RuleIndex.prefixed[bytes[i]] else { return }
    for (prefix, rule) in rules where has(prefix, at: i) {
      guard case .prefixed(_, let body, let length, let acceptance) = rule.detector else { return }
      let bodyStart = i + prefix.count
      switch length {
      case .exactly(let count):
        let bodyEnd = run(from: bodyStart, limit: count + 1, body.contains)
        let next = bodyEnd < end ? bytes[bodyEnd] : nil
        guard bodyEnd - bodyStart == count, next.map({ !$0.isAlphanumeric && !body.contains($0) }) ?? true
        else { return }
        add(rule, i..<bodyEnd)
      case .atLeast(let minimum):
        guard i >= floors[rule.id, default: 0] else { return }
        let bodyEnd = run(from: bodyStart, limit: 256, body.contains)
        floors[rule.id] = bodyEnd
        let tail = bytes[bodyStart..<bodyEnd]
        let accepted =
          switch acceptance {
          case .any: true
          case .notWords: !readsAsWords(tail)
          case .startsWithDigit: tail.first?.isDigit == true
          }
        guard bodyEnd - bodyStart >= minimum, accepted else { return }
        add(rule, i..<bodyEnd)
      }
      return
    }
  }

  /// `eyJ…` (base64 of `{"`) twice, dot-separated, and a signature: header, claims, signature.
  /// jwt.io's own example (`John Doe`, subject `1234567890`) is documentation.
  private mutating func matchJWT(at i: Int) {
    guard let rule = RuleIndex.jwt, i >= floors[rule.id, default: 0] else { return }
    let headerEnd = run(from: i, limit: 4096, \.isBase64URL)
    floors[rule.id] = headerEnd
    guard headerEnd - i >= 10, headerEnd < end, bytes[headerEnd] == .dot, has("eyJ", at: headerEnd + 1)
    else { return }
    let claimsEnd = run(from: headerEnd + 1, limit: 8192, \.isBase64URL)
    guard claimsEnd - headerEnd > 10, claimsEnd < end, bytes[claimsEnd] == .dot else { return }
    let signatureEnd = run(from: claimsEnd + 1, limit: 4096, \.isBase64URL)
    guard signatureEnd - claimsEnd > 16 else { return }
    if let claims = Base64Text.decode(bytes[(headerEnd + 1)..<claimsEnd]) {
      let text = String(decoding: claims, as: UTF8.self)
      if text.containsLiteral("John Doe") || text.containsLiteral("\"1234567890\"") {
        publicUntil = max(publicUntil, signatureEnd)
        return
      }
    }
    add(rule, i..<signatureEnd)
  }

  /// `-----BEGIN RSA PRIVATE KEY-----` and its kin, reported only with a key body after it, on
  /// this line (JSON with `\n` escapes) or the next ones; `-----BEGIN CERTIFICATE-----` and the
  /// other public labels, whose body is skipped.
  private mutating func matchPEM(at i: Int) {
    let labelStart = i + 11
    let labelEnd = run(from: labelStart, limit: 40) { $0.isUpperOrDigit || $0 == .space }
    let label = String(decoding: bytes[labelStart..<labelEnd], as: UTF8.self)
    guard has("-----", at: labelEnd) else { return }
    let headerEnd = labelEnd + 5
    guard label.hasSuffix("PRIVATE KEY") || label.hasSuffix("PRIVATE KEY BLOCK") else {
      guard Self.publicLabels.contains(where: label.hasSuffix) else { return }
      if let marker = find("-----END ", from: headerEnd), let close = find("-----", from: marker + 9) {
        publicUntil = max(publicUntil, close + 5)
        floors["pem"] = close + 5
      } else {
        publicUntil = end
        floors["pem"] = end
        opensPublicBlock = true
      }
      return
    }
    guard let rule = RuleIndex.privateKey else { return }
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
      candidates.append(Candidate(range: i..<headerEnd, rule: rule, opensBlock: true, pending: true))
      return
    }
    if let marker = find("-----END ", from: bodyEnd), let close = find("-----", from: marker + 9) {
      floors["pem"] = close + 5
      candidates.append(Candidate(range: i..<(close + 5), rule: rule))
    } else {
      floors["pem"] = end
      candidates.append(Candidate(range: i..<end, rule: rule, opensBlock: true))
    }
  }

  /// PEM labels of material published on purpose: certificates, public keys, signatures.
  private static let publicLabels = [
    "CERTIFICATE", "TRUSTED CERTIFICATE", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "X509 CRL",
    "PUBLIC KEY", "PGP PUBLIC KEY BLOCK", "PGP SIGNATURE", "PGP MESSAGE", "SSH SIGNATURE", "PKCS7", "CMS",
  ]

  // MARK: Assignments

  /// How the names of credentials end once lowercased without `_`, `-` and `.`: `DB_PASSWORD`,
  /// `clientSecret`, `x-api-key`. `max_tokens` and `tokenizer` do not.
  private static let credentialNames = [
    "password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey",
  ]
  private static let passwordNames = ["password", "passwd", "passphrase", "pwd"]

  /// Values a password's name is given in schemas and configuration that are not passwords.
  private static let passwordStockValues: Set<String> = [
    "true", "false", "null", "none", "nil", "string", "required", "optional", "secret", "password", "hidden",
    "masked", "empty", "yes", "no", "text", "type", "value",
  ]

  /// `api_key: "…"`, `"password": "…"`, `TOKEN=…`, `secret := …`: the value, when the name is a
  /// credential's and the value is neither a placeholder nor words. A password's name makes a
  /// shorter value a finding (`Summer2024!`, `hunter2`), unless it reads as plain words.
  private mutating func matchAssignment(separator: Int) {
    guard let key = keyBefore(separator) else { return }
    // The name's letters and digits, lowercased, as bytes: every `key = value` of every file
    // scanned passes here.
    var letters: [UInt8] = []
    letters.reserveCapacity(key.count)
    for byte in key where byte.isAlphanumeric { letters.append(byte.lowercased) }
    let normalized = letters
    func endsWith(_ name: String) -> Bool {
      normalized.count >= name.utf8.count && normalized.suffix(name.utf8.count).elementsEqual(name.utf8)
    }
    guard
      Self.credentialNames.contains(where: endsWith) || Self.passwordNames.contains(where: endsWith),
      let value = valueAfter(separator)
    else {
      return
    }
    let text = bytes[value]
    let name = String(decoding: key, as: UTF8.self)
    if endsWith("secretaccesskey"), text.count == 40,
      text.allSatisfy({ $0.isAlphanumeric || $0 == .plus || $0 == .slash })
    {
      if let rule = RuleIndex.awsSecretKey { add(rule, value) }
    } else if Self.passwordNames.contains(where: endsWith) {
      guard let rule = RuleIndex.password, text.count >= 6, !text.contains(where: \.isSpace),
        !Self.passwordStockValues.contains(String(decoding: text, as: UTF8.self).lowercased()),
        !readsAsPlainWords(text)
      else { return }
      add(rule, value)
    } else if text.count >= 12, !text.contains(where: \.isSpace), !readsAsWords(text),
      let rule = RuleIndex.assignment
    {
      add(rule, value, key: name)
    }
  }

  /// Words, identifiers and dotted references (`env.DB_PASSWORD`, `secretKeyRef`) with no digit
  /// after a letter and no symbol: what a password's name is given when it is not a password.
  private func readsAsPlainWords(_ text: ArraySlice<UInt8>) -> Bool {
    text.allSatisfy { $0.isAlphanumeric || "_-./".utf8.contains($0) } && !text.contains(where: \.isDigit)
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
    guard has("://", at: colon), let rule = RuleIndex.urlPassword else { return }
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
    add(rule, password.indices)
  }

  // MARK: Tokens

  /// A run of base64 characters: a JWT, a hex key near a key word, or a token judged by its
  /// entropy. Inside a URL, path segments and parameters are identifiers (channel and page ids):
  /// the secrets URLs carry have rules of their own (userinfo, webhooks, `?api_key=`).
  private mutating func matchToken(_ token: Range<Int>) {
    if has("eyJ", at: token.lowerBound) { matchJWT(at: token.lowerBound) }
    guard token.lowerBound >= publicUntil, !isInURL(token.lowerBound) else { return }
    matchHexKey(token)
    judge(token)
  }

  /// 32 or more hex digits, letters and digits mixed, shortly after a word that names a key or
  /// a token (`API key 3f2a…`, `Bearer 3f2a…`); not a digest (`sha256:…`) nor a commit.
  private mutating func matchHexKey(_ token: Range<Int>) {
    guard let rule = RuleIndex.hexKey, case .hexKey(let minimum) = rule.detector, token.count >= minimum,
      token.count != 40 && token.count != 64 || !digestBefore(token.lowerBound)
    else { return }
    let text = bytes[token]
    let lower = text.allSatisfy { $0.isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    let upper = text.allSatisfy { $0.isDigit || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
    guard lower || upper, text.contains(where: \.isDigit), text.contains(where: { !$0.isDigit }),
      !digestBefore(token.lowerBound)
    else { return }
    let window = max(range.lowerBound, token.lowerBound - 32)
    let before = String(decoding: bytes[window..<token.lowerBound], as: UTF8.self).lowercased()
    guard rule.keywords.contains(where: before.contains) else { return }
    add(rule, token)
  }

  /// Whether a digest's or a commit's name comes right before `start`: `sha256:`, `sha1-`,
  /// `commit `, `md5 `.
  private func digestBefore(_ start: Int) -> Bool {
    let from = max(range.lowerBound, start - 12)
    let before = String(decoding: bytes[from..<start], as: UTF8.self).lowercased()
    return ["sha", "md5", "commit", "digest", "checksum", "hash", "rev"].contains(where: before.contains)
  }

  private mutating func judge(_ token: Range<Int>) {
    guard token.count >= max(1, options.minimumTokenLength), let rule = RuleIndex.highEntropy else { return }
    let text = bytes[token]
    guard text.contains(where: \.isUpper), text.contains(where: \.isLower), text.contains(where: \.isDigit),
      !readsAsWords(text), !isPublic(token), entropy(text) >= options.entropyThreshold
    else { return }
    if let decoded = Base64Text.decode(text) {
      if Base64Text.isKnownFormat(decoded) { return }
      if decoding, Base64Text.isReadable(decoded) {
        // Encoded text is not random: what it says is judged instead.
        for finding in SecretScanner(options: options).scan(decoded, decoding: false) {
          if let inner = SecretRule.all.first(where: { $0.id == finding.rule }) {
            add(inner, token, encoded: true)
          }
        }
        return
      }
    }
    add(rule, token)
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

  private mutating func add(_ rule: SecretRule, _ range: Range<Int>, key: String = "", encoded: Bool = false)
  {
    guard encoded || !isPlaceholder(bytes[range]) else { return }
    candidates.append(Candidate(range: range, rule: rule, key: key, encoded: encoded))
  }

  /// Where a run of allowed bytes from `start` ends, looking at no more than `limit` bytes.
  private func run(from start: Int, limit: Int, _ allowed: (UInt8) -> Bool) -> Int {
    let stop = min(end, start + limit)
    var i = min(start, stop)
    while i < stop, allowed(bytes[i]) { i += 1 }
    return i
  }

  private func has(_ literal: String, at i: Int) -> Bool {
    has(Array(literal.utf8), at: i)
  }

  private func has(_ literal: [UInt8], at i: Int) -> Bool {
    i + literal.count <= end && bytes[i..<(i + literal.count)].elementsEqual(literal)
  }

  private func find(_ literal: String, from start: Int) -> Int? {
    (start..<max(start, end)).first { has(literal, at: $0) }
  }

  /// `<your-key>`, `${TOKEN}`, `{{ token }}`, `$TOKEN`, `xxxx…`, `****`, `changeme`: stand-ins
  /// that documentation and templates use where the secret will go; vendors' documented
  /// examples (`…EXAMPLE`, Kubernetes' `MWYyZDFlMmU2N2Rm`); and a run of eight characters in
  /// sequence (`12345678`, `abcdefgh`), which a random secret does not hold.
  private func isPlaceholder(_ text: ArraySlice<UInt8>) -> Bool {
    let value = String(decoding: text.prefix(512), as: UTF8.self).lowercased()
    return Self.placeholderStarts.contains(where: value.hasPrefix)
      || Self.placeholderFragments.contains(where: value.contains)
      || Self.documentedExamples.contains(where: { text.starts(with: $0.utf8) })
      || hasSequence(text.prefix(512), length: 8)
  }

  private func hasSequence(_ text: ArraySlice<UInt8>, length: Int) -> Bool {
    var run = 1
    var previous: UInt8?
    for byte in text {
      if let previous, byte == previous &+ 1, byte.isAlphanumeric { run += 1 } else { run = 1 }
      if run >= length { return true }
      previous = byte
    }
    return false
  }

  private static let placeholderStarts = ["<", "$", "%", "your"]
  private static let placeholderFragments = [
    "xxxx", "****", "...", "…", "{{", "{%", "${", "changeme", "change_me", "change-me", "redacted",
    "placeholder", "example",
  ]
  /// Credentials that vendors publish in their own documentation, as they are written there.
  private static let documentedExamples = [
    "MWYyZDFlMmU2N2Rm",  // Kubernetes' Secret example: base64 of `1f2d1e2e67df`
    "YWRtaW4=",  // and its user, `admin`
    "t0p-Secret",  // Kubernetes' stringData example
  ]
}

/// Base64 in a scanned token, decoded to tell encoded text and file formats from random bytes.
enum Base64Text {
  /// The bytes `text` encodes (standard or URL alphabet, padded or not), or nil when it is not
  /// base64 of whole bytes.
  static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    var string = String(decoding: text, as: UTF8.self)
      .replacingLiteral("-", with: "+").replacingLiteral("_", with: "/")
    if string.hasSuffix("=") == false {
      let remainder = string.utf8.count % 4
      guard remainder != 1 else { return nil }
      if remainder > 0 { string += String(repeating: "=", count: 4 - remainder) }
    }
    return Data(base64Encoded: string).map { Array($0) }
  }

  /// Printable text: UTF-8 with no control characters but tab and newline, mostly letters.
  static func isReadable(_ bytes: [UInt8]) -> Bool {
    guard !bytes.isEmpty, String(validating: bytes, as: UTF8.self) != nil else { return false }
    let controls = bytes.count { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D || $0 == 0x7F }
    return controls == 0
  }

  /// Serialized data and compressed or image formats, by their magic bytes: a Java object
  /// stream, gzip, zlib, zip, PNG, PDF, DER (certificates and public keys, `MII…`/`MFkw…`).
  static func isKnownFormat(_ bytes: [UInt8]) -> Bool {
    let magic: [[UInt8]] = [
      [0xAC, 0xED, 0x00, 0x05], [0x1F, 0x8B], [0x78, 0x01], [0x78, 0x5E], [0x78, 0x9C], [0x78, 0xDA],
      [0x50, 0x4B, 0x03, 0x04], [0x89, 0x50, 0x4E, 0x47], Array("%PDF".utf8),
    ]
    return magic.contains { bytes.starts(with: $0) } || isDERPublicMaterial(bytes)
  }

  /// A DER SEQUENCE holding an X.509 certificate or a SubjectPublicKeyInfo: its first element
  /// is itself a SEQUENCE (the TBS certificate, or the algorithm identifier of a public key).
  /// Private keys (PKCS#1, PKCS#8) start with an INTEGER version instead, so they are not this.
  static func isDERPublicMaterial(_ bytes: [UInt8]) -> Bool {
    guard bytes.count > 8, bytes[0] == 0x30 else { return false }
    let contentStart: Int
    switch bytes[1] {
    case 0x00..<0x80: contentStart = 2
    case 0x81: contentStart = 3
    case 0x82: contentStart = 4
    case 0x83: contentStart = 5
    default: return false
    }
    return contentStart < bytes.count && bytes[contentStart] == 0x30
  }
}

/// Names, paths and versions: each piece between `_-./:` is letters with at most one run of
/// digits at either end (`support_bot2`, `RefundPolicyV3`, `4o`). Random strings interleave
/// letters and digits, and base64 carries `+` and `=`.
func readsAsWords(_ text: ArraySlice<UInt8>) -> Bool {
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
