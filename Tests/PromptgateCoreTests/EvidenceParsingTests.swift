import Foundation
import TestSupport
import Testing

@testable import PromptgateCore

/// Result files as CI writes them (Tests/PromptgateCLITests/Fixtures/evidence): promptfoo's
/// JSON output (results version 3), JUnit reports as kyverno test and conftest write them, and
/// the minimal JSON; and files that are not what they claim.
@Suite struct EvidenceParsingTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("PromptgateCLITests/Fixtures/evidence").path

  private func read(_ name: String, as format: EvidenceSummary.Format? = nil) throws(EvidenceFileError)
    -> EvidenceFile
  {
    try EvidenceFile.read(path: "\(Self.folder)/\(name)", format: format)
  }

  private func refusal(_ name: String, as format: EvidenceSummary.Format? = nil) -> EvidenceFileError? {
    do {
      _ = try read(name, as: format)
      return nil
    } catch {
      return error
    }
  }

  @Test func promptfooOutputIsCountedFromItsResults() throws {
    let file = try read("promptfoo-pass.json")
    let summary = file.summary
    #expect(summary.format == .promptfoo)
    #expect(summary.tool == "promptfoo")
    #expect(summary.toolVersion == "0.118.3")
    #expect(
      (summary.suites, summary.tests, summary.passed, summary.failed, summary.skipped) == (1, 20, 19, 1, 0))
    #expect(summary.passRate == 0.95)
    #expect(summary.durationMilliseconds == 15432)
    // The SHA-256 is the file's, as sha256sum computes it.
    let expected = try run("/usr/bin/sha256sum", ["\(Self.folder)/promptfoo-pass.json"]).stdout.prefix(64)
    #expect(file.sha256 == String(expected))
  }

  @Test func promptfooErrorsCountAsFailures() throws {
    let summary = try read("promptfoo-fail.json").summary
    #expect((summary.tests, summary.passed, summary.failed) == (20, 16, 4))
    #expect(summary.passRate == 0.8)
    #expect(summary.described == "80.0% (16 of 20 passed, 4 failed)")
  }

  @Test func junitReportsOfKyvernoAndConftest() throws {
    let kyverno = try read("kyverno-junit.xml").summary
    #expect(kyverno.format == .junit)
    #expect((kyverno.suites, kyverno.tests, kyverno.passed, kyverno.failed) == (1, 4, 4, 0))
    #expect(kyverno.durationMilliseconds == 21)
    let conftest = try read("conftest-junit.xml").summary
    #expect((conftest.tests, conftest.passed, conftest.failed, conftest.skipped) == (3, 2, 1, 0))
    #expect(conftest.passRate.map { ($0 * 1000).rounded() } == 667)
  }

  @Test func theMinimalFormatLeavesSkippedTestsOutOfThePassRate() throws {
    let summary = try read("minimal.json").summary
    #expect(summary.format == .minimal)
    #expect((summary.tool, summary.toolVersion) == ("house-evals", "2.1.0"))
    #expect(
      (summary.suites, summary.tests, summary.passed, summary.failed, summary.skipped) == (3, 4, 2, 1, 1))
    #expect(summary.passRate.map { ($0 * 1000).rounded() } == 667)
    #expect(summary.durationMilliseconds == 12500)
  }

  @Test func aSummaryThatDisagreesWithItsOwnTestListIsRefused() throws {
    let promptfoo = try #require(refusal("promptfoo-lying.json"))
    #expect(promptfoo.place == "results.stats.successes")
    #expect(promptfoo.reason.contains("says 20, but the file's own results list 16"), "\(promptfoo.message)")
    let junit = try #require(refusal("junit-lying.xml"))
    #expect(
      junit.place?.hasPrefix("line 3, <testsuite name=\"policies/kyverno-test.yaml\"> tests") == true,
      "\(junit.message)")
    #expect(junit.reason.contains("says 5, but it holds 4"), "\(junit.message)")
    let minimal = try #require(refusal("minimal-lying.json"))
    #expect(minimal.place == "summary.passed")
    #expect(minimal.message.hasSuffix("; nothing was recorded"))
  }

  @Test func truncatedAndMalformedFilesAreRefusedWithTheirPlace() throws {
    let json = try #require(refusal("promptfoo-truncated.json"))
    #expect(json.place?.hasPrefix("line ") == true, "\(json.message)")
    #expect(json.reason.contains("is not valid JSON"), "\(json.message)")
    let xml = try #require(refusal("junit-truncated.xml"))
    #expect(xml.place?.hasPrefix("line ") == true, "\(xml.message)")
    #expect(xml.reason.contains("not well-formed XML"), "\(xml.message)")
    let entities = try #require(refusal("junit-entities.xml"))
    #expect(entities.reason.contains("declares a document type"), "\(entities.message)")
    // A promptfoo file read as JUnit, and JSON that is neither format.
    #expect(refusal("promptfoo-pass.json", as: .junit) != nil)
    let folder = try makeTemporaryFolder(prefix: "evidence")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try #"{"passed": 3}"#.write(toFile: "\(folder)/other.json", atomically: true, encoding: .utf8)
    #expect(throws: EvidenceFileError.self) {
      try EvidenceFile.read(path: "\(folder)/other.json", format: nil)
    }
    try "".write(toFile: "\(folder)/empty.xml", atomically: true, encoding: .utf8)
    let empty = try #require(throws: EvidenceFileError.self) {
      try EvidenceFile.read(path: "\(folder)/empty.xml", format: nil)
    }
    #expect(empty.reason.contains("is empty"))
    try "<testsuites></testsuites>".write(toFile: "\(folder)/none.xml", atomically: true, encoding: .utf8)
    let none = try #require(throws: EvidenceFileError.self) {
      try EvidenceFile.read(path: "\(folder)/none.xml", format: nil)
    }
    #expect(none.reason.contains("holds no test results"))
  }

  @Test func aHugeFileIsRefusedBeforeItIsRead() throws {
    let folder = try makeTemporaryFolder(prefix: "evidence")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = "\(folder)/huge.json"
    // A sparse file: its size is what is checked, so nothing this big is ever written or read.
    #expect(try run("/usr/bin/truncate", ["-s", "\(EvidenceFile.maximumBytes + 1)", path]).status == 0)
    let error = try #require(throws: EvidenceFileError.self) {
      try EvidenceFile.read(path: path, format: nil)
    }
    #expect(error.reason.contains("more than the 64 MiB a result file may be"), "\(error.message)")
  }

  @Test func aSummaryReadBackFromTheLedgerMustAddUp() throws {
    let summary = try read("minimal.json").summary
    #expect(try EvidenceSummary(json: summary.json) == summary)
    guard case .object(var members) = summary.json else { return }
    members["passed"] = .integer(4)
    #expect(throws: LedgerFormatError.self) { try EvidenceSummary(json: .object(members)) }
  }

  /// Test names are the pull request's: a suite named with a terminal escape (written as XML's
  /// character reference) is quoted in the refusal, not printed raw.
  @Test func aSuiteNameCannotDriveTheTerminalThroughARefusal() {
    let report =
      #"<testsuite name="x&#27;[2J&#10;::error::forged" tests="two"><testcase name="a"/></testsuite>"#
    var refusal: EvidenceFileError?
    do { _ = try JUnitResults.summary(of: Array(report.utf8), file: "results.xml") } catch { refusal = error }
    let message = refusal?.message ?? ""
    #expect(message.contains(#"<testsuite name="x\033[2J\n::error::forged"> tests"#), "\(message)")
    #expect(!message.contains("\u{1B}") && !message.contains("\n"), "\(message)")
    #expect(message.contains(#"is "two", not a whole number"#), "\(message)")
  }
}
