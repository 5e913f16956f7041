import Git

/// The reviewers' keys that judge a release: `.promptgate/allowed_signers` and
/// `.promptgate/revoked_keys` of the trusted commit (the base; the release itself only for a
/// first release), never of the release under review.
public struct TrustedSigners: Sendable {
  public static let allowedSignersPath = ".promptgate/allowed_signers"
  public static let revokedKeysPath = ".promptgate/revoked_keys"

  public let signers: AllowedSigners
  public let revoked: RevokedKeys
  /// Problems in those files; bad lines are skipped, never trusted.
  public let diagnostics: [Diagnostic]

  public static func load(from commit: Commit, in repository: Repository) throws(PromptgateError)
    -> TrustedSigners
  {
    func text(_ path: String) throws(PromptgateError) -> String? {
      do {
        guard let entry = try repository.entry(at: path, inTree: commit.tree), entry.mode.isBlob,
          entry.mode != .link
        else { return nil }
        return String(decoding: try repository.blob(entry.id), as: UTF8.self)
      } catch {
        throw RepositoryLookup.readFailure(error, reading: "\(path) of \(commit.id.short())")
      }
    }
    let (signers, signerProblems) = AllowedSigners.parse(
      try text(allowedSignersPath) ?? "", file: allowedSignersPath)
    let (revoked, revokedProblems) = RevokedKeys.parse(try text(revokedKeysPath) ?? "", file: revokedKeysPath)
    return TrustedSigners(signers: signers, revoked: revoked, diagnostics: signerProblems + revokedProblems)
  }
}
