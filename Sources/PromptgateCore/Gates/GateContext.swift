import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What every gate may look at: the release, its base, both runbooks and the change between.
struct GateContext {
  let repository: Repository
  let release: Commit
  let base: Commit?
  let environment: String?
  /// The release's own runbook: what the gates judge. Nil when the release has none.
  let judged: Runbook.Loaded?
  /// The base's runbook, when it has one.
  let baseRunbook: Runbook?
  /// The rules that judge: the base's runbook, or the release's own for a first release.
  let trusted: Runbook?
  /// Every file that changed from the base (all files, as added, when there is no base).
  let files: [FileChange]
  /// The texts of the changed prompts and policies the diff already read.
  let texts: BlobTexts
  let approvals: any ApprovalSource
  /// What the environment has had, when the release is judged for one (`--env`, `release`).
  let environmentState: EnvironmentState?
  /// What the environment this one comes `after` has had, when the trusted runbook says so.
  let predecessor: EnvironmentState?
  /// When the release is judged: now, or, for the audit, when it was recorded.
  let now: Date
  /// The evidence the ledger records for the release's content (the `evidence` gate).
  var evidence: LedgerEvidence? = nil

  /// The rollback the environment's last move was, if it was one.
  var pendingRollback: LedgerEvent? { environmentState?.pendingRollback }

  var runbook: Runbook? { judged?.runbook }

  func evaluate(_ kind: GateKind) -> GateOutcome {
    switch kind {
    case .runbookSchema: schemaOutcome()
    case .requiredKeys(let keys): requiredKeysOutcome(keys)
    case .slo(let required): sloOutcome(required)
    case .fallback: fallbackOutcome()
    case .rollbackPlan: rollbackOutcome()
    case .checkpoints: checkpointsOutcome()
    case .versionBump: versionBumpOutcome()
    case .secrets(let threshold, let length):
      secretsOutcome(entropyThreshold: threshold, minimumTokenLength: length)
    case .governanceChange(let checkpoint): governanceOutcome(checkpoint: checkpoint)
    case .incidentFollowUp: incidentOutcome()
    case .promotion: promotionOutcome()
    case .evidence: evidenceOutcome()
    }
  }

  /// A diagnostic at a runbook key (or its nearest written ancestor).
  func problem(_ message: String, at keyPath: String) -> Diagnostic {
    Diagnostic(.error, message, file: Runbook.path, at: runbook?.location(of: keyPath))
  }

  /// The "no runbook" outcome every runbook gate gives when there is nothing to judge.
  var missingRunbook: GateOutcome {
    .fail([
      Diagnostic(
        .error, "the release has no readable runbook.yaml; run `promptgate init` for a starter",
        file: Runbook.path)
    ])
  }

  /// Reads a blob as UTF-8 text; nil for binary content or a read failure.
  func text(of id: ObjectID?) -> String? {
    guard let id else { return nil }
    if let known = texts[id] { return known }
    guard let bytes = try? repository.blob(id), !FileChange.isBinary(bytes) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }
}
