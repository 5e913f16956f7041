import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension GateContext {
  /// Scans every added or changed file the release ships for credentials: prompts, policies,
  /// the runbook and the fallback response. Each finding is an error with its file, line and
  /// column, never the secret itself, unless the trusted `.promptgate/secrets-baseline`
  /// acknowledges it.
  func secretsOutcome(entropyThreshold: Double, minimumTokenLength: Int) -> GateOutcome {
    let scanner = SecretScanner(
      options: SecretScanner.Options(
        entropyThreshold: entropyThreshold, minimumTokenLength: minimumTokenLength))
    let baseline: SecretsBaseline
    var problems: [Diagnostic] = []
    var notes: [Diagnostic] = []
    do {
      let (loaded, baselineProblems) = try SecretsBaseline.load(from: base ?? release, in: repository)
      baseline = loaded
      problems += baselineProblems
    } catch {
      return .fail([Diagnostic(.error, error.message, file: SecretsBaseline.path)])
    }
    let shipped = shippedPaths
    var scanned = 0
    for file in files
    where (file.kind != .other || shipped.contains(file.path)) && file.status != .deleted && !file.binary
      && file.oldID != file.newID
    {
      guard let text = text(of: file.newID.flatMap(ObjectID.init(hex:))) else { continue }
      scanned += 1
      for finding in scanner.scan(text) {
        let place = SourceLocation(line: finding.line, column: finding.column)
        let fingerprint = SecretsBaseline.fingerprint(of: finding)
        if let entry = baseline.acknowledgement(of: finding, in: file.path) {
          notes.append(
            Diagnostic(
              .note,
              "\(finding.description) (`\(finding.redacted)`, \(fingerprint)) is acknowledged by "
                + "\(SecretsBaseline.path) line \(entry.line): \(entry.reason)",
              file: file.path, at: place))
          continue
        }
        problems.append(
          Diagnostic(
            .error,
            "\(finding.description) (`\(finding.redacted)`, \(finding.rule) \(fingerprint)) must not be committed; "
              + "remove it, rotate it, and load it from the environment at run time; if it is not a secret, "
              + "acknowledge it in \(SecretsBaseline.path) (a governance change): "
              + "\(fingerprint) \(RepositoryText.quoted(file.path)) <reason>",
            file: file.path, at: place))
      }
    }
    if scanned == 0 {
      return .notApplicable("no prompt, policy, runbook or fallback response was added or changed")
    }
    return .judging(problems, notes: notes)
  }

  /// Files shipped with the prompts and policies that the path globs do not classify: the
  /// runbook, and the fallback response either runbook names.
  private var shippedPaths: Set<String> {
    var paths: Set<String> = [Runbook.path]
    for runbook in [runbook, trusted] {
      if let response = runbook?.fallback?.response, !response.isEmpty { paths.insert(response) }
    }
    return paths
  }
}
