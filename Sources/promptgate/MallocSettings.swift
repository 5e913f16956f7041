#if canImport(Glibc)
  import Glibc
#endif

/// How the C allocator behaves in this short-lived process, set before anything large is
/// allocated.
enum MallocSettings {
  /// glibc grows a heap 128 KiB at a time by default, and a large diff's threads grow theirs
  /// in hundreds of steps, each an `mprotect` or `brk` that takes the process's memory lock
  /// while the other thread faults pages in: 64 MiB steps instead. Pages are still resident
  /// only once touched, so the peak is unchanged; memory freed at the top is kept for reuse up
  /// to that much rather than handed back, and the process ends soon anyway. (The 1 MiB prose
  /// rewrite: ~800 such calls became 21, and its median 87 → 77 ms, CPU 117 → 107 ms.)
  static func apply() {
    #if canImport(Glibc)
      // `mallopt` is declared in <malloc.h>, which Swift's Glibc module leaves out.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let topPad: Int32 = -2  // M_TOP_PAD
      _ = unsafeBitCast(symbol, to: Mallopt.self)(topPad, 64 << 20)
    #endif
  }
}
