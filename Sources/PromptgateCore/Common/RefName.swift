/// Every reference promptgate reads or writes, each named once here (SPEC §3). They live
/// under `refs/promptgate/`, which `git clone` does not fetch: `promptgate sync` does.
public enum RefName {
  /// The tamper-evident ledger: a chain of commits, one event each.
  public static let ledger = "refs/promptgate/ledger"

  /// The ref that mirrors what `environment` runs, for deploy tooling.
  public static func environment(_ environment: String) -> String {
    "refs/promptgate/environments/\(environment)"
  }

  /// Where a clone keeps what it fetched from the remote `name` (`origin`, or `url-<hash>`
  /// for a remote given by URL or path).
  public static func tracking(_ name: String) -> String { "refs/promptgate/remotes/\(name)/" }

  /// Every remote's last-fetched ledger, as a glob.
  public static let everyTrackedLedger = "refs/promptgate/remotes/*/ledger"
}
