import PromptgateCore

/// `check --format junit`: one test case per gate and file, as Conftest reports policies, so a
/// CI dashboard lists each file a gate failed on with that file's findings. A passing gate is
/// one test case, a gate that does not apply is one skipped case, and a gate whose findings
/// name no file is one case named after the gate. A failed gate that blocks is a failure; one
/// that only warns passes with its findings on system-out.
struct CheckJUnitFormatter {
  private struct Case {
    let gate: GateResult
    /// The file the findings are in, or nil for the gate as a whole.
    let file: String?
    let findings: [Diagnostic]
  }

  func format(_ report: CheckReport, names: CheckNames) -> String {
    let cases = report.gates.flatMap(cases)
    let failures = cases.filter { $0.gate.status == .fail && report.blockingFailures.contains($0.gate) }.count
    let skipped = cases.filter { $0.gate.status == .notApplicable }.count
    let suite = "promptgate check \(names.release) (\(report.release.commit.prefix(7)))"
    let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\""
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<testsuites name=\"promptgate\" \(counts)>\n"
    out += "  <testsuite name=\"\(xml(suite))\" \(counts)>\n"
    for testCase in cases {
      let gate = testCase.gate
      let name = testCase.file.map { "\(gate.id) - \(RepositoryText.quoted($0))" } ?? gate.id
      out += "    <testcase classname=\"promptgate.\(gate.layer.rawValue)\" name=\"\(xml(name))\""
      out += testCase.file.map { " file=\"\(xml(RepositoryText.quoted($0)))\"" } ?? ""
      let details = testCase.findings.map(\.formatted).joined(separator: "\n")
      switch gate.status {
      case .pass:
        out += "/>\n"
      case .notApplicable:
        out += ">\n      <skipped message=\"\(xml(details))\"/>\n    </testcase>\n"
      case .fail where report.blockingFailures.contains(gate):
        let first = testCase.findings.first?.formatted ?? RepositoryText.safe(gate.summary)
        out += ">\n      <failure message=\"\(xml(first))\" type=\"\(gate.severity.rawValue)\">"
        out += "\(xml(details))</failure>\n    </testcase>\n"
      case .fail:
        out += ">\n      <system-out>\(xml("warning: " + details))</system-out>\n    </testcase>\n"
      }
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  /// A failed gate's findings grouped by file in the order they were found (those of no file
  /// first, as one case named after the gate); any other gate as one case with its notes.
  private func cases(_ gate: GateResult) -> [Case] {
    let findings = gate.diagnostics.filter { $0.severity != .note }
    guard gate.status == .fail, !findings.isEmpty else {
      return [Case(gate: gate, file: nil, findings: gate.diagnostics)]
    }
    var files: [String?] = []
    for finding in findings where !files.contains(finding.file) { files.append(finding.file) }
    files.sort { $0 == nil && $1 != nil }
    return files.map { file in Case(gate: gate, file: file, findings: findings.filter { $0.file == file }) }
  }

  /// Escapes text for XML attributes and content, dropping characters XML 1.0 cannot hold.
  private func xml(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n": out += "&#10;"
      case "\t", "\r": out += "&#\(scalar.value);"
      default:
        if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
