#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A thread of its own for `body`, not joined: callers wait for its work with a semaphore.
/// (Foundation's `Thread` is full Foundation's, which promptgate does not link.)
enum DetachedThread {
  /// Starts `body` on a new thread; runs it here when no thread can be had, so the work is done
  /// either way.
  static func start(_ body: @escaping @Sendable () -> Void) {
    let context = Unmanaged.passRetained(Work(body))
    var thread = pthread_t()
    let started = pthread_create(
      &thread, nil,
      { raw in
        let work = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
        work.body()
        return nil
      }, context.toOpaque())
    if started == 0 {
      pthread_detach(thread)
    } else {
      context.takeRetainedValue().body()
    }
  }

  private final class Work: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
}
