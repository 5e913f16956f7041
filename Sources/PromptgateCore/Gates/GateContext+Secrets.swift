import Git

extension GateContext {
  /// Scans every added or changed prompt and policy for credentials; each finding is an error
  /// with its file, line and column, and never shows the secret itself.
  func secretsOutcome(entropyThreshold: Double, minimumTokenLength: Int) -> GateOutcome {
    let scanner = SecretScanner(
      options: SecretScanner.Options(
        entropyThreshold: entropyThreshold, minimumTokenLength: minimumTokenLength))
    var problems: [Diagnostic] = []
    var scanned = 0
    for file in files
    where file.kind != .other && file.status != .deleted && !file.binary && file.oldID != file.newID {
      guard let text = text(of: file.newID.flatMap(ObjectID.init(hex:))) else { continue }
      scanned += 1
      for finding in scanner.scan(text) {
        problems.append(
          Diagnostic(
            .error,
            "\(finding.description) (`\(finding.redacted)`) must not be committed; remove it, rotate it, "
              + "and load it from the environment at run time",
            file: file.path, at: SourceLocation(line: finding.line, column: finding.column)))
      }
    }
    if scanned == 0 {
      return .notApplicable("no prompt or policy was added or changed")
    }
    return .judging(problems)
  }
}
