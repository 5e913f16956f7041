import Foundation

/// Signs by running `ssh-keygen -Y sign`, for the keys promptgate should not touch itself:
/// encrypted key files (the passphrase prompt stays on the terminal), keys held by ssh-agent
/// (give the `.pub` file) and hardware keys (the touch request goes to the terminal).
///
/// Through Foundation's `Process`, not swiftlang/swift-subprocess (on the package list): every
/// subprocess call is `async`, and signing is the synchronous closure of ``StatementSigner``,
/// called in the middle of recording an event; blocking a thread on a task there would be worse
/// than this one child process, whose only needs are stdin, stdout and a stderr read as it comes.
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
    let keyFile = NSString(string: keyPath).expandingTildeInPath
    // stdin is a file, not a pipe: if ssh-keygen stops early (wrong passphrase, missing key),
    // writing to a pipe nobody reads would kill promptgate with SIGPIPE.
    let messageFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptgate-message-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: messageFile) }
    let output: Data
    let status: Int32
    let said = SSHKeygenMessages(prompt: prompt)
    do {
      try Data(message).write(to: messageFile)
      let input = try FileHandle(forReadingFrom: messageFile)
      defer { try? input.close() }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: sshKeygen)
      process.arguments = ["-Y", "sign", "-n", namespace, "-f", keyFile]
      process.standardInput = input
      let stdout = Pipe()
      let stderr = Pipe()
      process.standardOutput = stdout
      // stderr is kept: ssh-keygen says "Signing data on standard input" on every run, which is
      // no news to the user; what it says is shown only when it fails. A passphrase or PIN
      // prompt is unaffected (ssh-keygen asks on the terminal itself), and a hardware key's
      // request for a touch is passed to `prompt` at once, or the user would not know to touch it.
      process.standardError = stderr
      try process.run()
      let reading = DispatchGroup()
      reading.enter()
      DispatchQueue.global().async {
        said.read(stderr.fileHandleForReading)
        reading.leave()
      }
      output = stdout.fileHandleForReading.readDataToEndOfFile()
      reading.wait()
      process.waitUntilExit()
      status = process.terminationStatus
    } catch {
      throw SSHKeyError("cannot run \(sshKeygen): \(error.localizedDescription)")
    }
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

/// What ssh-keygen wrote on stderr, read line by line as it comes: a request to touch a
/// hardware key goes to the prompt at once, the rest is kept for an error message.
private final class SSHKeygenMessages: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  private let prompt: @Sendable (String) -> Void

  init(prompt: @escaping @Sendable (String) -> Void) { self.prompt = prompt }

  /// Its lines but the one it prints on every run, joined into one line.
  var text: String {
    lock.withLock {
      lines.filter { !$0.isEmpty && $0 != "Signing data on standard input" }.joined(separator: "; ")
    }
  }

  func read(_ handle: FileHandle) {
    var pending = Data()
    while true {
      let chunk = handle.availableData
      pending.append(chunk)
      while let end = pending.firstIndex(of: 0x0A) {
        take(String(decoding: pending[pending.startIndex..<end], as: UTF8.self))
        pending = Data(pending[(end + 1)...])
      }
      if chunk.isEmpty { break }
    }
    if !pending.isEmpty { take(String(decoding: pending, as: UTF8.self)) }
  }

  private func take(_ line: String) {
    let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("Confirm user presence") || line.lowercased().contains("touch your") {
      prompt(line)
    }
    lock.withLock { lines.append(line) }
  }
}
