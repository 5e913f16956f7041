import Clibgit2

/// The signature git stored in a commit's `gpgsig` header, and the bytes it signs: the raw
/// commit object with that header taken out, as `git verify-commit` hands them to the verifier.
///
/// Only the bytes; whether the signature is an SSH one, verifies and belongs to a trusted key is
/// for the caller to decide.
public struct CommitSignature: Sendable, Hashable {
  /// The header's value with git's continuation spaces removed, e.g. an armored
  /// `-----BEGIN SSH SIGNATURE-----` block (lines joined by `\n`, no final newline).
  public let signature: String
  /// The commit object as it was signed.
  public let signedData: [UInt8]

  public init(signature: String, signedData: [UInt8]) {
    self.signature = signature
    self.signedData = signedData
  }
}

extension Repository {
  /// The signature in the `gpgsig` header of commit `id`, or nil when the commit is unsigned.
  ///
  /// Unsigned means what git means: no `gpgsig` header. libgit2 1.5's extraction alone would
  /// also take a `gpgsig ` line of the commit *message* for a signature (and answers a missing
  /// object with the same `GIT_ENOTFOUND` as an unsigned commit), so the commit is looked up and
  /// its header asked first.
  public func commitSignature(_ id: ObjectID) throws(GitError) -> CommitSignature? {
    ensureLibgit2()
    var oid = id.oid
    var commit: OpaquePointer?
    try check(git_commit_lookup(&commit, pointer, &oid))
    defer { git_commit_free(commit) }
    var header = git_buf()
    defer { git_buf_dispose(&header) }
    let status = git_commit_header_field(&header, commit, Self.signatureField)
    if status == GIT_ENOTFOUND.rawValue {
      git_error_clear()
      return nil
    }
    try check(status)

    var signature = git_buf()
    defer { git_buf_dispose(&signature) }
    var signedData = git_buf()
    defer { git_buf_dispose(&signedData) }
    try check(git_commit_extract_signature(&signature, &signedData, pointer, &oid, Self.signatureField))
    return CommitSignature(
      signature: String(decoding: copyBytes(signature), as: UTF8.self), signedData: copyBytes(signedData))
  }

  /// The commit header git keeps a commit's signature in, whatever its format.
  private static let signatureField = "gpgsig"
}

/// Copies the bytes out of a `git_buf`, which the caller still disposes.
private func copyBytes(_ buffer: git_buf) -> [UInt8] {
  guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
  return Array(UnsafeRawBufferPointer(start: pointer, count: buffer.size))
}
