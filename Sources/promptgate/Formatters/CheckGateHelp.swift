import PromptgateCore

/// What each kind of gate checks and how to make it pass, for the CI formats that show a
/// rule's description and help beside its alerts (SARIF's `fullDescription` and `help`). The
/// words follow gates/README.md, which a reader of a gate file sees.
enum CheckGateHelp {
  struct Text {
    let checks: String
    let fix: String
  }

  static func text(forKind kind: String) -> Text {
    switch kind {
    case "runbook-schema":
      Text(
        checks:
          "runbook.yaml exists, parses, uses only known keys of the right types and declares `version: 1`.",
        fix: "Fix the key or value the diagnostic names; an unknown key comes with a \"did you mean\".")
    case "required-keys":
      Text(
        checks: "Each runbook key the gate lists is declared and not empty.",
        fix: "Declare the missing key in runbook.yaml.")
    case "slo":
      Text(
        checks: "`reliability.slo` declares targets, each one the gate lists as a number.",
        fix: "Add the target under `reliability.slo` in runbook.yaml, as a number.")
    case "fallback":
      Text(
        checks:
          "`reliability.fallback` declares a strategy that can be carried out: `static-response` names a file "
          + "(`response`) that exists in the release, `human-handoff` names a `queue`, `previous-release` needs "
          + "an earlier release.",
        fix: "Declare `reliability.fallback.strategy` with what that strategy needs.")
    case "rollback-plan":
      Text(
        checks:
          "`reliability.rollback` names an `owner` role someone holds, `triggers`, `steps`, a positive "
          + "`max_recovery_minutes` and a `target` (`last-good` or a commit).",
        fix: "Complete `reliability.rollback` in runbook.yaml.")
    case "checkpoints":
      Text(
        checks:
          "Every checkpoint of the base's runbook that applies to the change has its approvals, signed by "
          + "holders of its role.",
        fix: "Have a holder of the role run `promptgate approve <release> --checkpoint <name>`.")
    case "version-bump":
      Text(
        checks: "Every changed prompt with front matter declares a semantic `version` above the base's.",
        fix: "Raise `version` in the prompt's front matter.")
    case "secrets":
      Text(
        checks:
          "No private keys, API keys, tokens or high-entropy strings in added or changed prompts and "
          + "policies; the secret itself is never printed.",
        fix: "Remove the secret, rotate it, and load it from the environment at run time.")
    case "governance-change":
      Text(
        checks:
          "When governance, roles, environments or anything under .promptgate/ changes, the gate's "
          + "checkpoint of the base's runbook is approved.",
        fix: "Have a holder of the checkpoint's role approve the release.")
    case "incident-follow-up":
      Text(
        checks:
          "After a rollback, the next release names the incident it answers in `improvement.incidents`.",
        fix: "Add the incident to `improvement.incidents` in runbook.yaml.")
    case "promotion":
      Text(
        checks:
          "An environment declared `after:` another takes a release only once the same content has soaked "
          + "there and was not rolled back or marked bad.",
        fix: "Release it to the earlier environment first and let it soak.")
    case "gate-files":
      Text(
        checks: "The repository's own gate files parse and only add or tighten gates.",
        fix: "Fix the gate file the diagnostic names.")
    default:
      Text(checks: "A gate of kind `\(kind)`.", fix: "Read the diagnostic: it names the file and the fix.")
    }
  }
}
