/// How much of each changed file a diff reads beyond the tree diff and its line counts.
public enum ReadingDepth: Sendable {
  /// Everything `diff` shows: fields, keys, governance, template variables and prose sections.
  case meaning
  /// The same but prose prompts are not compared by Markdown section: no gate reads those, so
  /// `check` does not pay for them.
  case meaningWithoutSections
  /// Line counts only (`diff --stat`, which prints nothing else): a 1 MiB prompt's meaning is
  /// most of its diff's time.
  case lines
}
