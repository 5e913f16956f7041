#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Pauses at the ledger's commit point, for the tests of concurrent writers and crashes only.
/// With `PROMPTGATE_TEST_HOLD=<folder>:<count>` set, a writer that has decided and written its
/// event object announces itself with a file `<folder>/<pid>` just before the compare-and-swap
/// and waits (at most ten seconds) until `<count>` writers have, so that they all race for the
/// same swap, or until the test kills it there. `PROMPTGATE_TEST_HOLD_AFTER` does the same just
/// after a successful swap, before anything else is written. Unset, as in every real run, each
/// costs one environment lookup.
enum TestHold {
  static func beforeCommitPoint() { hold("PROMPTGATE_TEST_HOLD") }
  static func afterCommitPoint() { hold("PROMPTGATE_TEST_HOLD_AFTER") }
  /// Between reading the ledger and writing an environment's mirror ref, under its lock.
  static func beforeMirrorWrite() { hold("PROMPTGATE_TEST_HOLD_MIRROR") }

  private static func hold(_ variable: String) {
    guard let setting = ProcessInfo.processInfo.environment[variable],
      let colon = setting.lastIndex(of: ":"), let count = Int(setting[setting.index(after: colon)...])
    else { return }
    let folder = String(setting[..<colon])
    _ = FileManager.default.createFile(atPath: "\(folder)/\(getpid())", contents: nil)
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      let arrived = (try? FileManager.default.contentsOfDirectory(atPath: folder).count) ?? 0
      if arrived >= count { return }
      usleep(2_000)
    }
  }
}
