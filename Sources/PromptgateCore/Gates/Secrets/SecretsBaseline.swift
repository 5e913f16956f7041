import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `.promptgate/secrets-baseline`: findings of the secrets gate acknowledged as not secret (a
/// test vector, a published example), each with the reason. Read from the trusted commit (the
/// base; the release itself only for a first release), like every governance file: a release
/// cannot acknowledge its own findings, and adding a line is a governance change that waits
/// for the checkpoint the runbook names.
///
/// One entry per line, `#` starts a comment:
///
///     <fingerprint> <path> <reason>
///     3f2a9c0d1e2b4a5c prompts/crypto-tutor.md RFC 4231 test vector, published
///
/// The fingerprint is the first 16 hex digits of the SHA-256 of the matched text, which the
/// gate prints beside each finding: it names the finding without repeating the secret, and
/// survives the line moving. A path holding spaces is written in double quotes.
public struct SecretsBaseline: Sendable {
  public static let path = ".promptgate/secrets-baseline"

  public struct Entry: Sendable, Hashable {
    public let fingerprint: String
    public let path: String
    public let reason: String
    /// Where it is written, for the note that says what acknowledged a finding.
    public let line: Int
  }

  public let entries: [Entry]

  /// The entry acknowledging `finding` in `path`, if there is one.
  public func acknowledgement(of finding: SecretFinding, in path: String) -> Entry? {
    let fingerprint = Self.fingerprint(of: finding)
    return entries.first { $0.fingerprint == fingerprint && $0.path == path }
  }

  public static func fingerprint(of finding: SecretFinding) -> String { String(finding.digest.prefix(16)) }

  /// The entries of `text`, and a problem for each line that is not one; a bad line
  /// acknowledges nothing.
  public static func parse(_ text: String) -> (SecretsBaseline, [Diagnostic]) {
    var entries: [Entry] = []
    var problems: [Diagnostic] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.drop { $0.isWhitespace }
      guard !line.isEmpty, !line.hasPrefix("#") else { continue }
      switch entry(line, number: index + 1) {
      case .entry(let entry): entries.append(entry)
      case .problem(let problem): problems.append(problem)
      }
    }
    return (SecretsBaseline(entries: entries), problems)
  }

  private enum Line {
    case entry(Entry)
    case problem(Diagnostic)
  }

  private static func entry(_ line: Substring, number: Int) -> Line {
    func problem(_ message: String) -> Line {
      .problem(
        Diagnostic(
          .error,
          "\(message); write `<fingerprint> <path> <reason>`, the fingerprint as the secrets gate prints it",
          file: path, at: SourceLocation(line: number, column: 1)))
    }
    var rest = line[...]
    let fingerprint = rest.prefix { !$0.isWhitespace }
    rest = rest.dropFirst(fingerprint.count).drop { $0.isWhitespace }
    guard fingerprint.count == 16, fingerprint.allSatisfy(\.isHexDigit),
      fingerprint == fingerprint.lowercased()
    else {
      return problem("`\(fingerprint)` is not a fingerprint (16 lowercase hex digits)")
    }
    let filePath: Substring
    if rest.first == "\"" {
      guard let close = rest.dropFirst().firstIndex(of: "\"") else {
        return problem("the quoted path is not closed")
      }
      filePath = rest[rest.index(after: rest.startIndex)..<close]
      rest = rest[rest.index(after: close)...]
    } else {
      filePath = rest.prefix { !$0.isWhitespace }
      rest = rest.dropFirst(filePath.count)
    }
    let reason = rest.trimmingWhitespace
    guard !filePath.isEmpty else { return problem("the line names no path") }
    guard !reason.isEmpty else { return problem("say why `\(fingerprint)` in \(filePath) is not a secret") }
    return .entry(
      Entry(fingerprint: String(fingerprint), path: String(filePath), reason: reason, line: number))
  }

  /// The baseline of `commit`; an empty one when it has none.
  static func load(from commit: Commit, in repository: Repository) throws(PromptgateError) -> (
    SecretsBaseline, [Diagnostic]
  ) {
    do {
      guard let entry = try repository.entry(at: path, inTree: commit.tree), entry.mode.isBlob,
        entry.mode != .link
      else { return (SecretsBaseline(entries: []), []) }
      return parse(String(decoding: try repository.blob(entry.id), as: UTF8.self))
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "\(path) of \(commit.id.short())")
    }
  }
}
