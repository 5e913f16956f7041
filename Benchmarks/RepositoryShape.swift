/// The size of a generated repository. Both repositories share everything but the number of
/// prompts, so that a difference in cost between them is the cost of the repository's size.
struct RepositoryShape: Sendable {
  let name: String
  let promptCount: Int
  /// Commits after the initial one, the 100-commit block aside.
  let randomCommits: Int

  static let large = RepositoryShape(name: "large", promptCount: 20_000, randomCommits: 5_000)
  static let small = RepositoryShape(name: "small", promptCount: 2_000, randomCommits: 5_000)

  /// Prompts sit in `prompts/team-NNN/area-N/`, ten to a folder and ten areas to a team, in
  /// both repositories: the large one has more teams, not fuller folders. A changed file then
  /// costs git the same tree reads in either, so a cost that grows with the repository is the
  /// tool's doing, not the data's.
  static let promptsPerArea = 10
  static let areasPerTeam = 10
  var teams: Int { promptCount / (Self.promptsPerArea * Self.areasPerTeam) }
  /// The block of commits that each modify one distinct prompt, so that two of its ends are
  /// exactly 100 files apart in either repository.
  static let blockLength = 100

  /// Where the block starts: in the middle of history, with as many commits before as after.
  var blockStart: Int { randomCommits / 2 }
  var totalCommits: Int { 1 + randomCommits + Self.blockLength }
}

/// The tags every generated repository carries, naming the commits the benchmark diffs.
enum BenchTag {
  /// The initial commit.
  static let first = "bench-first"
  /// The commit before the 100-commit block.
  static let blockBase = "bench-block-base"
  /// The block's first commit: one file after `blockBase`.
  static let blockOne = "bench-block-one"
  /// The block's last commit: 100 files after `blockBase`.
  static let blockHead = "bench-block-head"
  /// The last commit of history.
  static let last = "bench-last"

  static let all = [first, blockBase, blockOne, blockHead, last]
}
