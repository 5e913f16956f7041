import PromptgateCore

/// `check --format junit`: one test case per gate, for CI dashboards. A failed gate is a
/// failure, a gate that does not apply is skipped, a warning is reported on system-out.
struct CheckJUnitFormatter {
  func format(_ report: CheckReport, names: CheckNames) -> String {
    let failures = report.blockingFailures.count
    let skipped = report.gates.filter { $0.status == .notApplicable }.count
    let suite = "promptgate check \(names.release) (\(report.release.commit.prefix(7)))"
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<testsuites name=\"promptgate\" tests=\"\(report.gates.count)\" failures=\"\(failures)\" "
    out += "errors=\"0\" skipped=\"\(skipped)\">\n"
    out += "  <testsuite name=\"\(xml(suite))\" tests=\"\(report.gates.count)\" failures=\"\(failures)\" "
    out += "errors=\"0\" skipped=\"\(skipped)\">\n"
    for gate in report.gates {
      let file = gate.diagnostics.first { $0.file != nil }?.file
      out += "    <testcase classname=\"promptgate.\(gate.layer.rawValue)\" name=\"\(xml(gate.id))\""
      out += file.map { " file=\"\(xml($0))\"" } ?? ""
      let details = gate.diagnostics.map(\.formatted).joined(separator: "\n")
      switch gate.status {
      case .pass:
        out += "/>\n"
      case .notApplicable:
        out += ">\n      <skipped message=\"\(xml(details))\"/>\n    </testcase>\n"
      case .fail where report.blockingFailures.contains(gate):
        let first = gate.diagnostics.first { $0.severity != .note }?.formatted ?? gate.summary
        out += ">\n      <failure message=\"\(xml(first))\" type=\"\(gate.severity.rawValue)\">"
        out += "\(xml(details))</failure>\n    </testcase>\n"
      case .fail:
        out += ">\n      <system-out>\(xml("warning: " + details))</system-out>\n    </testcase>\n"
      }
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
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
