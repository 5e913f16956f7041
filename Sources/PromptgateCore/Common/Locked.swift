#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value only one thread touches at a time, behind pthread's mutex.
///
/// Not Synchronization's `Mutex`: its lock is atomics and futex calls inside a library that
/// ThreadSanitizer does not instrument, so every access under it was reported as a race (the
/// diff reader's batches, session 9), and a sanitizer that reports races that are not there
/// hides the ones that are. ThreadSanitizer follows pthread's mutex.
final class Locked<Value>: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private var value: Value

  init(_ value: Value) {
    self.value = value
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
