#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// promptfoo's JSON output, `promptfoo eval --output results.json`.
///
/// Followed: the `OutputFile` written by promptfoo 0.x with `results` as `EvaluateSummaryV3`
/// (`results.version: 3`, promptfoo's src/types/index.ts, and its import schema
/// `ImportFileV3Schema`): `{evalId, results: {version: 3, timestamp, prompts, results: [...],
/// stats: {successes, failures, errors, tokenUsage, durationMs?}}, config, metadata:
/// {promptfooVersion, ...}}`. Each result has `success` and `failureReason` (0 none, 1 an
/// assertion failed, 2 an error). promptfoo counts a result as a success, else an error when
/// its failureReason is 2, else a failure; the stats must say the same as the results do.
enum PromptfooResults {
  static func summary(of document: [String: Any], file: String) throws(EvidenceFileError) -> EvidenceSummary {
    guard let results = document["results"] as? [String: Any] else {
      throw EvidenceFileError(file, at: "results", "is not promptfoo's output: it has no `results` object")
    }
    guard let version = JSONDocument.count(results["version"]) else {
      throw EvidenceFileError(
        file, at: "results.version", "has no version; promptgate reads promptfoo's results version 3")
    }
    guard version == 3 else {
      throw EvidenceFileError(
        file, at: "results.version",
        "is promptfoo results version \(version); promptgate reads version 3, which promptfoo 0.x writes: run "
          + "the evaluation with a current promptfoo")
    }
    guard let rows = results["results"] as? [Any] else {
      throw EvidenceFileError(file, at: "results.results", "is not a list of results")
    }
    guard let stats = results["stats"] as? [String: Any] else {
      throw EvidenceFileError(
        file, at: "results.stats", "is missing: promptfoo always writes its totals there")
    }
    var passed = 0
    var failed = 0
    var errors = 0
    var prompts = Set<String>()
    for (index, row) in rows.enumerated() {
      guard let row = row as? [String: Any], let success = JSONDocument.boolean(row["success"]) else {
        throw EvidenceFileError(
          file, at: "results.results[\(index)].success", "is missing or not true/false")
      }
      let reason = JSONDocument.count(row["failureReason"]) ?? 0
      if success {
        passed += 1
      } else if reason == 2 {
        errors += 1
      } else {
        failed += 1
      }
      let provider = (row["provider"] as? [String: Any])?["id"] as? String ?? ""
      prompts.insert("\(JSONDocument.count(row["promptIdx"]) ?? 0)/\(provider)")
    }
    for (key, counted) in [("successes", passed), ("failures", failed), ("errors", errors)] {
      guard let stated = JSONDocument.count(stats[key]) else {
        throw EvidenceFileError(file, at: "results.stats.\(key)", "is missing or not a whole number")
      }
      guard stated == counted else {
        throw EvidenceFileError(
          file, at: "results.stats.\(key)",
          "says \(stated), but the file's own results list \(counted): its totals do not match its results "
            + "(an edited or spliced file)")
      }
    }
    let metadata = document["metadata"] as? [String: Any]
    let duration = JSONDocument.number(stats["durationMs"]).map { Int($0.rounded()) }
    return EvidenceSummary(
      format: .promptfoo, tool: "promptfoo", toolVersion: metadata?["promptfooVersion"] as? String,
      suites: max(1, (results["prompts"] as? [Any])?.count ?? prompts.count), tests: rows.count,
      passed: passed, failed: failed + errors, skipped: 0, durationMilliseconds: duration)
  }
}
