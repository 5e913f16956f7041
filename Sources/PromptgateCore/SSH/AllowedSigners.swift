#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Reviewers' keys in OpenSSH's `allowed_signers` format (ssh-keygen(1), ALLOWED SIGNERS), read
/// as `ssh-keygen -Y verify` reads it, so the file means the same to promptgate and to OpenSSH:
///
///     principals [options] keytype base64 [comment]
///
/// Principals and `namespaces` are comma-separated patterns with `*`, `?` and `!` (a matching
/// negation refuses even when another pattern matches). Times in `valid-after` / `valid-before`
/// are `YYYYMMDD[HHMM[SS]]` with an optional `Z`; OpenSSH reads times without `Z` as local time,
/// promptgate reads them as UTC so that a release is judged the same on every CI machine.
public struct AllowedSigners: Sendable {
  public struct Entry: Sendable, Hashable {
    /// The principal patterns as written, e.g. `["*@example.com", "!mallory@example.com"]`.
    public let principals: [String]
    /// The `namespaces` patterns, or nil when the key may sign in any namespace.
    public let namespaces: [String]?
    public let validAfter: Date?
    public let validBefore: Date?
    public let key: SSHPublicKey
    /// The line of the file the entry is on, counted from 1.
    public let line: Int
  }

  public let entries: [Entry]
  /// The repository path the entries were read from, named in refusals.
  public let file: String

  /// Parses the file; each bad line gives one diagnostic with its place and is skipped, the
  /// good lines still count. `cert-authority` lines and key types promptgate cannot verify are
  /// valid for OpenSSH, so they give warnings rather than errors.
  public static func parse(_ text: String, file: String) -> (AllowedSigners, [Diagnostic]) {
    var entries: [Entry] = []
    var diagnostics: [Diagnostic] = []
    for (index, line) in KeyFileLines(text).enumerated() {
      var parser = AllowedSignersLine(line, number: index + 1)
      do {
        if let entry = try parser.parse() { entries.append(entry) }
      } catch {
        diagnostics.append(
          Diagnostic(
            error.severity, error.message, file: file,
            at: SourceLocation(line: index + 1, column: error.column)))
      }
    }
    return (AllowedSigners(entries: entries, file: file), diagnostics)
  }

  /// Why `key` may not sign as `principal` in `namespace` at `time`, or nil when it may.
  ///
  /// As in OpenSSH, a key may sign when any one line lists it for the principal with options
  /// that allow the namespace and time; otherwise the first line that came close says why.
  /// The principals listed by name (not by pattern) for `key`: whom a signer may sign as.
  public func principals(listing key: SSHPublicKey) -> Set<String> {
    Set(
      entries.filter { $0.key == key }.flatMap(\.principals).filter {
        !$0.containsLiteral("*") && !$0.containsLiteral("?") && !$0.hasPrefix("!")
      })
  }

  public func refusal(principal: String, key: SSHPublicKey, namespace: String, at time: Date) -> String? {
    let who = SSHKeyError.quoted(principal, limit: 256)
    var reason: String?
    for entry in entries where KeyPattern.matchList(principal, entry.principals) == 1 && entry.key == key {
      if let namespaces = entry.namespaces, KeyPattern.matchList(namespace, namespaces) != 1 {
        reason = reason ?? "the key of \(who) is not valid for namespace \(SSHKeyError.quoted(namespace))"
      } else if let after = entry.validAfter, time < after {
        reason = reason ?? "the key of \(who) is valid only after \(KeyTime.format(after))"
      } else if let before = entry.validBefore, time > before {
        reason = reason ?? "the key of \(who) is valid only before \(KeyTime.format(before))"
      } else {
        return nil
      }
    }
    return reason ?? "the key \(key.fingerprint) is not listed for \(who) in \(file)"
  }
}

/// A problem on one line of a key file, with the column it starts at.
struct KeyLineError: Error {
  var severity: Diagnostic.Severity = .error
  let message: String
  let column: Int
}

/// The lines of a key file as Unicode scalars, split on `\n` with a trailing `\r` dropped.
struct KeyFileLines: Sequence {
  private let lines: [ArraySlice<Unicode.Scalar>]

  init(_ text: String) {
    let scalars = Array(text.unicodeScalars)
    lines = scalars.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.last == "\r" ? $0.dropLast() : $0
    }
  }

  func makeIterator() -> IndexingIterator<[ArraySlice<Unicode.Scalar>]> { lines.makeIterator() }
}

/// A cursor over one line, with the token rules OpenSSH uses in key files.
struct KeyLineScanner {
  let scalars: [Unicode.Scalar]
  var position = 0

  init(_ line: ArraySlice<Unicode.Scalar>) {
    scalars = Array(line)
  }

  var isAtEnd: Bool { position == scalars.count }
  var column: Int { position + 1 }
  var current: Unicode.Scalar? { isAtEnd ? nil : scalars[position] }

  static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

  mutating func skipBlanks() {
    while let scalar = current, Self.isBlank(scalar) { position += 1 }
  }

  /// The text up to the next blank.
  mutating func word() -> String {
    let start = position
    while let scalar = current, !Self.isBlank(scalar) { position += 1 }
    return text(start..<position)
  }

  func text(_ range: Range<Int>) -> String {
    var result = ""
    result.unicodeScalars.append(contentsOf: scalars[range])
    return result
  }

  /// Whether the line is blank or a `#` comment.
  var isEmptyOrComment: Bool {
    var copy = self
    copy.skipBlanks()
    return copy.current == nil || copy.current == "#"
  }

  /// Reads a public key, `keytype base64`, leaving any comment. A key type OpenSSH knows but
  /// promptgate cannot verify throws a warning, so the caller skips the line without failing.
  mutating func publicKey() throws(KeyLineError) -> SSHPublicKey {
    let typeColumn = column
    let type = word()
    guard SSHPublicKey.isKeyTypeName(type) else {
      throw KeyLineError(
        message:
          "\"\(SSHKeyError.quoted(type))\" is not an SSH key type; expected a key such as ssh-ed25519 AAAA...",
        column: typeColumn)
    }
    guard SSHPublicKey.Algorithm(rawValue: type) != nil else {
      throw KeyLineError(
        severity: .warning,
        message:
          "promptgate cannot verify \(type) keys, so this line is ignored; use an ed25519 or ecdsa-sha2-nistp256 key",
        column: typeColumn)
    }
    skipBlanks()
    let dataColumn = column
    let data = word()
    guard !data.isEmpty else {
      throw KeyLineError(
        message: "the \(type) key has no base64 data; copy the whole line of the .pub file",
        column: dataColumn)
    }
    do {
      return try SSHPublicKey(openSSH: "\(type) \(data)")
    } catch {
      throw KeyLineError(message: error.message, column: dataColumn)
    }
  }
}

/// One line of `allowed_signers`, parsed as OpenSSH's `sshsig.c` parses it.
private struct AllowedSignersLine {
  private var scanner: KeyLineScanner
  private let number: Int
  private var namespaces: [String]?
  private var validAfter: Date?
  private var validBefore: Date?
  private var isCertificateAuthority = false

  init(_ line: ArraySlice<Unicode.Scalar>, number: Int) {
    scanner = KeyLineScanner(line)
    self.number = number
  }

  /// The entry, nil for a blank or comment line.
  mutating func parse() throws(KeyLineError) -> AllowedSigners.Entry? {
    guard !scanner.isEmptyOrComment else { return nil }
    scanner.skipBlanks()
    let principalsColumn = scanner.column
    let principals = try readPrincipals()
    scanner.skipBlanks()
    guard !scanner.isAtEnd else {
      throw KeyLineError(
        message: "expected a key after the principals, as in \"alice@example.com ssh-ed25519 AAAA...\"",
        column: principalsColumn)
    }
    var probe = scanner
    if !SSHPublicKey.isKeyTypeName(probe.word()) {
      try readOptions()
      scanner.skipBlanks()
      guard !scanner.isAtEnd else {
        throw KeyLineError(message: "expected a key after the options", column: scanner.column)
      }
    }
    let keyColumn = scanner.column
    let key = try scanner.publicKey()
    guard !isCertificateAuthority else {
      throw KeyLineError(
        severity: .warning,
        message:
          "cert-authority lines are not supported, so this line is ignored; list each signer's own key",
        column: keyColumn)
    }
    return AllowedSigners.Entry(
      principals: principals, namespaces: namespaces, validAfter: validAfter, validBefore: validBefore,
      key: key, line: number)
  }

  /// The principals field: a word, or a double-quoted string that may hold blanks.
  private mutating func readPrincipals() throws(KeyLineError) -> [String] {
    let column = scanner.column
    let text: String
    if scanner.current == "\"" {
      let start = scanner.position + 1
      guard let close = scanner.scalars[start...].firstIndex(of: "\"") else {
        throw KeyLineError(
          message: "the principals' opening quote is never closed; add the closing \"", column: column)
      }
      text = scanner.text(start..<close)
      scanner.position = close + 1
      guard scanner.current.map(KeyLineScanner.isBlank) ?? true else {
        throw KeyLineError(message: "expected a blank after the quoted principals", column: scanner.column)
      }
    } else {
      text = scanner.word()
    }
    let principals = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard !principals.contains(where: { $0.isEmpty || $0 == "!" }) else {
      throw KeyLineError(
        message:
          "the principals \"\(SSHKeyError.quoted(text))\" have an empty entry; separate principals with single commas",
        column: column)
    }
    return principals
  }

  /// The comma-separated options, as `sshsigopt_parse` reads them.
  private mutating func readOptions() throws(KeyLineError) {
    while true {
      let column = scanner.column
      if take("cert-authority") {
        isCertificateAuthority = true
      } else if take("namespaces=") {
        guard namespaces == nil else { throw duplicate("namespaces", column) }
        namespaces = try quotedValue(of: "namespaces", example: "promptgate")
          .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      } else if take("valid-after=") {
        guard validAfter == nil else { throw duplicate("valid-after", column) }
        validAfter = try time(of: "valid-after", column: column)
      } else if take("valid-before=") {
        guard validBefore == nil else { throw duplicate("valid-before", column) }
        validBefore = try time(of: "valid-before", column: column)
      } else {
        throw unknownOption(at: column)
      }
      guard let next = scanner.current, !KeyLineScanner.isBlank(next) else { break }
      guard next == "," else { throw unknownOption(at: column) }
      scanner.position += 1
      guard let after = scanner.current, !KeyLineScanner.isBlank(after) else {
        throw KeyLineError(message: "the options end with a comma; remove it", column: scanner.column - 1)
      }
    }
    if let validAfter, let validBefore, validBefore <= validAfter {
      throw KeyLineError(
        message: "valid-before is not later than valid-after; fix one of the times", column: 1)
    }
  }

  /// Consumes `name` if the line continues with it, ignoring case as OpenSSH does.
  private mutating func take(_ name: String) -> Bool {
    let wanted = Array(name.unicodeScalars)
    let end = scanner.position + wanted.count
    guard end <= scanner.scalars.count,
      zip(scanner.scalars[scanner.position..<end], wanted).allSatisfy({
        $0.properties.lowercaseMapping == $1.properties.lowercaseMapping
      })
    else { return false }
    scanner.position = end
    return true
  }

  /// A `"..."` value, `\"` escaping a quote inside.
  private mutating func quotedValue(of option: String, example: String) throws(KeyLineError) -> String {
    guard scanner.current == "\"" else {
      throw KeyLineError(
        message: "\(option) needs a quoted value, as in \(option)=\"\(example)\"", column: scanner.column)
    }
    let open = scanner.column
    scanner.position += 1
    var value = ""
    while let scalar = scanner.current, scalar != "\"" {
      if scalar == "\\", scanner.position + 1 < scanner.scalars.count,
        scanner.scalars[scanner.position + 1] == "\""
      {
        scanner.position += 1
      }
      value.unicodeScalars.append(scanner.scalars[scanner.position])
      scanner.position += 1
    }
    guard scanner.current == "\"" else {
      throw KeyLineError(message: "the quote of \(option) is never closed; add the closing \"", column: open)
    }
    scanner.position += 1
    return value
  }

  private mutating func time(of option: String, column: Int) throws(KeyLineError) -> Date {
    let valueColumn = scanner.column
    let value = try quotedValue(of: option, example: "20260101")
    guard let date = KeyTime.parse(value) else {
      throw KeyLineError(
        message:
          "\(option) \"\(SSHKeyError.quoted(value))\" is not a time; write YYYYMMDD[HHMM[SS]][Z], as in \(option)=\"20260101\"",
        column: valueColumn)
    }
    return date
  }

  private func duplicate(_ option: String, _ column: Int) -> KeyLineError {
    KeyLineError(message: "\(option) appears twice; keep one", column: column)
  }

  private func unknownOption(at column: Int) -> KeyLineError {
    var probe = scanner
    probe.position = column - 1
    let name = probe.word().prefix { $0 != "," && $0 != "=" }
    return KeyLineError(
      message:
        "unknown option \"\(SSHKeyError.quoted(String(name)))\"; allowed_signers options are cert-authority, namespaces=\"...\", valid-after=\"...\" and valid-before=\"...\"",
      column: column)
  }
}

/// OpenSSH's pattern lists (`match_pattern_list`): `*` and `?` wildcards, `!` negation.
enum KeyPattern {
  /// -1 when a negated pattern matches, 1 when another pattern matches, 0 when none does.
  static func matchList(_ string: String, _ patterns: [String]) -> Int {
    var matched = false
    for pattern in patterns {
      let negated = pattern.hasPrefix("!")
      if glob(Array(string.utf8), Array(pattern.utf8.dropFirst(negated ? 1 : 0))) {
        if negated { return -1 }
        matched = true
      }
    }
    return matched ? 1 : 0
  }

  /// Wildcard match in linear passes: on a mismatch, only the last `*` is retried, one byte
  /// further on, so no pattern can make it take exponential time.
  static func glob(_ string: [UInt8], _ pattern: [UInt8]) -> Bool {
    var (s, p) = (0, 0)
    var star: (pattern: Int, string: Int)?
    while s < string.count {
      if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
        star = (p, s)
        p += 1
      } else if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == string[s] {
        p += 1
        s += 1
      } else if let retry = star {
        star = (retry.pattern, retry.string + 1)
        p = retry.pattern + 1
        s = retry.string + 1
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
  }
}

/// The times of `valid-after` and `valid-before`, read and written in UTC.
enum KeyTime {
  /// `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, optionally ending in `Z` or `UTC`.
  static func parse(_ text: String) -> Date? {
    var digits = Substring(text)
    if digits.count > 1, digits.last == "Z" || digits.last == "z" {
      digits = digits.dropLast()
    } else if digits.count > 3, digits.suffix(3).uppercased() == "UTC" {
      digits = digits.dropLast(3)
    }
    guard [8, 12, 14].contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      return nil
    }
    let numbers = digits.map { Int(($0.asciiValue ?? 48) - 48) }
    func field(_ start: Int, _ length: Int) -> Int {
      start + length <= numbers.count ? numbers[start..<start + length].reduce(0) { $0 * 10 + $1 } : 0
    }
    let (year, month, day) = (field(0, 4), field(4, 2), field(6, 2))
    let (hour, minute, second) = (field(8, 2), field(10, 2), field(12, 2))
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24,
      minute < 60,
      second < 60
    else { return nil }
    let seconds =
      daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// `2026-12-01`, or `2026-12-01 10:30:00 UTC` when the time is not midnight.
  static func format(_ date: Date) -> String {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let inDay = seconds - days * 86_400
    let (year, month, day) = civil(fromDays: days)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let dayText = "\(year)-\(two(month))-\(two(day))"
    guard inDay != 0 else { return dayText }
    return "\(dayText) \(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) UTC"
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  private static func civil(fromDays days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
