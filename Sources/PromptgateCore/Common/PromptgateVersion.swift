/// The version of promptgate, as `--version` prints it and release events record it: the audit
/// tells a verdict that changed with promptgate from a forged one (SPEC §7).
public enum PromptgateVersion {
  public static let current = "0.2.0"
}
