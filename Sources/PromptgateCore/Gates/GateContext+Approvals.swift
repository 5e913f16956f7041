/// The gates that count approvals: checkpoints, and governance changes.
extension GateContext {
  /// Every path the change touches, before and after renames.
  var changedPaths: [String] {
    files.flatMap { file in [file.path] + (file.oldPath.map { [$0] } ?? []) }
  }

  func checkpointsOutcome() -> GateOutcome {
    guard let trusted else { return missingRunbook }
    let checkpoints = trusted.governance?.checkpoints ?? []
    guard !checkpoints.isEmpty else {
      return .notApplicable("the trusted runbook declares no checkpoints")
    }
    var problems: [Diagnostic] = []
    var notes: [Diagnostic] = []
    var applied = 0
    for checkpoint in checkpoints {
      let scope = checkpoint.scope(changedPaths: changedPaths, environment: environment)
      guard case .applies(let touched) = scope else {
        notes += checkpoint.note(for: scope, environment: environment).map { [Diagnostic(.note, $0)] } ?? []
        continue
      }
      applied += 1
      let tally = approvals.tally(for: checkpoint, release: release, environment: environment, rules: trusted)
      let needed = max(1, checkpoint.approvals)
      let summary =
        "\(checkpoint.name) needs \(needed) approval\(needed == 1 ? "" : "s") by \(checkpoint.role) "
        + "and has \(tally.valid) (\(touched.count) changed path\(touched.count == 1 ? "" : "s"), e.g. \(touched[0]))"
      let detail = tally.notes.isEmpty ? "" : ": " + tally.notes.joined(separator: "; ")
      if tally.valid >= needed {
        notes.append(Diagnostic(.note, summary))
      } else {
        problems.append(
          Diagnostic(
            .error, summary + detail,
            file: Runbook.path, at: location(ofCheckpoint: checkpoint.name)))
      }
    }
    if applied == 0 && problems.isEmpty {
      return GateOutcome(status: .notApplicable, diagnostics: notes)
    }
    return .judging(problems, notes: notes)
  }

  func governanceOutcome(checkpoint name: String) -> GateOutcome {
    guard let base else {
      return .notApplicable("a first release has no earlier governance to change")
    }
    var changes: [String] = []
    let governancePaths = changedPaths.filter { $0.hasPrefix(".promptgate/") }
    changes += governancePaths.map { "\($0) changed" }
    let before = baseRunbook?.document
    let after = runbook?.document
    for key in ["governance", "roles", "environments"] where before?[key] != after?[key] {
      changes.append("the runbook's `\(key)` changed")
    }
    guard !changes.isEmpty else {
      return .pass([
        Diagnostic(.note, "no change to governance, roles or .promptgate/ since \(base.id.short())")
      ])
    }
    // What `diff` marks as weakening governance, named so the approver knows what they sign.
    let weakenings = files.filter { GovernanceDiff.file($0.path) != nil }.flatMap { file in
      file.changes.compactMap { change in change.weakens.map { "\(file.path): \($0)" } }
    }
    if !weakenings.isEmpty {
      changes[changes.count - 1] += "; it weakens governance (" + weakenings.joined(separator: "; ") + ")"
    }
    guard let trusted, let checkpoint = trusted.governance?.checkpoints.first(where: { $0.name == name })
    else {
      return .fail([
        Diagnostic(
          .error,
          "\(changes.joined(separator: "; ")), and the base's runbook has no `\(name)` checkpoint to approve "
            + "governance changes; add one in a release of its own first, or release with --override",
          file: Runbook.path)
      ])
    }
    let tally = approvals.tally(for: checkpoint, release: release, environment: environment, rules: trusted)
    let needed = max(1, checkpoint.approvals)
    guard tally.valid >= needed else {
      let detail = tally.notes.isEmpty ? "" : " (" + tally.notes.joined(separator: "; ") + ")"
      return .fail([
        Diagnostic(
          .error,
          "\(changes.joined(separator: "; ")): governance changes need \(needed) `\(name)` approval"
            + "\(needed == 1 ? "" : "s") by \(checkpoint.role) under the base's rules, and have \(tally.valid)\(detail)",
          file: governancePaths.first ?? Runbook.path,
          at: governancePaths.isEmpty ? runbook?.location(of: "governance") : nil)
      ])
    }
    return .pass([Diagnostic(.note, "\(changes.joined(separator: "; ")); approved by \(name)")])
  }

  func incidentOutcome() -> GateOutcome {
    guard let environment else {
      return .notApplicable("rollbacks are per environment; check with --env to see if one needs an answer")
    }
    guard let rollback = pendingRollback else {
      return .notApplicable(
        "the last move of \(environment) was not a rollback, so no incident needs an answer")
    }
    guard let runbook else { return missingRunbook }
    // Named by the release: `Incident:` trailers of its commits, or its runbook's list.
    let trailers = IncidentTrailers.named(release: release, base: base, in: repository)
    let named = runbook.incidents + trailers.filter { !runbook.incidents.contains($0) }
    let how =
      "a trailer `Incident: <id>` on the released commit (or a commit since the base), or `improvement.incidents`"
    if let incident = rollback.incident {
      return named.contains(incident)
        ? .pass([
          Diagnostic(
            .note,
            "answers \(incident), the incident of rollback #\(rollback.sequence)"
              + (trailers.contains(incident) ? " (named by a commit trailer)" : ""))
        ])
        : .fail([
          problem(
            "\(environment) was rolled back by #\(rollback.sequence) for \(incident); this release must name it: \(how)",
            at: "improvement.incidents")
        ])
    }
    return named.isEmpty
      ? .fail([
        problem(
          "\(environment) was rolled back by #\(rollback.sequence) (\(rollback.reason ?? "no reason")); "
            + "this release must name the incident it answers: \(how)",
          at: "improvement.incidents")
      ])
      : .pass([
        Diagnostic(.note, "answers \(named.joined(separator: ", ")) after rollback #\(rollback.sequence)")
      ])
  }

  private func location(ofCheckpoint name: String) -> SourceLocation? {
    guard let runbook, let items = runbook.value(at: "governance.checkpoints")?.items else {
      return runbook?.location(of: "governance.checkpoints")
    }
    return items.first { $0["name"]?.scalar?.text == name }?.location
      ?? runbook.location(of: "governance.checkpoints")
  }
}
