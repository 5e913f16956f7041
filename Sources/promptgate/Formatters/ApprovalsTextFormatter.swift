import PromptgateCore

/// `approvals` for a person: each checkpoint, its count, and every decision with its verdict.
struct ApprovalsTextFormatter {
  let style: Style

  func format(_ report: ApprovalReport) -> String {
    var out = style.bold("approvals of \(report.release.commit.prefix(7)) in \(report.environment)")
    out += style.dim(" (content \(report.release.tree.prefix(7)))")
    if let base = report.base, report.rulesFrom == "base" {
      out += ", judged by the base \(base.commit.prefix(7))"
    }
    out += "\n"
    for note in report.notes {
      out += style.dim(RepositoryText.safe(note)) + "\n"
    }
    for checkpoint in report.checkpoints {
      out += "\n"
      let heading = "\(checkpoint.name) (\(checkpoint.role), needs \(checkpoint.needed))"
      if !checkpoint.applies {
        // The note names the checkpoint for lists without a heading (check); here the heading does.
        let note = checkpoint.note.map {
          $0.hasPrefix("\(checkpoint.name): ") ? String($0.dropFirst(checkpoint.name.count + 2)) : $0
        }
        out += style.dim("– \(heading): \(note ?? "does not apply")") + "\n"
      } else if checkpoint.approved {
        out += style.green("✓ ") + style.bold(heading) + ": \(checkpoint.valid) valid, approved\n"
      } else {
        out += style.red("✗ ") + style.bold(heading) + ": \(checkpoint.valid) valid, open\n"
      }
      if checkpoint.verdicts.isEmpty && checkpoint.applies {
        out += style.dim("    no approval recorded") + "\n"
      }
      for verdict in checkpoint.verdicts {
        let mark = verdict.counts ? style.green("counts") : style.red("does not count")
        out +=
          "    #\(verdict.sequence) \(RepositoryText.safe(verdict.principal)) \(verdict.decision.rawValue)s at "
          + "\(RepositoryText.safe(verdict.signedAt)): \(mark)"
        if let reason = verdict.reason { out += ": \(RepositoryText.safe(reason))" }
        if !verdict.comment.isEmpty { out += style.dim(" (\(RepositoryText.safe(verdict.comment)))") }
        out += "\n"
      }
    }
    out += "\n" + (report.approved ? style.green("approved") : style.red("not approved")) + "\n"
    return out
  }
}
