import Foundation

/// How one child process ended, how long it took and the most memory it held.
struct ChildResult: Sendable {
  let exitStatus: Int32
  /// Set when the child was killed by a signal rather than exiting.
  let signal: Int32?
  let wallTime: Duration
  /// User plus system CPU time, from `wait4`'s rusage: unlike wall time, barely moved by
  /// other work on the machine.
  let cpuTime: Duration
  /// The child's peak resident set size, from `wait4`'s rusage.
  let peakRSSBytes: Int
  /// The least `peakRSSBytes` can be whatever the child does: see ``ChildProcess/resetPeakRSS()``.
  let rssFloorBytes: Int

  var succeeded: Bool { signal == nil && exitStatus == 0 }
}

/// Runs programs with `posix_spawn` and reaps them with `wait4`: Foundation's `Process` reaps its
/// children itself, so it cannot hand back the per-child rusage that holds the peak RSS.
///
/// Hand-written rather than swiftlang/swift-subprocess (on the package list): its `run` reaps the
/// child itself and reports an exit status, not the rusage this bench measures peak memory and
/// CPU time with, and every call is `async`, which would put a scheduler hop inside each timing.
enum ChildProcess {
  /// Runs `executable` with `arguments`, stdin, stdout and stderr bound to files, and waits.
  ///
  /// The clock runs from just before the spawn to just after the reap, so a run's wall time
  /// includes process start-up, as a user running the command would see it.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String],
    stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String = "/dev/null"
  ) throws(BenchError) -> ChildResult {
    var actions = makeFileActions()
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

    let argv = cStrings([executable] + arguments)
    defer { argv.forEach { free($0) } }
    let envp = cStrings(environment.map { "\($0.key)=\($0.value)" })
    defer { envp.forEach { free($0) } }

    let floor = resetPeakRSS()
    let clock = ContinuousClock()
    let start = clock.now
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else {
      throw .cannotRun(executable, String(cString: strerror(spawned)))
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 {
      guard errno == EINTR else { throw .cannotRun(executable, String(cString: strerror(errno))) }
    }
    let wallTime = clock.now - start

    // The W* macros are not imported into Swift; these are their POSIX definitions.
    let termination = status & 0x7f
    #if canImport(Darwin)
      let peak = Int(usage.ru_maxrss)  // bytes on Darwin
    #else
      let peak = Int(usage.ru_maxrss) * 1024  // KiB on Linux
    #endif
    return ChildResult(
      exitStatus: termination == 0 ? (status >> 8) & 0xff : -1,
      signal: termination == 0 ? nil : termination,
      wallTime: wallTime, cpuTime: duration(usage.ru_utime) + duration(usage.ru_stime),
      peakRSSBytes: peak, rssFloorBytes: floor)
  }

  private static func duration(_ time: timeval) -> Duration {
    .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
  }

  /// Lowers this process's peak RSS to its current RSS, and returns that.
  ///
  /// Linux charges a spawned child, at its exec, with the peak RSS of the address space it
  /// leaves, which for posix_spawn's vfork is this process's: without the reset, a child would
  /// never report less than the most this benchmark ever held (its repository generation, say).
  /// What remains is this process's current RSS, a floor below which a child's peak is unknown.
  static func resetPeakRSS() -> Int {
    #if os(Linux)
      let handle = open("/proc/self/clear_refs", O_WRONLY)
      if handle >= 0 {
        _ = write(handle, "5", 1)  // 5: reset the peak RSS (proc(5), Linux 4.0 and later)
        close(handle)
      }
      let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
      let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
      let kibibytes = line?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
      return kibibytes * 1024
    #else
      // Darwin's posix_spawn starts a fresh address space, so a child's peak is its own.
      return 0
    #endif
  }

  /// Runs a program that must succeed and returns what it printed, for set-up steps
  /// (`git rev-parse`), never for timed runs.
  static func output(
    _ executable: String, _ arguments: [String], environment: [String: String], scratch: URL
  ) throws(BenchError) -> String {
    let out = scratch.appendingPathComponent("output.txt").path
    let err = scratch.appendingPathComponent("stderr.txt").path
    let result = try run(executable, arguments, environment: environment, stdout: out, stderr: err)
    try requireSuccess(result, executable, arguments, stderrPath: err)
    return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
  }

  /// Throws, with the first line of the child's stderr, unless `result` is a clean exit.
  static func requireSuccess(
    _ result: ChildResult, _ executable: String, _ arguments: [String], stderrPath: String,
    accepting accepted: Set<Int32> = [0]
  ) throws(BenchError) {
    guard result.signal != nil || !accepted.contains(result.exitStatus) else { return }
    let message = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    let firstLine = message.split(separator: "\n").first.map(String.init) ?? "no message"
    let how = result.signal.map { "killed by signal \($0)" } ?? "exit \(result.exitStatus)"
    let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
    throw .failed(command, "\(how): \(firstLine)")
  }

  /// The first executable called `program` on PATH, as a shell would find it.
  static func find(_ program: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(program)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  private static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
    strings.map { strdup($0) } + [nil]
  }

  #if canImport(Darwin)
    private static func makeFileActions() -> posix_spawn_file_actions_t? {
      var actions: posix_spawn_file_actions_t?
      posix_spawn_file_actions_init(&actions)
      return actions
    }
  #else
    private static func makeFileActions() -> posix_spawn_file_actions_t {
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      return actions
    }
  #endif
}
