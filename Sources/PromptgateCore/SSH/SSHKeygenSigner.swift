import Foundation

/// Signs by running `ssh-keygen -Y sign`, for the keys promptgate should not touch itself:
/// encrypted key files (the passphrase prompt stays on the terminal), keys held by ssh-agent
/// (give the `.pub` file) and hardware keys (the touch request goes to the terminal).
public enum SSHKeygenSigner {
  /// Runs `ssh-keygen -Y sign -n <namespace> -f <keyPath>` with the message on stdin and
  /// checks that the signature it prints verifies before handing it back.
  public static func sign(_ message: [UInt8], namespace: String, keyPath: String) throws(SSHKeyError)
    -> SSHSignature
  {
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
    do {
      try Data(message).write(to: messageFile)
      let input = try FileHandle(forReadingFrom: messageFile)
      defer { try? input.close() }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: sshKeygen)
      process.arguments = ["-Y", "sign", "-n", namespace, "-f", keyFile]
      process.standardInput = input
      let stdout = Pipe()
      process.standardOutput = stdout
      // stderr stays the terminal's: ssh-keygen's own messages and prompts reach the user.
      try process.run()
      output = stdout.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      status = process.terminationStatus
    } catch {
      throw SSHKeyError("cannot run \(sshKeygen): \(error.localizedDescription)")
    }
    guard status == 0 else {
      throw SSHKeyError(
        "ssh-keygen -Y sign could not sign with \(keyPath) (exit \(status)); see its message above")
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
