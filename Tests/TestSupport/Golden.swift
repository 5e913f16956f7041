import Foundation

/// Golden files: text a test compares its output with, byte for byte, kept beside the tests.
///
/// Run the tests with `PROMPTGATE_RECORD_GOLDEN=1` (or the older `PROMPTGATE_UPDATE_GOLDEN=1`)
/// to write what they print as the new golden files, then review them with `git diff` and
/// commit. A golden file that does not exist yet is written on the first run and that run fails,
/// so a new one is always looked at.
///
/// pointfreeco's swift-snapshot-testing does this too, but it brings swift-syntax into every
/// build of the tests (minutes on a 2-core machine); comparing text needs no more than this.
public enum Golden {
  public static var recording: Bool {
    let environment = ProcessInfo.processInfo.environment
    return environment["PROMPTGATE_RECORD_GOLDEN"] == "1" || environment["PROMPTGATE_UPDATE_GOLDEN"] == "1"
  }

  /// Compares `text` with the golden file at `path`; returns nil when they match (or after
  /// recording), else what differs: the first differing line of each, with its number.
  public static func mismatch(_ text: String, golden path: String) throws -> String? {
    let exists = FileManager.default.fileExists(atPath: path)
    if recording || !exists {
      try FileManager.default.createDirectory(
        atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true
      )
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      return exists || recording ? nil : "\(path) did not exist and was recorded: review it and commit it"
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    guard text != expected else { return nil }
    let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let index =
      Array(zip(actualLines, expectedLines)).firstIndex { $0.0 != $0.1 }
      ?? min(actualLines.count, expectedLines.count)
    let got = index < actualLines.count ? String(actualLines[index]) : "(end of output)"
    let wanted = index < expectedLines.count ? String(expectedLines[index]) : "(end of file)"
    return "\(path):\(index + 1) differs: expected \"\(wanted)\", got \"\(got)\"; if the change is "
      + "intended, run the tests with PROMPTGATE_RECORD_GOLDEN=1 and commit the files"
  }
}
