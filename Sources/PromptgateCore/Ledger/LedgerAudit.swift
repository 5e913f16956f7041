import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What `promptgate audit verify` found.
public struct AuditReport: Sendable, Encodable {
  public struct Problem: Sendable, Encodable, Hashable {
    /// The event's sequence number as it should be (its position), when the problem is one event's.
    public let sequence: Int?
    public let commit: String?
    public let message: String
  }

  public let head: String?
  public let root: String?
  public let events: Int
  public let signedEvents: Int
  public let problems: [Problem]
  /// What is not a forgery but worth knowing: a verdict that changed with promptgate, moves
  /// recorded before moves were signed.
  public let notices: [Problem]
  public var verified: Bool { problems.isEmpty }

  enum CodingKeys: String, CodingKey {
    case head, root, events, signedEvents = "signed_events", problems, notices, verified
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(head, forKey: .head)
    try container.encode(root, forKey: .root)
    try container.encode(events, forKey: .events)
    try container.encode(signedEvents, forKey: .signedEvents)
    try container.encode(problems, forKey: .problems)
    try container.encode(notices, forKey: .notices)
    try container.encode(verified, forKey: .verified)
  }

  public init(
    head: String?, root: String?, events: Int, signedEvents: Int, problems: [Problem], notices: [Problem] = []
  ) {
    self.head = head
    self.root = root
    self.events = events
    self.signedEvents = signedEvents
    self.problems = problems
    self.notices = notices
  }

}

/// Checks the whole ledger: the chain, every event's form and number, and that it still holds
/// what this clone (or `--expect`) saw; then re-judges every event as it stood (``EventJudge``).
/// Names the event when one is edited, removed, reordered, renumbered, inserted or forged.
public enum LedgerAudit {
  public static func verify(_ ledger: Ledger, expect: ObjectID? = nil) throws(PromptgateError) -> AuditReport
  {
    try verify(ledger, expect: expect, after: nil)
  }

  /// Verifies the new events and stops (exit 1) on the first problem: nothing acts on an event
  /// that fails (SPEC §7). `consequence` says what did not happen.
  public static func requireVerified(_ ledger: Ledger, consequence: String) throws(PromptgateError) {
    if let problem = try verifyNewEvents(ledger).problems.first {
      throw PromptgateError(
        .blocked,
        "the ledger does not verify, so \(consequence): \(problem.message) (promptgate audit verify lists every "
          + "problem)")
    }
  }

  /// Verifies only the events after the last head a verification passed on (the whole ledger the
  /// first time), so `status` can say the ledger verifies at a cost that does not grow with it.
  public static func verifyNewEvents(_ ledger: Ledger) throws(PromptgateError) -> AuditReport {
    try verify(ledger, expect: nil, after: VerifiedHead.load(ledger))
  }

  private static func verify(_ ledger: Ledger, expect: ObjectID?, after verified: VerifiedHead?)
    throws(PromptgateError) -> AuditReport
  {
    let repository = ledger.repository
    var problems: [AuditReport.Problem] = []
    let current: ObjectID?
    do {
      current = try repository.referenceTarget(RefName.ledger)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: RefName.ledger)
    }
    if let remembered = ledger.state.load() {
      problems += continuityProblems(current: current, remembered: remembered, in: repository)
    }
    if let expect {
      if let current, repository.isDescendant(current, of: expect) {
      } else {
        problems.append(
          AuditReport.Problem(
            sequence: nil, commit: expect.hex,
            message:
              "the ledger no longer contains \(expect.short()) (--expect): it was rewritten or replaced"))
      }
    }
    guard let current else {
      return AuditReport(head: nil, root: nil, events: 0, signedEvents: 0, problems: problems)
    }

    // Walk first parents back to the root (or to the last verified head), then check oldest first.
    var start = verified.flatMap { repository.isDescendant(current, of: $0.head) ? $0 : nil }
    // New events are judged on the state the last verification reached; without it, from the start.
    var judge = EventJudge(ledger: ledger)
    if let known = start, known.head != current {
      if let saved = known.judge { judge = saved } else { start = nil }
    }
    var chain: [Commit] = []
    var next: ObjectID? = current
    do {
      while let id = next, id != start?.head {
        let commit = try repository.commit(id)
        chain.append(commit)
        if commit.parents.count > 1 {
          problems.append(
            AuditReport.Problem(
              sequence: nil, commit: id.hex, message: "ledger commit \(id.short()) is a merge"))
        }
        next = commit.parents.first
      }
    } catch {
      problems.append(
        AuditReport.Problem(
          sequence: nil, commit: next?.hex,
          message:
            "ledger commit \(next?.short() ?? "?") is missing (\(error.message)); fetch refs/promptgate/*"))
    }
    chain.reverse()
    var signed = 0
    var notices: [AuditReport.Problem] = []
    let skipped = start?.events ?? 0
    for (offset, commit) in chain.enumerated() {
      let position = skipped + offset + 1
      func problem(_ message: String) {
        problems.append(
          AuditReport.Problem(
            sequence: position, commit: commit.id.hex,
            message: "event #\(position) (\(commit.id.short())): \(message)"))
      }
      let files: [TreeEntry]
      do {
        files = try repository.entries(ofTree: commit.tree)
      } catch {
        problem("its tree cannot be read (\(error.message))")
        continue
      }
      let names = Set(files.map(\.name))
      guard names == [Ledger.eventFile] || names == [Ledger.eventFile, Ledger.signatureFile] else {
        problem("its tree holds \(names.sorted().joined(separator: ", ")), not just event.json and event.sig")
        continue
      }
      let record: Ledger.Record
      let bytes: [UInt8]
      do {
        record = try ledger.record(commit.id)
        bytes = try repository.blob(files.first { $0.name == Ledger.eventFile }!.id)
      } catch let error as PromptgateError {
        problem(error.message)
        continue
      } catch {
        problem("\(error)")
        continue
      }
      if record.event.json.canonical != bytes {
        problem("event.json is not in canonical form: it was edited by hand")
      }
      if record.event.sequence != position {
        problem(
          "it says #\(record.event.sequence) but is number \(position) in the chain: an event was removed, "
            + "reordered, renumbered or inserted")
      }
      if commit.message != record.event.summary + "\n" {
        problem("its commit message does not match its event")
      }
      if record.signature != nil { signed += 1 }
      let verdict = judge.judge(record)
      verdict.problems.forEach(problem)
      notices += verdict.notices.map {
        AuditReport.Problem(
          sequence: position, commit: commit.id.hex,
          message: "event #\(position) (\(commit.id.short())): \($0)")
      }
    }
    let report = AuditReport(
      head: current.hex, root: start == nil ? chain.first?.id.hex : nil, events: skipped + chain.count,
      signedEvents: signed, problems: problems, notices: notices)
    if report.verified && !chain.isEmpty {
      try ledger.state.remember(head: current, root: start == nil ? chain.first?.id : nil, in: repository)
      VerifiedHead.save(head: current, events: report.events, judge: judge, in: ledger)
    }
    return report
  }

  /// The ledger moved in a way that drops what this clone saw: name the first changed event.
  private static func continuityProblems(
    current: ObjectID?, remembered: LedgerContinuity.Remembered, in repository: Repository
  ) -> [AuditReport.Problem] {
    guard let current else {
      return [
        AuditReport.Problem(
          sequence: nil, commit: remembered.head.hex,
          message: "\(RefName.ledger) is gone; this clone last saw it at \(remembered.head.short())")
      ]
    }
    if remembered.accepts(current, in: repository) { return [] }
    var message =
      "\(RefName.ledger) is now \(current.short()) and no longer descends from \(remembered.head.short()), "
      + "the head this clone last saw (first event \(remembered.root.short()))"
    if repository.contains(remembered.head) {
      // Count the events both share: the first one after them is where history was changed.
      let shared =
        repository.mergeBase(current, remembered.head).map { chainLength(to: $0, in: repository) } ?? 0
      message += "; events from #\(shared + 1) on were edited, removed, reordered or replaced"
    }
    return [AuditReport.Problem(sequence: nil, commit: remembered.head.hex, message: message)]
  }

  private static func chainLength(to head: ObjectID, in repository: Repository) -> Int {
    var count = 0
    var next: ObjectID? = head
    while let id = next, let commit = try? repository.commit(id) {
      count += 1
      next = commit.parents.first
    }
    return count
  }
}

/// The last ledger head a verification passed on and how many events it held, in
/// `.git/promptgate/verified.json`, and what the re-judging had learnt by then (each
/// environment's state, the anchor, the last time) beside it in `verified-state.json`, read only
/// when there are new events to judge. Only a cache: a missing or unreadable one means verifying
/// everything again, and a head the ledger no longer descends from is ignored.
struct VerifiedHead {
  static let version: Int64 = 2

  let head: ObjectID
  let events: Int
  private let ledger: Ledger

  static func file(_ ledger: Ledger) -> String { ledger.state.folder + "/verified.json" }
  static func stateFile(_ ledger: Ledger) -> String { ledger.state.folder + "/verified-state.json" }

  static func load(_ ledger: Ledger) -> VerifiedHead? {
    guard let bytes = LocalFile.bytes(atPath: file(ledger)),
      let json = try? JSONValue(parsing: bytes), json["version"]?.integer == version,
      let head = json["head"]?.string.flatMap(ObjectID.init(hex:)),
      let events = json["events"]?.integer, events > 0
    else { return nil }
    return VerifiedHead(head: head, events: Int(events), ledger: ledger)
  }

  /// The judge as it stood at `head`; nil when its file is missing, unreadable or of another head.
  var judge: EventJudge? {
    guard let bytes = LocalFile.bytes(atPath: Self.stateFile(ledger)),
      let json = try? JSONValue(parsing: bytes), json["head"]?.string == head.hex,
      let state = json["judge"]
    else { return nil }
    return EventJudge(json: state, ledger: ledger)
  }

  static func save(head: ObjectID, events: Int, judge: EventJudge, in ledger: Ledger) {
    try? FileManager.default.createDirectory(atPath: ledger.state.folder, withIntermediateDirectories: true)
    // The state first: a head whose state is missing is verified again from the start.
    let state = JSONValue.object(["head": .string(head.hex), "judge": judge.json])
    try? LedgerContinuity.atomicWrite(state.canonical, to: stateFile(ledger))
    let json = JSONValue.object([
      "version": .integer(version), "head": .string(head.hex), "events": .integer(Int64(events)),
    ])
    try? LedgerContinuity.atomicWrite(json.canonical, to: file(ledger))
  }
}
