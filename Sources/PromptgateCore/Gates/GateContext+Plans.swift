import Git

/// The gates that check the release can degrade and be rolled back: fallback and rollback plans.
extension GateContext {
  func fallbackOutcome() -> GateOutcome {
    guard let runbook else { return missingRunbook }
    guard let fallback = runbook.fallback else {
      return .fail([
        problem(
          "no fallback plan: add `reliability.fallback.strategy` (previous-release, static-response or human-handoff)",
          at: "reliability.fallback")
      ])
    }
    switch fallback.strategy {
    case nil:
      return .fail([problem("the fallback has no valid `strategy`", at: "reliability.fallback.strategy")])
    case .staticResponse:
      guard let response = fallback.response, !response.isEmpty else {
        return .fail([
          problem(
            "a static-response fallback needs `response`: the file with the answer to serve",
            at: "reliability.fallback.response")
        ])
      }
      let entry = try? repository.entry(at: response, inTree: release.tree)
      guard let entry, entry.mode.isBlob, entry.mode != .link else {
        return .fail([
          problem(
            "the fallback response `\(response)` is not a file in this release; commit it or fix the path",
            at: "reliability.fallback.response")
        ])
      }
      return .pass()
    case .humanHandoff:
      guard let queue = fallback.queue, !queue.trimmingWhitespace.isEmpty else {
        return .fail([
          problem(
            "a human-handoff fallback needs `queue`: where requests go", at: "reliability.fallback.queue")
        ])
      }
      return .pass()
    case .previousRelease:
      return previousReleaseOutcome()
    }
  }

  /// A previous-release fallback needs something good to fall back to: in an environment, its
  /// last good release other than this one (SPEC §3); judged against a bare base, that base.
  private func previousReleaseOutcome() -> GateOutcome {
    let at = "reliability.fallback.strategy"
    if let state = environmentState {
      guard let good = state.deployments.last(where: { $0.bad == nil && $0.release.commit != release.id.hex })
      else {
        return .fail([
          problem(
            "a previous-release fallback needs a good earlier release in \(state.name), and it has none; use "
              + "static-response or human-handoff until one is released there", at: at)
        ])
      }
      return .pass([
        Diagnostic(
          .note, "falls back to \(good.release.commit.prefix(7)), the last good release in \(state.name)")
      ])
    }
    guard let base else {
      return .fail([
        problem(
          "a previous-release fallback needs an earlier release, and this one has none; use static-response "
            + "or human-handoff for a first release", at: at)
      ])
    }
    return .pass([Diagnostic(.note, "falls back to \(base.id.short())")])
  }

  func rollbackOutcome() -> GateOutcome {
    guard let runbook else { return missingRunbook }
    guard let plan = runbook.rollback else {
      return .fail([
        problem(
          "no rollback plan: add `reliability.rollback` with owner, triggers, steps and max_recovery_minutes",
          at: "reliability.rollback")
      ])
    }
    var problems: [Diagnostic] = []
    let at = "reliability.rollback"
    if let owner = plan.owner {
      // Who holds a role is trusted only from the base.
      if (trusted?.roles[owner] ?? []).isEmpty {
        problems.append(
          problem(
            "the rollback owner role `\(owner)` is held by nobody in `roles`; assign someone",
            at: "\(at).owner"))
      }
    } else {
      problems.append(problem("the rollback plan names no `owner` role", at: "\(at).owner"))
    }
    if plan.triggers.isEmpty {
      problems.append(
        problem("the rollback plan has no `triggers`: say when to roll back", at: "\(at).triggers"))
    }
    if plan.steps.isEmpty {
      problems.append(problem("the rollback plan has no `steps`", at: "\(at).steps"))
    }
    if let minutes = plan.maxRecoveryMinutes {
      if minutes <= 0 {
        problems.append(
          problem("`max_recovery_minutes` must be more than 0", at: "\(at).max_recovery_minutes"))
      }
    } else {
      problems.append(
        problem("the rollback plan has no `max_recovery_minutes`", at: "\(at).max_recovery_minutes"))
    }
    switch plan.target {
    case nil, "last-good":
      break
    case let target?:
      if (try? repository.resolveCommit(target)) == nil {
        problems.append(
          problem(
            "the rollback target `\(target)` is not a commit in this repository; use `last-good` or a release id",
            at: "\(at).target"))
      }
    }
    return .judging(problems)
  }
}
