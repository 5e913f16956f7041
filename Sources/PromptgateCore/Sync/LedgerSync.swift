import Crypto
import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `promptgate sync`: brings this clone's ledger and a remote's together without ever
/// overwriting what another writer pushed (SPEC §6, §7).
///
/// 1. Reads what the remote advertises and fetches its `refs/promptgate/ledger` alone into the
///    tracking reference `refs/promptgate/remotes/<remote>/ledger` (a remote given by URL or
///    path tracks under `refs/promptgate/remotes/url-<hash of the URL>/`). Environment refs are
///    not fetched: they are mirrors of the ledger, and their release commits may be code history
///    a single-branch or shallow CI checkout does not have.
/// 2. Plans (``SyncPlan``): the local events the remote lacks are replayed on top of the remote's
///    ledger; two moves of one environment are a conflict (exit 3, nothing pushed, nothing changed
///    here).
/// 3. Pushes the new ledger with the remote's id as the lease: the remote moves only if it still
///    holds that id, so a concurrent writer's push makes this one fail (exit 3, safe to retry).
///    The pushed ledger always descends from the remote's: it is never rewritten.
/// 4. Only then moves the local ledger (a compare-and-swap on the id it started from), the
///    remembered head, the index and the local environment mirrors.
/// 5. Brings the remote's environment refs in line with the ledger just pushed (or found), in a
///    second push, each with its advertised id as the lease, and only while the remote's ledger
///    is still that ledger: an environment value is never pushed from a ledger older than the
///    one the remote holds, and a lease that fails leaves the ref to its newer writer. The ledger
///    push is the commit point; a mirror left behind (a failed lease, a process killed between
///    the two pushes) is repaired by the next sync from any clone.
public enum LedgerSync {
  /// Syncs with `remoteName` (a configured remote, or a URL or path).
  public static func sync(
    remote remoteName: String, in repository: Repository,
    credentials: RemoteCredentials = .environment()
  ) throws(PromptgateError) -> SyncReport {
    let remote = try open(remoteName, in: repository, credentials: credentials)
    let label = remote.name ?? remote.url
    let tracking = trackingPrefix(of: remote) + "ledger"
    let ledger = Ledger(repository)
    let local = try ledger.head()
    let previouslyFetched = try read(tracking, in: repository)

    // 1. What the remote holds, fetched.
    let advertised = try reach(label, remote) { () throws(GitError) in try remote.advertisedReferences() }
    var fetched: ObjectID?
    if advertised[RefName.ledger] != nil {
      try reach(label, remote) { () throws(GitError) in
        try remote.fetch(
          ["+\(RefName.ledger):\(tracking)"], reflogMessage: "promptgate sync: fetch from \(label)")
      }
      fetched = try read(tracking, in: repository)
      guard let fetched, repository.contains(fetched) else {
        throw PromptgateError.input(
          "\(label) advertises \(RefName.ledger) but fetching it brought nothing; run sync again")
      }
    }
    if let previous = previouslyFetched {
      guard let fetched else {
        throw PromptgateError(
          .ledgerRewritten,
          "\(label) no longer has \(RefName.ledger); this clone last fetched \(previous.short()) from it. Nothing "
            + "was pushed. Find out who deleted it, then restore it: git push \(label) \(previous.hex):\(RefName.ledger)"
        )
      }
      guard repository.isDescendant(fetched, of: previous) else {
        try? repository.updateReference(
          tracking, to: previous, expecting: fetched, message: "promptgate sync: keep what was last seen")
        throw PromptgateError(
          .ledgerRewritten,
          "\(label)'s \(RefName.ledger) is now \(fetched.short()), which does not descend from \(previous.short()), "
            + "what this clone last fetched from it: the remote's ledger was rewritten (a force-push?). Nothing was "
            + "pushed or changed here; run `promptgate audit verify` on a clone that has \(previous.short()) and "
            + "restore \(label)'s ledger from it")
      }
    }

    // 2. The plan.
    let plan = try SyncPlan(ledger: ledger, local: local, remote: fetched)
    try checkSameRepository(plan, local: local, remote: label, in: ledger)
    if let conflict = plan.conflicts.first {
      throw conflictError(conflict, plan: plan, remote: label, in: ledger)
    }
    let final: ObjectID?
    var replayed: [(record: Ledger.Record, previousSequence: Int)] = []
    if let fetched, local != nil, plan.base != fetched {
      if plan.pending.isEmpty {
        final = fetched
      } else {
        (final, replayed) = try plan.replay(onto: fetched, in: ledger)
      }
    } else {
      final = local ?? fetched
    }
    // 3. Push the ledger with the remote's id as the lease.
    var warnings: [String] = []
    var pushed: SyncReport.Push?
    if let final, final != fetched {
      if let fetched, !repository.isDescendant(final, of: fetched) {
        throw PromptgateError(
          .conflict, "the ledger to push does not descend from \(label)'s; nothing was pushed")
      }
      do {
        try remote.push([PushUpdate(reference: RefName.ledger, target: final, expected: fetched)])
      } catch {
        switch error {
        case .rejected(let rejections):
          throw PromptgateError(
            .conflict,
            "\(label) refused \(RefName.ledger): \(rejections.map(\.reason).joined(separator: "; ")); nothing "
              + "was pushed and nothing changed here, so it is safe to run sync again")
        case .failed(let error):
          throw unreachable(label, remote, error)
        }
      }
      pushed = SyncReport.Push(from: fetched?.hex, to: final.hex)
    }
    if let final {
      try? repository.updateReference(
        tracking, to: final, expecting: try? repository.referenceTarget(tracking),
        message: pushed == nil ? "promptgate sync: fetch from \(label)" : "promptgate sync: push to \(label)")
    }

    // 4. Move the local ledger, then what is derived from it.
    if let final, final != local {
      if let local, !repository.isDescendant(final, of: local) {
        try ledger.state.prepareReplacement(by: final)
      }
      do {
        try repository.updateReference(
          RefName.ledger, to: final, expecting: local,
          message: replayed.isEmpty
            ? "promptgate sync: from \(label)" : "promptgate sync: replayed onto \(label)")
      } catch  where [.modified, .exists, .locked].contains(error.code) {
        throw PromptgateError(
          .conflict,
          "\(label) has \(final.short()) now, but another promptgate process wrote to this clone's ledger meanwhile; "
            + "run sync again (events already on \(label) are not pushed twice)")
      } catch {
        throw RepositoryLookup.readFailure(error, reading: RefName.ledger)
      }
      // Replayed onto a ledger that shares no event with this one: the first event changes.
      let newRoot = local != nil && plan.base == nil ? LedgerContinuity.root(of: final, in: repository) : nil
      try ledger.state.remember(head: final, root: newRoot, in: repository)
    }
    // What came from the remote is judged before any environment ref moves onto it (SPEC §7).
    try LedgerAudit.requireVerified(
      ledger, consequence: "no environment ref was moved after fetching from \(label)")
    var environments: [SyncReport.Environment] = []
    for name in try ledger.environments() {
      let state = try EnvironmentState(name, ledger: ledger)
      let wanted = state.deployed.flatMap { ObjectID(hex: $0.commit) }
      var entry = SyncReport.Environment(
        name: name, deployed: wanted?.hex, local: "in-line", remote: "in-line")
      switch try EnvironmentMirror.followLedger(
        name, ledger: ledger, in: repository, message: "promptgate sync with \(label)")
      {
      case .inLine: break
      case .moved: entry.local = "moved"
      case .locked:
        entry.local = "locked"
        warnings.append("\(state.reference) is locked here; the next promptgate command brings it in line")
      case .missing(let commit):
        entry.local = "missing"
        warnings.append(
          "\(name) runs \(commit.short()), which is not in this clone: its mirror here is left as it was; "
            + "fetch it (git fetch \(label) \(commit.hex))")
      }
      environments.append(entry)
    }

    // 5. The remote's environment mirrors.
    if let final, !environments.isEmpty {
      warnings += pushEnvironments(&environments, ledger: final, remote: remote, label: label, in: repository)
    }
    _ = try ledger.count()  // brings the index up to the new head now, not in the next command

    return SyncReport(
      remote: label, url: remote.url, tracking: tracking, ledger: final?.hex,
      fetched: SyncReport.Fetch(ledger: fetched?.hex, newEvents: plan.incoming.count),
      replayed: replayed.map {
        SyncReport.Replayed(
          sequence: $0.record.event.sequence, previousSequence: $0.previousSequence,
          commit: $0.record.commit.hex,
          summary: $0.record.event.summary)
      },
      pushed: pushed, environments: environments, warnings: warnings)
  }

  /// Pushes each environment mirror the remote holds differently from `head`'s ledger, leased on
  /// what it advertises, and only while the remote's ledger is `head`. Returns warnings.
  private static func pushEnvironments(
    _ environments: inout [SyncReport.Environment], ledger head: ObjectID, remote: Remote, label: String,
    in repository: Repository
  ) -> [String] {
    let advertised: [String: ObjectID]
    do {
      advertised = try remote.advertisedReferences()
    } catch {
      return [
        "could not read \(label)'s environment refs (\(error.message)); the next sync brings them in line"
      ]
    }
    guard advertised[RefName.ledger] == head else {
      for index in environments.indices { environments[index].remote = "left" }
      return [
        "\(label)'s ledger moved on while syncing; its environment refs are left to the writer who moved it "
          + "(the next sync brings them in line)"
      ]
    }
    var updates: [PushUpdate] = []
    for (index, environment) in environments.enumerated() {
      let reference = RefName.environment(environment.name)
      guard let deployed = environment.deployed.flatMap(ObjectID.init(hex:)),
        advertised[reference] != deployed
      else { continue }
      guard repository.contains(deployed) else {
        environments[index].remote = "left"
        continue
      }
      updates.append(PushUpdate(reference: reference, target: deployed, expected: advertised[reference]))
      environments[index].remote = "moved"
    }
    do {
      try remote.push(updates)
      return []
    } catch {
      guard case .rejected(let rejections) = error else {
        for index in environments.indices where environments[index].remote == "moved" {
          environments[index].remote = "left"
        }
        return [
          "could not push \(label)'s environment refs (\(oneLine(error.description))); the next sync retries"
        ]
      }
      for rejection in rejections {
        if let index = environments.firstIndex(where: {
          RefName.environment($0.name) == rejection.reference
        }) {
          environments[index].remote = "left"
        }
      }
      return rejections.map {
        "\(label) did not move \($0.reference) (\($0.reason)); the next sync brings it in line"
      }
    }
  }

  /// Where this clone keeps what it fetched from `remote`.
  static func trackingPrefix(of remote: Remote) -> String {
    if let name = remote.name { return RefName.tracking(name) }
    let digest = Hex.string(SHA256.hash(data: Data(remote.url.utf8)))
    return RefName.tracking("url-\(digest.prefix(12))")
  }

  /// The remote named `name`, or `name` as a URL or path when no remote has that name.
  static func open(_ name: String, in repository: Repository, credentials: RemoteCredentials)
    throws(PromptgateError) -> Remote
  {
    let remote = try locate(name, in: repository, credentials: credentials)
    RemoteAccess.configure(remote, in: repository, environment: ProcessInfo.processInfo.environment)
    return remote
  }

  private static func locate(_ name: String, in repository: Repository, credentials: RemoteCredentials)
    throws(PromptgateError) -> Remote
  {
    do {
      return try Remote.lookup(name, in: repository, credentials: credentials)
    } catch  where error.code == .notFound || error.code == .invalidSpec {
      let looksLikeLocation =
        name.containsLiteral("/") || name.containsLiteral(":") || FileManager.default.fileExists(atPath: name)
      guard looksLikeLocation else {
        let known = Remote.names(in: repository)
        throw PromptgateError.input(
          "no remote named '\(name)' in this repository (\(known.isEmpty ? "it has none" : "remotes: " + known.joined(separator: ", "))); "
            + "add it with `git remote add \(name) <url>`, or pass a URL or path to --remote")
      }
      do {
        return try Remote.anonymous(url: name, in: repository, credentials: credentials)
      } catch {
        throw PromptgateError.input(
          "'\(name)' is neither a remote nor a URL promptgate can use: \(oneLine(error.message))")
      }
    } catch {
      throw PromptgateError.input("cannot read remote '\(name)': \(oneLine(error.message))")
    }
  }

  private static func read(_ reference: String, in repository: Repository) throws(PromptgateError)
    -> ObjectID?
  {
    do {
      return try repository.referenceTarget(reference)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: reference)
    }
  }

  /// Runs a network call, turning its failure into one line that names the remote.
  private static func reach<T>(_ label: String, _ remote: Remote, _ body: () throws(GitError) -> T)
    throws(PromptgateError) -> T
  {
    do {
      return try body()
    } catch {
      throw unreachable(label, remote, error)
    }
  }

  static func unreachable(_ label: String, _ remote: Remote, _ error: GitError) -> PromptgateError {
    let place = remote.name.map { "\($0) (\(remote.url))" } ?? remote.url
    if let advice = RemoteAccess.advice(for: error) {
      return PromptgateError.input("cannot sync with \(place): \(oneLine(advice))")
    }
    return PromptgateError.input(
      "cannot sync with \(place): \(oneLine(error.message)); check the URL, the network and the credentials "
        + "(ssh-agent for ssh; GIT_USERNAME and GIT_PASSWORD or a token for https)")
  }

  private static func conflictError(
    _ conflict: SyncPlan.Conflict, plan: SyncPlan, remote: String, in ledger: Ledger
  ) -> PromptgateError {
    let since =
      plan.base.flatMap { try? ledger.record($0) }.map {
        "since their last shared event #\($0.event.sequence)"
      }
      ?? "and the two ledgers share no event"
    let others = plan.conflicts.count > 1 ? " (and \(plan.conflicts.count - 1) more environments)" : ""
    return PromptgateError(
      .conflict,
      "\(conflict.environment) moved both here and on \(remote) \(since)\(others): here \(conflict.ours.event.summary); "
        + "on \(remote) \(conflict.theirs.event.summary). promptgate cannot order two moves of one environment, so "
        + "nothing was pushed and nothing changed here; agree which stands and record it again on a clone that "
        + "has \(remote)'s ledger")
  }

  static func oneLine(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline).joined(separator: "; ")
  }

  /// Refuses a remote ledger whose events are about another gated repository (another root
  /// commit): merging it would let approvals recorded there count here.
  private static func checkSameRepository(
    _ plan: SyncPlan, local: ObjectID?, remote: String, in ledger: Ledger
  ) throws(PromptgateError) {
    let repository = ledger.repository
    var ours = try local.map { head throws(PromptgateError) in try ledger.record(head).event.repository }
    if ours == nil, let head = try? repository.resolveCommit("HEAD") {
      ours = try? RepositoryIdentity.root(of: head, in: repository)
    }
    guard let ours, let foreign = plan.remoteOnly.first(where: { $0.event.repository != ours }) else {
      return
    }
    throw PromptgateError(
      .blocked,
      "\(remote)'s ledger belongs to another gated repository: its event #\(foreign.event.sequence) names "
        + "repository \(foreign.event.repository.prefix(12)), this one is \(ours.prefix(12)) (its root commit). "
        + "Nothing was pushed or changed; check the remote's URL")
  }
}
