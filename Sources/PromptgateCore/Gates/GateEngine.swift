import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Runs every gate on a release (`promptgate check`). Reads, never writes.
///
/// Trust comes from the base (SPEC §3): which gates run, their parameters, the checkpoints and
/// the roles are the base's. The release's own runbook is only what the gates judge.
public enum GateEngine {
  /// Runs every gate with the approvals the ledger records for the release, judged by the
  /// basis's rules and keys: what `check`, `release`, `status` and `audit verify` all ask.
  /// `recordedBefore` limits the approvals to those recorded before that sequence number (the
  /// audit re-judging a release as it was decided); `now` is when it is judged. `predecessor`
  /// is the state of the environment this one comes `after`; nil reads it from the ledger.
  public static func check(
    _ release: Commit, basis: ReleaseBasis, environment: String?, strict: Bool = false, ledger: Ledger,
    environmentState: EnvironmentState?, predecessor: EnvironmentState?? = nil, now: Date = Date(),
    recordedBefore: Int? = nil, in repository: Repository
  ) throws(PromptgateError) -> CheckReport {
    var predecessor = predecessor
    if predecessor == nil {
      let after = try environment.flatMap { name throws(PromptgateError) in
        try Runbook.load(from: basis.rules, in: repository)?.runbook?.environment(name)?.after
      }
      predecessor = .some(
        try after.map { name throws(PromptgateError) in try EnvironmentState(name, ledger: ledger) })
    }
    let approvals = try LedgerApprovals(
      ledger: ledger, release: release, base: basis.base, trustedCommit: basis.rules,
      anchor: try RepositoryAnchor.id(ledger: ledger, release: release), now: now,
      recordedBefore: recordedBefore)
    let evidence = try LedgerEvidence(
      ledger: ledger, release: release, trustedCommit: basis.rules, anchor: approvals.anchor, now: now,
      recordedBefore: recordedBefore)
    return try check(
      release, basis: basis, environment: environment, strict: strict, approvals: approvals,
      environmentState: environmentState, predecessor: predecessor ?? nil, now: now, evidence: evidence,
      in: repository)
  }

  public static func check(
    _ release: Commit, basis: ReleaseBasis, environment: String? = nil, strict: Bool = false,
    approvals: any ApprovalSource = NoApprovalsRecorded(), environmentState: EnvironmentState? = nil,
    predecessor: EnvironmentState? = nil, now: Date = Date(), evidence: LedgerEvidence? = nil,
    in repository: Repository
  ) throws(PromptgateError) -> CheckReport {
    let base = basis.base
    let judged = try Runbook.load(from: release, in: repository)
    let baseRunbook = try base.flatMap { commit throws(PromptgateError) in
      try Runbook.load(from: commit, in: repository)
    }
    let rulesCommit = basis.rules
    let trusted = basis.judgesItself ? judged?.runbook : baseRunbook?.runbook
    var notes = [basis.note]
    if let governance = trusted?.governance, governance.separationOfDuties, !governance.signedCommits {
      notes.append(
        "separation of duties rests on git authorship (author and committer e-mail), which anyone can set; "
          + "`governance.signed_commits: true` makes it rest on SSH commit signatures")
    }
    let pack = try GatePack.load(from: rulesCommit, in: repository)
    let diff = try ReleaseDiff.between(
      base, release, in: repository, classifier: trusted?.paths ?? PathClassifier(), keepingTexts: true,
      depth: .meaningWithoutSections)
    let context = GateContext(
      repository: repository, release: release, base: base, environment: environment, judged: judged,
      baseRunbook: baseRunbook?.runbook, trusted: trusted, files: diff.files, texts: diff.texts,
      approvals: approvals,
      environmentState: environmentState, predecessor: predecessor, now: now, evidence: evidence)

    var results: [GateResult] = []
    if !pack.diagnostics.isEmpty {
      results.append(
        GateResult(
          id: "gate-files", kind: "gate-files", layer: .governance, severity: .error,
          summary: "Every gate file of the pack and of .promptgate/gates parses",
          source: GatePack.repositoryFolder,
          status: .fail, diagnostics: pack.diagnostics))
    }
    for gate in pack.gates {
      let outcome = context.evaluate(gate.kind)
      results.append(
        GateResult(
          id: gate.id, kind: gate.kind.name, layer: gate.layer, severity: gate.severity,
          summary: gate.summary, source: gate.source,
          status: outcome.status,
          diagnostics: outcome.diagnostics.map { $0.withSeverity(gate.severity, outcome.status) }))
    }
    return CheckReport(
      release: ReleaseDiff.Point(commit: release.id.hex, tree: release.tree.hex),
      base: base.map { ReleaseDiff.Point(commit: $0.id.hex, tree: $0.tree.hex) },
      rulesFrom: basis.judgesItself ? "release" : "base", environment: environment,
      strict: strict,
      gates: results, notes: notes)
  }
}

/// What one gate found.
struct GateOutcome {
  var status: GateResult.Status
  var diagnostics: [Diagnostic]

  static func pass(_ notes: [Diagnostic] = []) -> GateOutcome {
    GateOutcome(status: .pass, diagnostics: notes)
  }
  static func fail(_ problems: [Diagnostic]) -> GateOutcome {
    GateOutcome(status: .fail, diagnostics: problems)
  }
  static func notApplicable(_ why: String) -> GateOutcome {
    GateOutcome(status: .notApplicable, diagnostics: [Diagnostic(.note, why)])
  }

  /// Fails with `problems`, or passes with `notes` when there are none.
  static func judging(_ problems: [Diagnostic], notes: [Diagnostic] = []) -> GateOutcome {
    problems.isEmpty ? .pass(notes) : .fail(problems + notes)
  }
}

extension Diagnostic {
  /// A failing gate's errors take the gate's severity, so a warning gate reports warnings.
  func withSeverity(_ severity: GateDefinition.Severity, _ status: GateResult.Status) -> Diagnostic {
    guard self.severity == .error, status == .fail, severity == .warning else { return self }
    return Diagnostic(.warning, message, file: file, at: location)
  }
}
