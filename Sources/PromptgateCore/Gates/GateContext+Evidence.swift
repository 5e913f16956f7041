#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The `evidence` gate: the evaluation and test results the trusted runbook's
/// `reliability.evidence` requires, recorded for exactly this release's content.
extension GateContext {
  func evidenceOutcome() -> GateOutcome {
    guard let trusted else { return missingRunbook }
    let requirements = trusted.evidenceRequirements
    guard !requirements.isEmpty else {
      return .notApplicable("the trusted runbook requires no evidence (reliability.evidence)")
    }
    let verdicts: [EvidenceVerdict]
    do {
      verdicts = try evidence?.verdicts(rules: trusted) ?? []
    } catch {
      return .fail([Diagnostic(.error, "the ledger cannot be read for evidence: \(error.message)")])
    }
    var problems: [Diagnostic] = []
    var notes: [Diagnostic] = []
    var applied = 0
    let changed = changedPaths
    let commit = release.id.short()
    for requirement in requirements {
      guard requirement.minimumPassRate >= 0, requirement.minimumPassRate <= 1 else {
        problems.append(
          Diagnostic(
            .error,
            "the evidence requirement `\(requirement.kind)` has min_pass_rate \(requirement.minimumPassRate); "
              + "it is a share between 0 and 1 (0.95 for 95%)", file: Runbook.path, at: requirement.location))
        continue
      }
      if !requirement.environments.isEmpty {
        guard let environment else {
          notes.append(
            Diagnostic(
              .note,
              "\(requirement.kind) evidence is required in \(requirement.environments.joined(separator: ", ")); "
                + "check with --env to judge it"))
          continue
        }
        guard requirement.environments.contains(environment) else {
          notes.append(
            Diagnostic(.note, "\(requirement.kind) evidence is not required in \(environment)"))
          continue
        }
      }
      if !requirement.paths.isEmpty {
        let globs = requirement.paths.map(Glob.init)
        guard changed.contains(where: { path in globs.contains { $0.matches(path) } }) else {
          notes.append(
            Diagnostic(
              .note,
              "\(requirement.kind) evidence is not required: nothing under "
                + "\(requirement.paths.joined(separator: ", ")) changed"))
          continue
        }
      }
      applied += 1
      let judged = judge(requirement, verdicts: verdicts.filter { $0.statement.evidence == requirement.kind })
      switch judged {
      case .success(let note): notes.append(Diagnostic(.note, note))
      case .failure(let problem):
        problems.append(
          Diagnostic(
            .error, problem.message + "; record it with: \(requirement.recordCommand(for: commit))",
            file: Runbook.path, at: requirement.location))
      }
    }
    if applied == 0 && problems.isEmpty { return GateOutcome(status: .notApplicable, diagnostics: notes) }
    return .judging(problems, notes: notes)
  }

  private struct Missing: Error {
    let message: String
  }

  /// The newest evidence of the kind that counts decides: a later run on the same content
  /// replaces an earlier one, so a failing re-run is never hidden behind an older pass.
  private func judge(_ requirement: EvidenceRequirement, verdicts: [EvidenceVerdict]) -> Result<
    String, Missing
  > {
    let required = EvidenceSummary.percent(requirement.minimumPassRate)
    var refused: [String] = []
    var newest: EvidenceVerdict?
    for verdict in verdicts {
      if let refusal = verdict.refusal {
        refused.append("#\(verdict.sequence) by \(verdict.statement.principal) does not count: \(refusal)")
        continue
      }
      if let days = requirement.maximumAgeDays, let recorded = Timestamp.date(verdict.time),
        recorded.addingTimeInterval(Double(days) * 86_400) < now
      {
        refused.append(
          "#\(verdict.sequence) by \(verdict.statement.principal) does not count: recorded \(verdict.time), "
            + "older than max_age_days (\(days))")
        continue
      }
      newest = verdict
    }
    let why = refused.isEmpty ? "" : " (" + refused.joined(separator: "; ") + ")"
    guard let newest else {
      return .failure(
        Missing(
          message: "no \(requirement.kind) evidence counts for this release's content "
            + "\(release.tree.short())\(why); an edit after the evaluation voids it"))
    }
    let summary = newest.statement.summary
    let from = "\(newest.statement.fileName) (sha256 \(newest.statement.fileSHA256.prefix(12)))"
    guard let rate = summary.passRate, rate >= requirement.minimumPassRate else {
      return .failure(
        Missing(
          message: "\(requirement.kind) evidence #\(newest.sequence) by \(newest.statement.principal) passed "
            + "\(summary.described), below the required \(required), from \(from)\(why); fix and run it again"
        ))
    }
    return .success(
      "\(requirement.kind): #\(newest.sequence) by \(newest.statement.principal), \(summary.described), at least "
        + "\(required), from \(from)")
  }
}
