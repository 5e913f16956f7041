/// Who made the change a checkpoint approves: the author and committer of every commit between
/// the base and the release that touches the checkpoint's paths, and, with signed commits, the
/// principal whose key signed it. Separation of duties (SPEC §4) asks whether an approver is
/// one of them.
struct ChangeAuthors {
  /// Lower-cased identity → the first commit (short id) where it appears.
  private var identities: [String: String] = [:]
  /// With signed commits: each commit of the change that carries no signature the base trusts,
  /// and why. Any one blocks the checkpoint.
  private(set) var unverified: [String] = []

  /// Records a commit whose signature the base does not accept.
  mutating func add(unverified commit: String, reason: String) {
    unverified.append("\(commit) is not signed by a key of the base's allowed_signers (\(reason))")
  }

  /// Records a commit's git identities: e-mail addresses and names.
  mutating func add(name: String, email: String, commit: String) {
    for identity in [email, name] where !identity.isEmpty {
      identities[identity.lowercased()] = identities[identity.lowercased()] ?? commit
    }
  }

  /// Records the principal whose key signed a commit (signed commits): exact, no matching.
  mutating func add(signer principal: String, commit: String) {
    identities["signer:" + principal] = identities["signer:" + principal] ?? commit
  }

  /// The commit that makes `principal` one of the change's authors, or nil.
  ///
  /// A principal that is an e-mail address matches an author's or committer's address. One that
  /// is not (`alice`, as allowed_signers lets principals be) matches an author's name or the
  /// local part of an address (`alice@example.com`), both without case: a near miss costs a
  /// reviewer, never lets an author approve their own change. A signer matches exactly.
  func commit(by principal: String) -> String? {
    if let signed = identities["signer:" + principal] { return signed }
    let wanted = principal.lowercased()
    if let exact = identities[wanted] { return exact }
    guard !wanted.containsLiteral("@") else { return nil }
    return identities.first { identity, _ in
      !identity.hasPrefix("signer:") && identity.split(separator: "@").first.map(String.init) == wanted
        && identity.containsLiteral("@")
    }?.value
  }
}
