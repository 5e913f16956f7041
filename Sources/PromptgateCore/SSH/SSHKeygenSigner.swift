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

/// Signs by running `ssh-keygen -Y sign`, for the keys promptgate should not touch itself:
/// encrypted key files (the passphrase prompt stays on the terminal), keys held by ssh-agent
/// (give the `.pub` file) and hardware keys (the touch request goes to the terminal).
///
/// Through ``ChildProcess`` (posix_spawn): signing is the synchronous closure of
/// ``StatementSigner``, called in the middle of recording an event, and the child's only needs
/// are stdin, stdout and a stderr read as it comes.
public enum SSHKeygenSigner {
  /// Runs `ssh-keygen -Y sign -n <namespace> -f <keyPath>` with the message on stdin and
  /// checks that the signature it prints verifies before handing it back. `prompt` receives
  /// ssh-keygen's requests to the user that cannot wait (touch a hardware key) as they come.
  public static func sign(
    _ message: [UInt8], namespace: String, keyPath: String,
    prompt: @escaping @Sendable (String) -> Void = { _ in }
  ) throws(SSHKeyError) -> SSHSignature {
    guard !namespace.isEmpty else { throw SSHKeyError("the signature namespace must be non-empty text") }
    guard let sshKeygen = findExecutable("ssh-keygen") else {
      throw SSHKeyError(
        "ssh-keygen was not found on PATH; install OpenSSH 8.2 or newer or sign with a key file")
    }
    let keyFile = Paths.expandingTilde(keyPath)
    // stdin is a file, not a pipe: if ssh-keygen stops early (wrong passphrase, missing key),
    // writing to a pipe nobody reads would kill promptgate with SIGPIPE.
    let messageFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptgate-message-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: messageFile) }
    let said = SSHKeygenMessages(prompt: prompt)
    let finished: ChildProcess.Finished
    do {
      try Data(message).write(to: messageFile)
    } catch {
      throw SSHKeyError(
        "cannot write the message for ssh-keygen to \(messageFile.path): \(FileError.reason(error))")
    }
    do {
      // stderr is kept: ssh-keygen says "Signing data on standard input" on every run, which is
      // no news to the user; what it says is shown only when it fails. A passphrase or PIN
      // prompt is unaffected (ssh-keygen asks on the terminal itself), and a hardware key's
      // request for a touch is passed to `prompt` at once, or the user would not know to touch it.
      finished = try ChildProcess.run(
        sshKeygen, ["-Y", "sign", "-n", namespace, "-f", keyFile], stdinFile: messageFile.path,
        stderrLine: said.take)
    } catch {
      throw SSHKeyError("cannot run \(sshKeygen): \(error.reason)")
    }
    let status = finished.status
    let output = finished.output
    guard status == 0 else {
      let words = said.text.isEmpty ? "" : ": \(said.text)"
      throw SSHKeyError("ssh-keygen -Y sign could not sign with \(keyPath) (exit \(status))\(words)")
    }
    let signature: SSHSignature
    do {
      signature = try SSHSignature(armored: String(decoding: output, as: UTF8.self))
    } catch {
      throw SSHKeyError("ssh-keygen -Y sign with \(keyPath) printed no usable signature: \(error.message)")
    }
    guard signature.verify(message, namespace: namespace) else {
      throw SSHKeyError(
        "ssh-keygen -Y sign with \(keyPath) made a signature that does not verify; check the key and try again"
      )
    }
    return signature
  }

  /// The first executable `name` on PATH.
  static func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// What ssh-keygen wrote on stderr, a line at a time as it comes: a request to touch a hardware
/// key goes to the prompt at once, the rest is kept for an error message.
private final class SSHKeygenMessages: Sendable {
  private let lines = Locked<[String]>([])
  private let prompt: @Sendable (String) -> Void

  init(prompt: @escaping @Sendable (String) -> Void) { self.prompt = prompt }

  /// Its lines but the one it prints on every run, joined into one line.
  var text: String {
    lines.withLock {
      $0.filter { !$0.isEmpty && $0 != "Signing data on standard input" }.joined(separator: "; ")
    }
  }

  @Sendable func take(_ line: String) {
    let line = line.trimmingWhitespace
    if line.hasPrefix("Confirm user presence") || line.lowercased().containsLiteral("touch your") {
      prompt(line)
    }
    lines.withLock { $0.append(line) }
  }
}
