import Crypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The governance files diffed by meaning (SPEC §6): `runbook.yaml` by key path, the signer
/// lists by principal and key fingerprint, `.promptgate/gates/*` by gate id. A change that lets
/// more people approve, sign or release, or lets a change through with fewer checks, carries a
/// ``SemanticChange/weakens`` reason; `check`'s governance gate names the same reasons.
public enum GovernanceDiff {
  public enum File: Sendable {
    case runbook, allowedSigners, revokedKeys, gate
  }

  /// Which governance file `path` is, if any.
  public static func file(_ path: String) -> File? {
    if path == Runbook.path { return .runbook }
    if path == TrustedSigners.allowedSignersPath { return .allowedSigners }
    if path == TrustedSigners.revokedKeysPath { return .revokedKeys }
    if path.hasPrefix(GatePack.repositoryFolder + "/"),
      path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    {
      return .gate
    }
    return nil
  }

  /// The changes to governance file `file` (either side nil when added or deleted), and notes on
  /// what could not be read.
  public static func semantics(_ file: File, path: String, old: String?, new: String?) -> FileSemantics {
    switch file {
    case .runbook: runbook(old: old, new: new)
    case .allowedSigners: signers(old: old, new: new, path: path)
    case .revokedKeys: revoked(old: old, new: new, path: path)
    case .gate: gate(old: old, new: new)
    }
  }

  // MARK: runbook.yaml

  static func runbook(old: String?, new: String?) -> FileSemantics {
    var result = FileSemantics()
    var documents: [StructuredValue?] = []
    var runbooks: [Runbook?] = []
    for (side, text) in [("old", old), ("new", new)] {
      guard let text else {
        documents.append(nil)
        runbooks.append(nil)
        continue
      }
      do {
        let document = try StructuredDocument.parse(text)
        documents.append(document)
        runbooks.append(document?.entries != nil ? Runbook(document: document!) : nil)
      } catch {
        let place = error.location.map { " at line \($0.line), column \($0.column)" } ?? ""
        result.notes.append("keys not compared: the \(side) runbook\(place) \(error.message)")
        return result
      }
    }
    let changes = StructuredDiff.changes(from: documents[0], to: documents[1], kind: .key)
    let judge = RunbookWeakening(old: runbooks[0], new: runbooks[1])
    result.changes = changes.map { $0.marked(judge.reason(for: $0)) }
    if let reorder = judge.reorderedEnvironments {
      result.changes.append(reorder)
    }
    // What the key paths could not show (a role or checkpoint named so that its path is
    // quoted or positional) is still said, judged on the parsed runbooks.
    let said = Set(result.changes.compactMap(\.weakens))
    for missed in judge.semanticWeakenings() where !said.contains(missed.weakens ?? "") {
      result.changes.append(missed)
    }
    return result
  }

  // MARK: allowed_signers and revoked_keys

  static func signers(old: String?, new: String?, path: String) -> FileSemantics {
    var result = FileSemantics()
    let before = AllowedSigners.parse(old ?? "", file: path)
    let after = AllowedSigners.parse(new ?? "", file: path)
    if !after.1.isEmpty, new != nil {
      result.notes.append("\(after.1.count) line\(after.1.count == 1 ? "" : "s") not read in the new file")
    }
    // One grant: a principal pattern with a key, and the options they come with.
    struct Grant: Hashable {
      let principal: String
      let fingerprint: String
    }
    func grants(_ signers: AllowedSigners) -> [(Grant, AllowedSigners.Entry)] {
      signers.entries.flatMap { entry in
        entry.principals.map { (Grant(principal: $0, fingerprint: fingerprint(entry.key)), entry) }
      }
    }
    let oldGrants = grants(before.0)
    let newGrants = grants(after.0)
    let oldByGrant = Dictionary(oldGrants, uniquingKeysWith: { first, _ in first })
    let newByGrant = Dictionary(newGrants, uniquingKeysWith: { first, _ in first })
    var seen = Set<Grant>()
    for (grant, entry) in newGrants where seen.insert(grant).inserted {
      let label = "\(grant.principal) \(grant.fingerprint)"
      guard let previous = oldByGrant[grant] else {
        let reason =
          grant.principal.hasPrefix("!")
          ? nil : "a key may now sign as \(grant.principal); roles decide what it may approve or release"
        result.changes.append(
          SemanticChange(kind: .signer, change: .added, path: label, new: options(entry), weakens: reason))
        continue
      }
      let before = options(previous)
      let now = options(entry)
      if before != now {
        result.changes.append(
          SemanticChange(
            kind: .signer, change: .changed, path: label, old: before, new: now,
            weakens: widened(previous, entry)))
      }
    }
    seen = []
    for (grant, entry) in oldGrants where newByGrant[grant] == nil && seen.insert(grant).inserted {
      result.changes.append(
        SemanticChange(
          kind: .signer, change: .removed, path: "\(grant.principal) \(grant.fingerprint)",
          old: options(entry),
          weakens: grant.principal.hasPrefix("!")
            ? "the refusal \(grant.principal) is gone: the key may sign as that principal again" : nil))
    }
    return result
  }

  static func revoked(old: String?, new: String?, path: String) -> FileSemantics {
    var result = FileSemantics()
    let before = RevokedKeys.parse(old ?? "", file: path).0.keys
    let after = RevokedKeys.parse(new ?? "", file: path).0.keys
    for key in after.subtracting(before).sorted(by: { fingerprint($0) < fingerprint($1) }) {
      result.changes.append(
        SemanticChange(kind: .revokedKey, change: .added, path: fingerprint(key), new: key.algorithm.rawValue)
      )
    }
    for key in before.subtracting(after).sorted(by: { fingerprint($0) < fingerprint($1) }) {
      result.changes.append(
        SemanticChange(
          kind: .revokedKey, change: .removed, path: fingerprint(key), old: key.algorithm.rawValue,
          weakens: "the key is no longer revoked: it may sign again"))
    }
    return result
  }

  /// The key's fingerprint as `ssh-keygen -l` prints it: `SHA256:` and unpadded base64.
  public static func fingerprint(_ key: SSHPublicKey) -> String {
    let digest = Array(SHA256.hash(data: key.blob))
    var base64 = Data(digest).base64EncodedString()
    while base64.last == "=" { base64.removeLast() }
    return "SHA256:" + base64
  }

  private static func options(_ entry: AllowedSigners.Entry) -> String {
    var parts = [entry.key.algorithm.rawValue]
    if let namespaces = entry.namespaces {
      parts.append("namespaces=\"\(namespaces.joined(separator: ","))\"")
    }
    if let after = entry.validAfter { parts.append("valid-after=\(stamp(after))") }
    if let before = entry.validBefore { parts.append("valid-before=\(stamp(before))") }
    return parts.joined(separator: " ")
  }

  private static func stamp(_ date: Date) -> String {
    // allowed_signers' YYYYMMDDHHMMSSZ: ISO 8601's UTC form without its separators.
    date.formatted(Date.ISO8601FormatStyle()).filter(\.isNumber) + "Z"
  }

  /// Why the new options let the key sign more than the old ones did, or nil.
  private static func widened(_ old: AllowedSigners.Entry, _ new: AllowedSigners.Entry) -> String? {
    var reasons: [String] = []
    if let oldNamespaces = old.namespaces {
      if let newNamespaces = new.namespaces {
        if !Set(newNamespaces).isSubset(of: Set(oldNamespaces)) { reasons.append("more namespaces") }
      } else {
        reasons.append("any namespace")
      }
    }
    if let oldAfter = old.validAfter, new.validAfter.map({ $0 < oldAfter }) ?? true {
      reasons.append("valid earlier")
    }
    if let oldBefore = old.validBefore, new.validBefore.map({ $0 > oldBefore }) ?? true {
      reasons.append("valid longer")
    }
    return reasons.isEmpty ? nil : "the key may sign in " + reasons.joined(separator: ", ")
  }

  // MARK: .promptgate/gates/*

  static func gate(old: String?, new: String?) -> FileSemantics {
    var result = FileSemantics()
    var documents: [StructuredValue?] = []
    for (side, text) in [("old", old), ("new", new)] {
      guard let text else {
        documents.append(nil)
        continue
      }
      do {
        documents.append(try StructuredDocument.parse(text))
      } catch {
        let place = error.location.map { " at line \($0.line), column \($0.column)" } ?? ""
        result.notes.append("gate not compared: the \(side) file\(place) \(error.message)")
        return result
      }
    }
    let oldID = documents[0]?["id"]?.scalar?.text
    let newID = documents[1]?["id"]?.scalar?.text
    if let oldID, oldID != newID {
      result.changes.append(
        SemanticChange(
          kind: .gate, change: .removed, path: oldID, old: documents[0]?["kind"]?.scalar?.text,
          weakens: "the gate \(oldID) no longer runs"))
    }
    if let newID, oldID != newID {
      result.changes.append(
        SemanticChange(kind: .gate, change: .added, path: newID, new: documents[1]?["kind"]?.scalar?.text))
    }
    guard let id = newID, oldID == newID else { return result }
    let ranks = ["notice": 0, "warning": 1, "error": 2]
    for change in StructuredDiff.changes(from: documents[0], to: documents[1], kind: .key) {
      var reason: String?
      if change.path == "severity", let old = change.old.flatMap({ ranks[$0] }),
        (change.new.flatMap { ranks[$0] } ?? 2) < old
      {
        reason = "the gate no longer blocks at \(change.old ?? "")"
      }
      result.changes.append(
        SemanticChange(
          kind: .gate, change: change.change, path: "\(id).\(change.path)", old: change.old, new: change.new,
          weakens: reason))
    }
    return result
  }
}

/// Judges each runbook key change against the rules of SPEC §3: who may approve, sign, release
/// and override, and what a change must pass.
struct RunbookWeakening {
  let old: Runbook?
  let new: Runbook?

  func reason(for change: SemanticChange) -> String? {
    let path = change.path
    // Roles gaining members.
    if path.hasPrefix("roles.") || path.hasPrefix("roles["), change.change == .added {
      let role = Self.roleName(in: path)
      let members = change.new ?? ""
      return path.hasSuffix("[]")
        ? "\(members) joins role \(role)" : "new role \(role) with \(members)"
    }
    if path == "roles", change.change == .added { return "roles declared: their members may approve" }
    // Fewer globs: files that were gated as prompts or policies no longer are.
    if path == "paths" || path.hasPrefix("paths.") {
      for kind in ["prompts", "policies"] where path == "paths" || path.hasPrefix("paths.\(kind)") {
        let before = Set((kind == "prompts" ? old?.paths.prompts : old?.paths.policies)?.map(\.pattern) ?? [])
        let after = Set((kind == "prompts" ? new?.paths.prompts : new?.paths.policies)?.map(\.pattern) ?? [])
        if !before.isSubset(of: after) { return "fewer files are gated as \(kind)" }
      }
      return nil
    }
    guard let oldGovernance = old?.governance else { return nil }
    let newGovernance = new?.governance
    switch path {
    case "governance":
      return change.change == .removed ? "the whole governance section is removed" : nil
    case "governance.separation_of_duties":
      return oldGovernance.separationOfDuties && newGovernance?.separationOfDuties == false
        ? "an author may approve their own change" : nil
    case "governance.signed_commits":
      return oldGovernance.signedCommits && newGovernance?.signedCommits != true
        ? "commits to gated paths need no longer be signed" : nil
    case "governance.approval_ttl_days":
      guard let oldDays = oldGovernance.approvalTTLDays else { return nil }
      guard let newDays = newGovernance?.approvalTTLDays else { return "approvals no longer expire" }
      return newDays > oldDays ? "approvals stay valid longer (\(oldDays) → \(newDays) days)" : nil
    case "governance.override_roles[]", "governance.override_roles":
      return change.change == .added ? "more roles may sign a break-glass override" : nil
    case "governance.release_roles[]", "governance.release_roles":
      return change.change == .added ? "more roles may sign a release" : nil
    case "governance.checkpoints":
      return change.change != .added && !oldGovernance.checkpoints.isEmpty
        ? "checkpoints removed: fewer approvals needed" : nil
    default: break
    }
    for checkpoint in oldGovernance.checkpoints {
      let prefix = "governance.checkpoints[name=\(checkpoint.name)]"
      guard path == prefix || path.hasPrefix(prefix + ".") else { continue }
      let now = newGovernance?.checkpoints.first { $0.name == checkpoint.name }
      guard let now else { return "checkpoint \(checkpoint.name) removed" }
      let key = path.dropFirst(prefix.count)
      switch key {
      case ".approvals":
        return now.approvals < checkpoint.approvals
          ? "checkpoint \(checkpoint.name) lowered from \(checkpoint.approvals) to \(now.approvals) approvals"
          : nil
      case ".role":
        return "checkpoint \(checkpoint.name) now approved by \(now.role) instead of \(checkpoint.role)"
      case ".paths", ".paths[]":
        return narrowed(checkpoint.paths, now.paths, change)
          ? "checkpoint \(checkpoint.name) covers fewer paths" : nil
      case ".environments", ".environments[]":
        return narrowed(checkpoint.environments, now.environments, change)
          ? "checkpoint \(checkpoint.name) applies in fewer environments" : nil
      default: return nil
      }
    }
    for environment in old?.environments ?? [] {
      let prefix = "environments[name=\(environment.name)]"
      guard path.hasPrefix(prefix + ".") else { continue }
      let now = new?.environment(environment.name)
      switch path.dropFirst(prefix.count) {
      case ".release_roles[]":
        return change.change == .added ? "more roles may release to \(environment.name)" : nil
      case ".release_roles":
        let widens = change.change == .removed && !oldGovernance.releaseRoles.isEmpty
        return widens ? "releases to \(environment.name) fall back to governance.release_roles" : nil
      case ".after":
        return environment.after != nil && now?.after != environment.after
          ? "\(environment.name) no longer requires a release to pass \(environment.after ?? "") first" : nil
      case ".soak_minutes":
        guard let minutes = environment.soakMinutes else { return nil }
        return (now?.soakMinutes ?? 0) < minutes ? "\(environment.name) soaks for less time" : nil
      default: return nil
      }
    }
    return nil
  }

  /// The weakenings that matter most (members, checkpoints, who may override or release),
  /// judged on the parsed runbooks rather than on key paths.
  func semanticWeakenings() -> [SemanticChange] {
    var changes: [SemanticChange] = []
    let oldRoles = old?.roles ?? [:]
    for (role, members) in (new?.roles ?? [:]).sorted(by: { $0.key < $1.key }) {
      for member in members where !(oldRoles[role] ?? []).contains(member) {
        changes.append(
          SemanticChange(
            kind: .key, change: .added, path: "roles.\(role)[]", new: member,
            weakens: oldRoles[role] == nil
              ? "new role \(role) with [\(members.joined(separator: ", "))]" : "\(member) joins role \(role)")
        )
      }
    }
    guard let oldGovernance = old?.governance else { return changes }
    let newGovernance = new?.governance
    var seen = Set<String>()
    for checkpoint in oldGovernance.checkpoints where seen.insert(checkpoint.name).inserted {
      let path = "governance.checkpoints[name=\(checkpoint.name)]"
      guard let now = newGovernance?.checkpoints.first(where: { $0.name == checkpoint.name }) else {
        changes.append(
          SemanticChange(
            kind: .key, change: .removed, path: path, weakens: "checkpoint \(checkpoint.name) removed"))
        continue
      }
      if now.approvals < checkpoint.approvals {
        changes.append(
          SemanticChange(
            kind: .key, change: .changed, path: path + ".approvals", old: String(checkpoint.approvals),
            new: String(now.approvals),
            weakens:
              "checkpoint \(checkpoint.name) lowered from \(checkpoint.approvals) to \(now.approvals) approvals"
          ))
      }
      if now.role != checkpoint.role {
        changes.append(
          SemanticChange(
            kind: .key, change: .changed, path: path + ".role", old: checkpoint.role, new: now.role,
            weakens: "checkpoint \(checkpoint.name) now approved by \(now.role) instead of \(checkpoint.role)"
          ))
      }
    }
    for (key, before, after, reason) in [
      (
        "governance.override_roles", oldGovernance.overrideRoles, newGovernance?.overrideRoles ?? [],
        "more roles may sign a break-glass override"
      ),
      (
        "governance.release_roles", oldGovernance.releaseRoles, newGovernance?.releaseRoles ?? [],
        "more roles may sign a release"
      ),
    ] {
      for role in after where !before.contains(role) {
        changes.append(
          SemanticChange(kind: .key, change: .added, path: key + "[]", new: role, weakens: reason))
      }
    }
    return changes
  }

  /// The role a `roles` key path names: `roles.prompt-owner[]`, `roles["prompt.owner"][]`.
  static func roleName(in path: String) -> String {
    var rest = Substring(path.dropFirst("roles".count))
    if rest.hasSuffix("[]") { rest = rest.dropLast(2) }
    if rest.hasPrefix(".") { return String(rest.dropFirst()) }
    if rest.hasPrefix("[\""), rest.hasSuffix("\"]") {
      return String(rest.dropFirst(2).dropLast(2)).replacingLiteral("\\\"", with: "\"")
    }
    return String(rest)
  }

  /// A scope (empty: everything) that now covers less: a glob removed from a non-empty list, or
  /// a first one added to an empty list.
  private func narrowed(_ old: [String], _ new: [String], _ change: SemanticChange) -> Bool {
    if old.isEmpty { return !new.isEmpty }
    if new.isEmpty { return false }
    return !Set(old).isSubset(of: Set(new))
  }

  /// The environments both sides declare, in another promotion order.
  var reorderedEnvironments: SemanticChange? {
    let oldNames = (old?.environments ?? []).map(\.name)
    let newNames = (new?.environments ?? []).map(\.name)
    let shared = Set(oldNames).intersection(newNames)
    let before = oldNames.filter(shared.contains)
    let after = newNames.filter(shared.contains)
    guard before != after else { return nil }
    return SemanticChange(
      kind: .key, change: .changed, path: "environments", old: "[" + before.joined(separator: ", ") + "]",
      new: "[" + after.joined(separator: ", ") + "]",
      weakens: "environments reordered: the promotion order changed")
  }
}
