import Dispatch

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Two independent parts of one large file's diff run at once: a 1 MiB prompt is one file, so
/// the reader's second thread (``ReleaseDiffReader``) has nothing to do while its diff, a
/// hundred milliseconds of work, runs on one core of two.
enum Parallel {
  /// Bytes of text (both sides) from which a file's diff is worth a second thread: a thread
  /// costs tens of microseconds, and the many small prompts of a large diff already keep both
  /// cores busy, one file a thread.
  static let largeText = 1 << 18

  /// `first()` on this thread and `second()` on another, at once when `inParallel`; one after
  /// the other, here, otherwise.
  static func both<First, Second: Sendable>(
    inParallel: Bool, _ first: () -> First, _ second: @escaping @Sendable () -> Second
  ) -> (First, Second) {
    guard inParallel else { return (first(), second()) }
    let other = Slot<Second>()
    let done = DispatchSemaphore(value: 0)
    DetachedThread.start {
      other.value = second()
      done.signal()
    }
    let mine = first()
    // The semaphore orders the other thread's write before this read.
    done.wait()
    return (mine, other.value!)
  }

  /// Written by the other thread before it signals, read after the wait.
  private final class Slot<Value>: @unchecked Sendable {
    var value: Value?
  }
}
