import Dispatch

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

/// A program run to its end: stdin from a file, stdout collected, stderr handed over a line at a
/// time as it comes. It keeps the terminal, so a passphrase or PIN prompt reaches the user.
///
/// posix_spawn, not Foundation's `Process` (full Foundation's, which promptgate does not link) nor
/// swiftlang/swift-subprocess (every call `async`; the one caller signs inside a synchronous
/// closure).
enum ChildProcess {
  struct Finished {
    /// The exit status, or 128 + the signal that ended it.
    let status: Int32
    let output: [UInt8]
  }

  /// Why the program could not be started, in the system's words.
  struct Failure: Error {
    let reason: String
  }

  static func run(
    _ executable: String, _ arguments: [String], stdinFile: String,
    stderrLine: @escaping @Sendable (String) -> Void
  ) throws(Failure) -> Finished {
    let stdout = try makePipe()
    let stderr: [Int32]
    do {
      stderr = try makePipe()
    } catch {
      close(stdout[0])
      close(stdout[1])
      throw error
    }
    // An opaque pointer on Darwin, a structure on Linux.
    #if canImport(Darwin)
      var actions: posix_spawn_file_actions_t?
    #else
      var actions = posix_spawn_file_actions_t()
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdinFile, O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, stdout[1], 1)
    posix_spawn_file_actions_adddup2(&actions, stderr[1], 2)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    // The environment as this process sees it (`environ` is not visible from Swift on Darwin).
    let environment = ProcessInfo.processInfo.environment.map { strdup("\($0)=\($1)") } + [nil]
    defer { for variable in environment { free(variable) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environment)
    close(stdout[1])
    close(stderr[1])
    guard spawned == 0 else {
      close(stdout[0])
      close(stderr[0])
      throw Failure(reason: String(cString: strerror(spawned)))
    }
    let reading = DispatchSemaphore(value: 0)
    let errorDescriptor = stderr[0]
    DetachedThread.start {
      readLines(errorDescriptor, stderrLine)
      reading.signal()
    }
    let output = readAll(stdout[0])
    close(stdout[0])
    reading.wait()
    close(stderr[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (macros).
    let signal = status & 0x7F
    return Finished(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, output: output)
  }

  private static func readAll(_ descriptor: Int32) -> [UInt8] {
    var output: [UInt8] = []
    _ = DescriptorReader.forEachPiece(of: descriptor) { piece in
      output += piece
      return true
    }
    return output
  }

  private static func readLines(_ descriptor: Int32, _ line: (String) -> Void) {
    var pending: [UInt8] = []
    _ = DescriptorReader.forEachPiece(of: descriptor) { piece in
      pending += piece
      while let end = pending.firstIndex(of: 0x0A) {
        line(String(decoding: pending[..<end], as: UTF8.self))
        pending.removeSubrange(...end)
      }
      return true
    }
    if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
  }

  /// A pipe whose ends the child does not inherit (only the copies made its stdout and stderr).
  private static func makePipe() throws(Failure) -> [Int32] {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    return ends
  }
}
