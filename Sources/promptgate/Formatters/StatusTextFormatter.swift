import PromptgateCore

/// `status` as text: the ledger's state, then one block per environment.
struct StatusTextFormatter {
  let style: Style

  func format(_ status: StatusReport) -> String {
    var lines: [String] = []
    let ledger = status.ledger
    if let head = ledger.head {
      let verdict =
        ledger.verified
        ? style.green("verified") : style.red("NOT verified") + " (run promptgate audit verify)"
      lines.append(
        style.bold("ledger") + " \(ledger.reference): \(ledger.events) events, head \(head.prefix(7)), "
          + verdict)
      lines += ledger.problems.map { "  " + style.red("✗ ") + RepositoryText.safe($0) }
    } else {
      lines.append(style.bold("ledger") + " \(ledger.reference): no events yet")
    }
    lines += status.warnings.map { style.yellow("warning") + ": " + $0 }
    if let release = status.release, let evidence = EvidenceRecorder.line(status.evidence) {
      lines.append(
        RepositoryText.safe("evidence for \(release.revision) (\(release.commit.prefix(7))): \(evidence)"))
    }
    if let review = status.review {
      lines.append(
        "review     \(review.cadence.rawValue): "
          + (review.lastPeriod.map { "last held for \($0) (\(review.lastTime ?? ""))" } ?? "none held yet")
          + (review.nextPeriod.map { "; next: \($0), due by \(review.nextDue ?? "")" } ?? ""))
    }
    if status.environments.isEmpty {
      lines.append(
        ledger.head == nil
          ? "this clone has no ledger: a clone fetches branches and tags, not refs/promptgate/*; if the "
            + "repository has one, run promptgate sync --remote origin"
          : "no environment has a release yet; promptgate release <rev> --env <env>")
    }
    for environment in status.environments {
      lines.append("")
      lines.append(style.bold(environment.name))
      lines.append("  deployed   " + describe(environment.deployed, none: "nothing yet"))
      lines.append(
        "  last good  "
          + (environment.lastGood.map { "\($0.commit.prefix(7)) (#\($0.sequence ?? 0))" } ?? "none"))
      for bad in environment.bad {
        lines.append(style.dim("  bad        \(bad.commit.prefix(7)): \(RepositoryText.safe(bad.reason))"))
      }
      if let target = environment.rollbackTo {
        lines.append("  rollback   would go to \(target.commit.prefix(7)) (#\(target.sequence ?? 0))")
      }
      for promotion in environment.promotions {
        lines.append("  next       \(promotion)")
      }
      if let head = environment.head, let revision = status.release {
        lines += describe(head, revision: revision.revision, environment: environment.name)
      }
      lines.append("  mirror     \(RefName.environment(environment.name)) \(environment.mirror)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func describe(_ deployed: EnvironmentStatus.Deployed?, none: String) -> String {
    guard let deployed else { return none }
    if deployed.byRollback { return "\(deployed.commit.prefix(7)) (by a rollback)" }
    return
      "\(deployed.commit.prefix(7)) (#\(deployed.sequence ?? 0), \(deployed.time ?? ""), "
      + "\(RepositoryText.safe(deployed.actor ?? "")))"
  }

  private func describe(_ head: EnvironmentStatus.Head, revision: String, environment: String) -> [String] {
    let name =
      "  \(revision.count <= 10 ? revision.padded(to: 10) : revision) "
    let short = head.commit.prefix(7)
    if head.deployed { return [name + "\(short) is what is deployed"] }
    if let problem = head.problem { return [name + "\(short) \(problem)"] }
    if head.passes {
      return [
        name + "\(short): " + style.green("every checkpoint approved")
          + "; promptgate release \(revision) --env \(environment)"
      ]
    }
    var lines: [String] = []
    let open = head.openCheckpoints.count
    lines.append(
      name + "\(short): "
        + (open == 0 ? "no checkpoint open" : style.yellow("\(open) open checkpoint\(open == 1 ? "" : "s")"))
        + (head.otherFailures.isEmpty ? "" : "; also failing: \(head.otherFailures.joined(separator: ", "))"))
    lines += head.openCheckpoints.map { "               " + $0 }
    return lines
  }
}
