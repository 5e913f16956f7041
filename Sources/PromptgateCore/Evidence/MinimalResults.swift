#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The minimal JSON for any other test runner (documented in docs/ci/README.md):
///
/// ```json
/// {"format": "promptgate.results/v1", "tool": "my-evals", "tool_version": "2.1.0",
///  "duration_seconds": 12.5,
///  "tests": [{"name": "refuses legal advice", "suite": "safety", "status": "passed"}, ...],
///  "summary": {"tests": 3, "passed": 2, "failed": 1, "skipped": 0}}
/// ```
///
/// `tests` is required, each with a `name` and a `status` (`passed`, `failed`, `error` or
/// `skipped`); `suite`, `tool`, `tool_version`, `duration_seconds` and `summary` are optional.
/// A `summary` must agree with the test list.
enum MinimalResults {
  static let format = "promptgate.results/v1"

  static func summary(of document: [String: Any], file: String) throws(EvidenceFileError) -> EvidenceSummary {
    guard document["format"] as? String == format else {
      throw EvidenceFileError(
        file, at: "format", "must be \"\(format)\" (docs/ci/README.md describes the minimal format)")
    }
    let known: Set<String> = ["format", "tool", "tool_version", "duration_seconds", "tests", "summary"]
    if let unknown = document.keys.sorted().first(where: { !known.contains($0) }) {
      let hint =
        Suggestion.closest(to: unknown, among: known.sorted()).map { ": did you mean `\($0)`?" } ?? ""
      throw EvidenceFileError(file, at: unknown, "is not a key of the minimal format\(hint)")
    }
    guard let tests = document["tests"] as? [Any] else {
      throw EvidenceFileError(file, at: "tests", "must be a list of {name, status} objects")
    }
    var counts = ["passed": 0, "failed": 0, "error": 0, "skipped": 0]
    var suites = Set<String>()
    for (index, test) in tests.enumerated() {
      guard let test = test as? [String: Any], test["name"] is String else {
        throw EvidenceFileError(file, at: "tests[\(index)].name", "is missing: every test has a name")
      }
      guard let status = test["status"] as? String, counts[status] != nil else {
        throw EvidenceFileError(
          file, at: "tests[\(index)].status", "must be one of passed, failed, error, skipped")
      }
      counts[status, default: 0] += 1
      suites.insert(test["suite"] as? String ?? "")
    }
    let passed = counts["passed"] ?? 0
    let failed = (counts["failed"] ?? 0) + (counts["error"] ?? 0)
    let skipped = counts["skipped"] ?? 0
    if let stated = document["summary"] {
      guard let stated = stated as? [String: Any] else {
        throw EvidenceFileError(file, at: "summary", "must be an object of counts")
      }
      for (key, counted) in [
        ("tests", tests.count), ("passed", passed), ("failed", failed), ("skipped", skipped),
      ] {
        guard let value = stated[key] else { continue }
        guard let number = JSONDocument.count(value) else {
          throw EvidenceFileError(file, at: "summary.\(key)", "must be a whole number")
        }
        guard number == counted else {
          throw EvidenceFileError(
            file, at: "summary.\(key)",
            "says \(number), but the file's own test list has \(counted): its summary does not match its tests"
          )
        }
      }
    }
    let duration: Int?
    if let value = document["duration_seconds"] {
      guard let seconds = JSONDocument.number(value) else {
        throw EvidenceFileError(file, at: "duration_seconds", "must be a number of seconds")
      }
      duration = Int((seconds * 1000).rounded())
    } else {
      duration = nil
    }
    return EvidenceSummary(
      format: .minimal, tool: document["tool"] as? String, toolVersion: document["tool_version"] as? String,
      suites: max(1, suites.count), tests: tests.count, passed: passed, failed: failed, skipped: skipped,
      durationMilliseconds: duration)
  }
}
