#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The promotion gate (SPEC §3): an environment declared `after: staging` takes a release only
/// once the same content has been deployed in staging for `soak_minutes` and not rolled back or
/// marked bad there. The order comes from the trusted runbook, never the release's own.
extension GateContext {
  func promotionOutcome() -> GateOutcome {
    guard let environment else {
      return .notApplicable("promotion order is per environment; check with --env to see it")
    }
    guard let trusted, !trusted.environments.isEmpty else {
      return .notApplicable("the trusted runbook declares no environments, so there is no promotion order")
    }
    guard let declared = trusted.environment(environment) else {
      return .fail([problem("`\(environment)` is not declared in `environments:`", at: "environments")])
    }
    guard let after = declared.after else {
      return .notApplicable("\(environment) comes after no other environment")
    }
    let soak = declared.soakMinutes ?? 0
    let content = release.tree.hex
    let here = predecessor?.deployments.filter { $0.release.tree == content } ?? []
    let fix = "release it to \(after) first (promptgate release \(release.id.short()) --env \(after))"
    guard !here.isEmpty else {
      return .fail([Diagnostic(.error, "\(release.id.short()) was never deployed in \(after); \(fix)")])
    }
    let good = here.filter { $0.bad == nil }
    guard let first = good.first, let since = Timestamp.date(first.time) else {
      let why = here.compactMap(\.bad).first ?? "bad"
      return .fail([
        Diagnostic(.error, "its content was \(why) in \(after), so it may not come to \(environment)")
      ])
    }
    let ready = since.addingTimeInterval(Double(soak) * 60)
    guard ready <= now else {
      return .fail([
        Diagnostic(
          .error,
          "it has been in \(after) since \(first.time), less than the \(soak) minutes it must soak there; it may "
            + "come to \(environment) from \(Ledger.timestamp(ready))")
      ])
    }
    return .pass([
      Diagnostic(
        .note, "deployed in \(after) since \(first.time) (#\(first.sequence)), soaked \(soak) minutes")
    ])
  }
}
