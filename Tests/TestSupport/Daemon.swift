import Foundation

/// A server a test starts (sshd, ssh-agent, an https git server), running in the foreground as
/// a child of the test process until ``stop()`` or deinit kills it.
///
/// Started with posix_spawn, not Foundation's Process: a long-lived child started that way kept
/// Process from noticing that later short-lived ones (ssh-add, git) had exited.
public final class Daemon: @unchecked Sendable {
  public let pid: pid_t
  private var running = true

  /// Starts `executable` with `arguments` and the test's environment (plus `environment`);
  /// stdin is /dev/null, stdout and stderr go to the end of `log` (created if need be) or to
  /// /dev/null.
  public init(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], log: String? = nil
  ) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if let log {
      posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard status == 0 else {
      throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: executable])
    }
    self.pid = pid
  }

  /// True once the daemon has exited by itself (a port already taken, a bad configuration);
  /// reaps it then.
  public var hasExited: Bool {
    guard running else { return true }
    var status: Int32 = 0
    guard waitpid(pid, &status, WNOHANG) == pid else { return false }
    running = false
    return true
  }

  /// Kills the daemon and reaps it; does nothing the second time.
  public func stop() {
    guard running else { return }
    running = false
    // SIGKILL: processes the test runner starts inherit its blocked signals, so SIGTERM and
    // SIGINT never reach them.
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
  }

  deinit {
    stop()
  }
}
