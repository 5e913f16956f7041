import Git

/// How this clone's ledger and a remote's ledger come together: the events each has that the
/// other lacks, which local events must be replayed on top of the remote's ledger, and whether
/// any of them cannot be.
///
/// Replay rules:
/// - An event already on the remote (the same event, by everything but its sequence number, and
///   the same signature) is not replayed again: a sync that pushed but died before moving the
///   local ledger is finished by the next one, never duplicated.
/// - Approvals and rejections are independent: they are re-parented, renumbered after the
///   remote's last event, and keep their signature, which covers the signed statement in
///   `details.statement`, not the sequence number or the parent (as `Ledger.append` does when
///   another writer moved the ledger first).
/// - A `blocked` attempt moved nothing: it is evidence, replayed like an approval, with the base
///   it was judged against recorded in its details.
/// - A release, override, rollback or mark-bad moves an environment. It is replayed only if the
///   remote's ledger did not move that environment since the last event both share; then the
///   environment is where it was when the event was decided, which the replay checks (the
///   `base` of a release, the `from` of a rollback). Otherwise it is a conflict: two moves of one
///   environment that promptgate cannot order. A replayed release is not judged again: its gates
///   were judged against its base with the approvals recorded by then, and the record says so.
struct SyncPlan {
  /// The last event both ledgers share; nil when they share none (or one side has no ledger).
  let base: ObjectID?
  /// Local events the remote's ledger lacks, oldest first.
  let localOnly: [Ledger.Record]
  /// Remote events this clone's ledger lacks, oldest first.
  let remoteOnly: [Ledger.Record]
  /// Of `localOnly`, those the remote does not already carry: what must be replayed.
  let pending: [Ledger.Record]
  /// Remote events that are new to this clone (not copies of its own events).
  let incoming: [Ledger.Record]

  /// A local event that moves an environment the remote's ledger moved too.
  struct Conflict {
    let environment: String
    let ours: Ledger.Record
    let theirs: Ledger.Record
  }

  init(ledger: Ledger, local: ObjectID?, remote: ObjectID?) throws(PromptgateError) {
    let repository = ledger.repository
    base = (local != nil && remote != nil) ? repository.mergeBase(local!, remote!) : nil
    localOnly = try Self.records(from: local, downTo: base, in: ledger)
    remoteOnly = try Self.records(from: remote, downTo: base, in: ledger)
    let remoteKeys = Set(remoteOnly.map(Self.key))
    let localKeys = Set(localOnly.map(Self.key))
    pending = localOnly.filter { !remoteKeys.contains(Self.key($0)) }
    incoming = remoteOnly.filter { !localKeys.contains(Self.key($0)) }
  }

  /// The first conflict, if any, and how many environments conflict in all.
  var conflicts: [Conflict] {
    var theirs: [String: Ledger.Record] = [:]
    for record in incoming where Self.movesEnvironment(record.event.kind) {
      if let environment = record.event.environment, theirs[environment] == nil {
        theirs[environment] = record
      }
    }
    var found: [String: Conflict] = [:]
    // A release into an environment that ran nothing was judged against another environment's
    // release (SPEC §3): any move of another environment on the remote may change that base.
    let anyIncoming = incoming.first { Self.movesEnvironment($0.event.kind) }
    for record in pending where [.release, .override].contains(record.event.kind) {
      guard let environment = record.event.environment, record.event.decidedOn == .some(nil),
        let other = anyIncoming, found[environment] == nil
      else { continue }
      found[environment] = Conflict(environment: environment, ours: record, theirs: other)
    }
    for record in pending where Self.movesEnvironment(record.event.kind) {
      guard let environment = record.event.environment, let other = theirs[environment],
        found[environment] == nil
      else { continue }
      found[environment] = Conflict(environment: environment, ours: record, theirs: other)
    }
    return found.values.sorted { $0.environment < $1.environment }
  }

  /// Kinds that change what an environment holds (a blocked attempt changes nothing).
  static func movesEnvironment(_ kind: LedgerEvent.Kind) -> Bool {
    [.release, .override, .rollback, .markBad].contains(kind)
  }

  /// What makes two events the same event wherever they sit in a chain: everything but the
  /// sequence number and the recording time (a replay records later), and the signature.
  static func key(_ record: Ledger.Record) -> String {
    let event = record.event
    let unnumbered = LedgerEvent(
      kind: event.kind, sequence: 0, time: "", actor: event.actor, environment: event.environment,
      release: event.release, repository: event.repository, details: event.details)
    return unnumbered.json.canonicalString + "\n" + (record.signature ?? "")
  }

  /// The first-parent chain from `head` down to (not including) `base`, oldest first.
  static func records(from head: ObjectID?, downTo base: ObjectID?, in ledger: Ledger) throws(PromptgateError)
    -> [Ledger.Record]
  {
    var records: [Ledger.Record] = []
    var next = head
    while let commit = next, commit != base {
      let record = try ledger.record(commit)
      records.append(record)
      next = record.parent
    }
    return records.reversed()
  }

  /// Writes `pending` on top of `head` (the remote's ledger), renumbered, and returns the new
  /// head with each replayed record. Writes objects only; no reference moves.
  func replay(onto head: ObjectID, in ledger: Ledger) throws(PromptgateError) -> (
    head: ObjectID, replayed: [(record: Ledger.Record, previousSequence: Int)]
  ) {
    var parent = head
    let remoteHead = try ledger.record(head).event
    var sequence = remoteHead.sequence
    // A replay records the event again, on the remote's ledger: never before its newest event,
    // since the ledger's times never go backwards (what was signed keeps its own signed_at).
    let notBefore = Timestamp.seconds(rfc3339: remoteHead.time) ?? 0
    var deployed: [String: String?] = [:]
    var replayed: [(record: Ledger.Record, previousSequence: Int)] = []
    for original in pending {
      sequence += 1
      let old = original.event
      let time = (Timestamp.seconds(rfc3339: old.time) ?? 0) < notBefore ? remoteHead.time : old.time
      let event = LedgerEvent(
        kind: old.kind, sequence: sequence, time: time, actor: old.actor, environment: old.environment,
        release: old.release, repository: old.repository, details: old.details)
      if let environment = event.environment, Self.movesEnvironment(event.kind) {
        if deployed[environment] == nil {
          deployed[environment] = .some(try Self.deployed(environment, at: head, in: ledger))
        }
        let before = deployed[environment] ?? nil
        if let decidedOn = Self.decidedOn(event), decidedOn != before {
          throw PromptgateError(
            .conflict,
            "cannot replay #\(old.sequence) (\(old.summary)): it was decided with "
              + "\(decidedOn.map { String($0.prefix(7)) } ?? "nothing") deployed in \(environment), but the remote's "
              + "ledger has \(before.map { String($0.prefix(7)) } ?? "nothing") there; nothing was pushed")
        }
        if [.release, .override, .rollback].contains(event.kind) {
          deployed[environment] = .some(event.release?.commit)
        }
      }
      let commit = try ledger.write(event, signature: original.signature, parent: parent)
      replayed.append(
        (
          Ledger.Record(commit: commit, parent: parent, event: event, signature: original.signature),
          old.sequence
        ))
      parent = commit
    }
    return (parent, replayed)
  }

  /// What an event says was deployed when it was decided: `.some(nil)` when nothing was; nil
  /// when the event does not say.
  static func decidedOn(_ event: LedgerEvent) -> String?? {
    guard let decided = event.decidedOn else { return nil }
    return .some(decided?.commit)
  }

  /// The release deployed in `environment` as of ledger commit `head`: walks back to the last
  /// release, override or rollback there.
  static func deployed(_ environment: String, at head: ObjectID, in ledger: Ledger) throws(PromptgateError)
    -> String?
  {
    var next: ObjectID? = head
    while let commit = next {
      let record = try ledger.record(commit)
      let event = record.event
      if event.environment == environment, [.release, .override, .rollback].contains(event.kind) {
        return event.release?.commit
      }
      next = record.parent
    }
    return nil
  }
}
