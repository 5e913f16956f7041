#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What a result file says, counted from its own test list (SPEC §6 `evidence record`): how many
/// suites and tests, how many passed, failed (errors included) and were skipped, how long it ran,
/// and the tool that wrote it. Whole numbers only, so it is recorded as canonical JSON.
public struct EvidenceSummary: Sendable, Hashable {
  /// The format the file was read as.
  public enum Format: String, Sendable, CaseIterable {
    case promptfoo
    case junit
    /// The documented minimal JSON (`promptgate.results/v1`, docs/ci/README.md).
    case minimal
  }

  public let format: Format
  public let tool: String?
  public let toolVersion: String?
  public let suites: Int
  public let tests: Int
  public let passed: Int
  /// Failed tests, errors included: an evaluation that could not run did not pass.
  public let failed: Int
  public let skipped: Int
  /// How long the run took, when the file says.
  public let durationMilliseconds: Int?

  public init(
    format: Format, tool: String?, toolVersion: String?, suites: Int, tests: Int, passed: Int, failed: Int,
    skipped: Int, durationMilliseconds: Int?
  ) {
    self.format = format
    self.tool = tool
    self.toolVersion = toolVersion
    self.suites = suites
    self.tests = tests
    self.passed = passed
    self.failed = failed
    self.skipped = skipped
    self.durationMilliseconds = durationMilliseconds
  }

  /// Passed over the tests that ran (passed and failed; skipped ones did not run); nil when none ran.
  public var passRate: Double? {
    let ran = passed + failed
    return ran == 0 ? nil : Double(passed) / Double(ran)
  }

  /// `96.0% (48 of 50 passed, 2 failed, 1 skipped)`.
  public var described: String {
    let rate = passRate.map(Self.percent) ?? "no test ran"
    let skippedText = skipped > 0 ? ", \(skipped) skipped" : ""
    return "\(rate) (\(passed) of \(passed + failed) passed, \(failed) failed\(skippedText))"
  }

  /// A rate as people read it: `96.0%`, `100%`.
  public static func percent(_ rate: Double) -> String {
    let tenths = (rate * 1000).rounded(.down) / 10
    return tenths == 100 ? "100%" : FixedPoint.string(tenths, decimals: 1) + "%"
  }

  public var json: JSONValue {
    var members: [String: JSONValue] = [
      "format": .string(format.rawValue), "suites": .integer(Int64(suites)), "tests": .integer(Int64(tests)),
      "passed": .integer(Int64(passed)), "failed": .integer(Int64(failed)),
      "skipped": .integer(Int64(skipped)),
      "tool": tool.map(JSONValue.string) ?? .null, "tool_version": toolVersion.map(JSONValue.string) ?? .null,
      "duration_ms": durationMilliseconds.map { .integer(Int64($0)) } ?? .null,
    ]
    // Readers of the ledger with jq see the rate; it is derived, so it is never trusted back.
    members["pass_rate_permille"] = passRate.map { .integer(Int64(($0 * 1000).rounded(.down))) } ?? .null
    return .object(members)
  }

  public init(json: JSONValue) throws(LedgerFormatError) {
    func count(_ key: String) throws(LedgerFormatError) -> Int {
      guard let value = json[key]?.integer, value >= 0, value <= Int64(Int32.max) else {
        throw LedgerFormatError("the evidence summary has no whole `\(key)`")
      }
      return Int(value)
    }
    guard let name = json["format"]?.string, let format = Format(rawValue: name) else {
      throw LedgerFormatError("the evidence summary has no known `format`")
    }
    self.init(
      format: format, tool: json["tool"]?.string, toolVersion: json["tool_version"]?.string,
      suites: try count("suites"), tests: try count("tests"), passed: try count("passed"),
      failed: try count("failed"), skipped: try count("skipped"),
      durationMilliseconds: json["duration_ms"]?.integer.map { Int($0) })
    guard passed + failed + skipped == tests else {
      throw LedgerFormatError("the evidence summary's passed, failed and skipped do not add up to its tests")
    }
    let rate = json["pass_rate_permille"]?.integer
    guard rate == passRate.map({ Int64(($0 * 1000).rounded(.down)) }) else {
      throw LedgerFormatError("the evidence summary's pass_rate_permille disagrees with its counts")
    }
  }
}
