import PromptgateCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `check --format github`: GitHub Actions workflow commands (`::error file=...,line=...::`)
/// that annotate the pull request, and a Markdown job summary when `GITHUB_STEP_SUMMARY` is set.
struct CheckGitHubFormatter {
  func annotations(_ report: CheckReport) -> String {
    var out = ""
    for gate in report.gates where gate.status == .fail {
      let command = report.blockingFailures.contains(gate) ? "error" : "warning"
      for diagnostic in gate.diagnostics where diagnostic.severity != .note {
        var properties: [String] = []
        if let file = diagnostic.file {
          properties.append("file=\(property(file))")
          if let location = diagnostic.location {
            properties.append("line=\(location.line)")
            properties.append("col=\(location.column)")
          }
        }
        properties.append("title=\(property("promptgate \(gate.id)"))")
        out += "::\(command) \(properties.joined(separator: ","))::\(data(diagnostic.message))\n"
      }
    }
    let verdict =
      report.passed
      ? "promptgate check passed: \(report.gates.filter { $0.status == .pass }.count) gates pass"
      : "promptgate check blocked: \(report.blockingFailures.map(\.id).joined(separator: ", "))"
    return out + verdict + "\n"
  }

  /// Appends the Markdown report to the job summary file, when the runner names one.
  func appendSummary(_ report: CheckReport, names: CheckNames) throws {
    guard let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
    let markdown = CheckMarkdownFormatter().format(report, names: names) + "\n"
    guard StandardStream.append(markdown, toFileAt: path) else {
      throw PromptgateError.input("cannot write the job summary to GITHUB_STEP_SUMMARY=\(path)")
    }
  }

  /// Escapes a message as the runner expects: `%`, carriage return and newline.
  private func data(_ text: String) -> String {
    text.replacingLiteral("%", with: "%25").replacingLiteral("\r", with: "%0D")
      .replacingLiteral("\n", with: "%0A")
  }

  /// Escapes a property value: as data, plus `:` and `,`, which end properties.
  private func property(_ text: String) -> String {
    data(text).replacingLiteral(":", with: "%3A").replacingLiteral(",", with: "%2C")
  }
}
