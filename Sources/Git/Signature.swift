import Clibgit2

/// Who made a commit and when: name, email, seconds since the epoch and the UTC offset.
public struct Signature: Hashable, Sendable, Codable {
  public let name: String
  public let email: String
  /// Seconds since 1970-01-01T00:00:00Z.
  public let time: Int64
  /// The author's UTC offset in minutes, as recorded in the commit.
  public let offsetMinutes: Int32

  public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
    self.name = name
    self.email = email
    self.time = time
    self.offsetMinutes = offsetMinutes
  }

  init(_ signature: UnsafePointer<git_signature>) {
    let value = signature.pointee
    name = String(cString: value.name)
    email = String(cString: value.email)
    time = value.when.time
    offsetMinutes = value.when.offset
  }

  /// A libgit2 copy of this signature; the caller frees it with `git_signature_free`.
  func makeGitSignature() throws(GitError) -> UnsafeMutablePointer<git_signature> {
    var signature: UnsafeMutablePointer<git_signature>?
    try check(git_signature_new(&signature, name, email, time, offsetMinutes))
    return signature!
  }
}

extension Repository {
  /// The identity git would commit as here (`user.name` and `user.email`), nil when unset.
  public func configuredIdentity() -> (name: String, email: String)? {
    var signature: UnsafeMutablePointer<git_signature>?
    guard git_signature_default(&signature, pointer) == 0, let signature else {
      git_error_clear()
      return nil
    }
    defer { git_signature_free(signature) }
    return (String(cString: signature.pointee.name), String(cString: signature.pointee.email))
  }
}
