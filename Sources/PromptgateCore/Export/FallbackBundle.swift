import Git

/// What an export adds under `fallback/`, so the service has something to fall back on when the
/// release misbehaves — the runbook's `reliability.fallback.strategy`, resolved to content.
public enum FallbackBundle: Sendable, Hashable {
  /// The files of that release (the last good one) under `fallback/`, under the same safety rules.
  case previousRelease(Commit)
  /// The file at `path` in the exported release, copied to `fallback/static-response`.
  case staticResponse(path: String)
  /// `fallback/handoff.json`, `{"queue": ...}`: where requests go while a human takes over.
  case humanHandoff(queue: String)

  /// The runbook's name for this strategy, as the lock records it.
  var strategy: Runbook.Fallback.Strategy {
    switch self {
    case .previousRelease: .previousRelease
    case .staticResponse: .staticResponse
    case .humanHandoff: .humanHandoff
    }
  }

  /// The folder of the export this bundle writes into.
  static let folder = "fallback"
}
