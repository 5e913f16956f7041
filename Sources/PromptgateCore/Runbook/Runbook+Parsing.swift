import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension Runbook {
  /// The runbook's schema, version 1 (SPEC §2).
  static let schema: Schema = .map([
    "version": .required(.integer),
    "service": .optional(
      .map([
        "name": .optional(.string),
        "client": .optional(.string),
        "scope": .optional(.list(.string)),
        "out_of_scope": .optional(.list(.string)),
        "inputs": .optional(.mapOf(.any)),
        "outputs": .optional(.mapOf(.any)),
        "escalation": .optional(.list(.map(["when": .required(.string), "to": .required(.string)]))),
      ])),
    "reliability": .optional(
      .map([
        "slo": .optional(.mapOf(.number)),
        "fallback": .optional(
          .map([
            "strategy": .required(.oneOf(Fallback.Strategy.allCases.map(\.rawValue))),
            "response": .optional(.string),
            "queue": .optional(.string),
          ])),
        "rollback": .optional(
          .map([
            "owner": .optional(.string),
            "target": .optional(.string),
            "triggers": .optional(.list(.string)),
            "max_recovery_minutes": .optional(.integer),
            "steps": .optional(.list(.string)),
          ])),
        "evidence": .optional(.list(EvidenceRequirement.schema)),
      ])),
    "governance": .optional(
      .map([
        "data": .optional(.mapOf(.any)),
        "checkpoints": .optional(
          .list(
            .map([
              "name": .required(.string),
              "role": .required(.string),
              "approvals": .optional(.integer),
              "paths": .optional(.list(.string)),
              "environments": .optional(.list(.string)),
            ]))),
        "separation_of_duties": .optional(.bool),
        "approval_ttl_days": .optional(.integer),
        "override_roles": .optional(.list(.string)),
        "release_roles": .optional(.list(.string)),
        "signed_commits": .optional(.bool),
        "evidence_roles": .optional(.list(.string)),
      ])),
    "environments": .optional(
      .list(
        .map([
          "name": .required(.string),
          "after": .optional(.string),
          "soak_minutes": .optional(.integer),
          "release_roles": .optional(.list(.string)),
        ]))),
    "improvement": .optional(
      .map([
        "incidents": .optional(.list(.string)),
        "review_cadence": .optional(.oneOf(ReviewCadence.allCases.map(\.rawValue))),
        "review_roles": .optional(.list(.string)),
        "metrics_roles": .optional(.list(.string)),
      ])),
    "roles": .optional(.mapOf(.list(.string))),
    "paths": .optional(
      .map([
        "prompts": .optional(.list(.string)),
        "policies": .optional(.list(.string)),
      ])),
  ])

  /// A runbook read from text: the model when the YAML could be parsed at all, and every problem.
  public struct Loaded: Sendable {
    public let runbook: Runbook?
    public let diagnostics: [Diagnostic]
  }

  /// Parses and checks `text`; never throws: everything wrong is a diagnostic.
  public static func parse(_ text: String, file: String = path) -> Loaded {
    let document: StructuredValue?
    do {
      document = try StructuredDocument.parse(text, limits: StructuredDocument.Limits(maxBytes: 1 << 20))
    } catch {
      return Loaded(
        runbook: nil,
        diagnostics: [Diagnostic(.error, "the runbook \(error.message)", file: file, at: error.location)])
    }
    guard let document, document.entries != nil else {
      return Loaded(
        runbook: nil,
        diagnostics: [
          Diagnostic(
            .error, "the runbook must be a map of the four layers; run `promptgate init` for a starter",
            file: file)
        ])
    }
    var diagnostics: [Diagnostic] = []
    schema.validate(document, path: "", file: file, into: &diagnostics)
    let runbook = Runbook(document: document)
    if let version = document["version"]?.scalar, version.kind == .integer,
      Int(version.text) != supportedVersion
    {
      diagnostics.append(
        Diagnostic(
          .error,
          "runbook version \(version.text) is not supported; this promptgate reads version \(supportedVersion)",
          file: file, at: document["version"]?.location))
    }
    return Loaded(runbook: runbook, diagnostics: diagnostics)
  }

  /// Reads `runbook.yaml` from a commit's tree; nil runbook and no diagnostic when there is none.
  public static func load(from commit: Commit, in repository: Repository) throws(PromptgateError) -> Loaded? {
    let entry: TreeEntry?
    do {
      entry = try repository.entry(at: path, inTree: commit.tree)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "\(path) of \(commit.id.short())")
    }
    guard let entry else { return nil }
    guard entry.mode.isBlob, entry.mode != .link else {
      return Loaded(
        runbook: nil,
        diagnostics: [
          Diagnostic(.error, "the runbook must be a regular file, not a \(entry.mode)", file: path)
        ])
    }
    if let loaded = parsed[entry.id] { return loaded }
    do {
      let bytes = try repository.blob(entry.id)
      guard let text = String(validating: bytes, as: UTF8.self) else {
        return Loaded(
          runbook: nil, diagnostics: [Diagnostic(.error, "the runbook is not UTF-8 text", file: path)])
      }
      let loaded = parse(text)
      parsed[entry.id] = loaded
      return loaded
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "\(path) of \(commit.id.short())")
    }
  }

  /// Runbooks parsed in this process, by blob id (the id names the text): `check` reads the
  /// base's from the release basis, the gates and the environment's order.
  fileprivate static let parsed = ParsedRunbooks()

  /// Builds the model leniently: a key of the wrong shape reads as absent (the schema has
  /// already said what is wrong with it).
  init(document: StructuredValue) {
    self.document = document
    func strings(_ value: StructuredValue?) -> [String] {
      value?.items?.compactMap { item in item.scalar.flatMap { $0.kind == .null ? nil : $0.text } } ?? []
    }
    func string(_ value: StructuredValue?) -> String? {
      value?.scalar.flatMap { $0.kind == .null ? nil : $0.text }
    }
    func integer(_ value: StructuredValue?) -> Int? {
      value?.scalar.flatMap { $0.kind == .integer ? Int($0.text) : nil }
    }

    version = integer(document["version"])
    service = document["service"].flatMap { service in
      guard service.entries != nil else { return nil }
      return Service(
        name: string(service["name"]), scope: strings(service["scope"]),
        outOfScope: strings(service["out_of_scope"]),
        inputs: service["inputs"], outputs: service["outputs"],
        escalation: service["escalation"]?.items?.compactMap { item in
          guard let when = string(item["when"]), let to = string(item["to"]) else { return nil }
          return Escalation(when: when, to: to)
        } ?? [], client: string(service["client"]))
    }
    let reliability = document["reliability"]
    slo =
      reliability?["slo"]?.entries?.compactMap { entry in
        entry.value.scalar.flatMap { $0.number == nil ? nil : (entry.key, $0) }
      } ?? []
    fallback = reliability?["fallback"].flatMap { fallback in
      guard fallback.entries != nil else { return nil }
      return Fallback(
        strategy: string(fallback["strategy"]).flatMap(Fallback.Strategy.init(rawValue:)),
        response: string(fallback["response"]), queue: string(fallback["queue"]))
    }
    rollback = reliability?["rollback"].flatMap { rollback in
      guard rollback.entries != nil else { return nil }
      return RollbackPlan(
        owner: string(rollback["owner"]), target: string(rollback["target"]),
        triggers: strings(rollback["triggers"]),
        maxRecoveryMinutes: integer(rollback["max_recovery_minutes"]), steps: strings(rollback["steps"]))
    }
    governance = document["governance"].flatMap { governance in
      guard governance.entries != nil else { return nil }
      return Governance(
        checkpoints: governance["checkpoints"]?.items?.compactMap { item in
          guard let name = string(item["name"]), let role = string(item["role"]) else { return nil }
          return Checkpoint(
            name: name, role: role, approvals: integer(item["approvals"]) ?? 1, paths: strings(item["paths"]),
            environments: strings(item["environments"]))
        } ?? [],
        separationOfDuties: governance["separation_of_duties"]?.scalar?.bool ?? true,
        approvalTTLDays: integer(governance["approval_ttl_days"]),
        overrideRoles: strings(governance["override_roles"]),
        releaseRoles: strings(governance["release_roles"]),
        signedCommits: governance["signed_commits"]?.scalar?.bool ?? false)
    }
    environments =
      document["environments"]?.items?.compactMap { item in
        guard let name = string(item["name"]) else { return nil }
        return Environment(
          name: name, after: string(item["after"]), soakMinutes: integer(item["soak_minutes"]),
          releaseRoles: strings(item["release_roles"]))
      } ?? []
    incidents = strings(document["improvement"]?["incidents"])
    let improvement = document["improvement"]
    reviewCadence = string(improvement?["review_cadence"]).flatMap(ReviewCadence.init(rawValue:))
    reviewRoles =
      improvement?["review_roles"]?.items != nil ? strings(improvement?["review_roles"]) : ["service-manager"]
    metricsRoles =
      improvement?["metrics_roles"]?.items != nil ? strings(improvement?["metrics_roles"]) : reviewRoles
    var roles: [String: [String]] = [:]
    for entry in document["roles"]?.entries ?? [] {
      roles[entry.key] = strings(entry.value)
    }
    self.roles = roles
    let paths = document["paths"]
    self.paths = PathClassifier(
      prompts: paths?["prompts"]?.items != nil ? strings(paths?["prompts"]) : PathClassifier.defaultPrompts,
      policies: paths?["policies"]?.items != nil
        ? strings(paths?["policies"]) : PathClassifier.defaultPolicies)
  }
}

/// What ``Runbook/load(from:in:)`` parsed, by blob id; read and written under a lock. Emptied
/// when the process exits: a runbook holds indirect enums, whose pointers Swift may keep with
/// a case in their spare bits, where LeakSanitizer does not see them (scripts/lsan.supp), so
/// one kept to the end would read as a leak and hide a real one.
private final class ParsedRunbooks: Sendable {
  private let runbooks = Locked<[ObjectID: Runbook.Loaded]>([:])

  init() {
    atexit { Runbook.parsed.removeAll() }
  }

  subscript(id: ObjectID) -> Runbook.Loaded? {
    get { runbooks.withLock { $0[id] } }
    set { runbooks.withLock { $0[id] = newValue } }
  }

  func removeAll() { runbooks.withLock { $0.removeAll() } }
}
