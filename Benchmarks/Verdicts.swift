import Foundation

/// Under the table: whether the cost grows with the change, not with the repository, and each
/// 100-file case against git's floor for reading the files. The goals themselves: ``Goals``.
enum Verdicts {
  static func lines(for results: [CaseResult]) -> [String] {
    var lines: [String] = []
    let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.benchmark.name, $0) })
    for (files, label) in [("1 file", "1-file"), ("100 files", "100-file")] {
      guard let small = byName["\(files), 2k repo"], let large = byName["\(files), 20k repo"] else {
        continue
      }
      let promptgate = large.promptgate.medianMilliseconds / small.promptgate.medianMilliseconds
      let git = large.git.medianMilliseconds / small.git.medianMilliseconds
      let extra = large.promptgate.medianMilliseconds - small.promptgate.medianMilliseconds
      // 1.00× would be a cost independent of the repository's size, as SPEC §8 asks.
      lines.append(
        "\(label) diff, 20k repo vs 2k repo: "
          + String(format: "promptgate %.2f× (%+.1f ms), git %.2f×", promptgate, extra, git))
    }
    // The floor: git's own cost of reading and counting the changed files, which diff (line
    // counts, semantic changes) and check (versions, secrets) must read too.
    for result in results where result.benchmark.countsFiles || result.benchmark.name.hasPrefix("check") {
      guard let numstat = result.gitNumstat, result.benchmark.name.contains("100 files") else { continue }
      let floor = numstat.medianMilliseconds / max(result.git.medianMilliseconds, 0.001)
      lines.append(
        "\(result.benchmark.name): git --numstat is "
          + String(
            format: "%.2f× --name-status (the floor for reading the files); promptgate is %.2f× --numstat",
            floor, result.promptgate.medianMilliseconds / max(numstat.medianMilliseconds, 0.001)))
    }
    let floor = results.map { max($0.promptgate.rssFloorBytes, $0.git.rssFloorBytes) }.max() ?? 0
    if floor > 0 {
      lines.append(
        String(
          format:
            "RSS: peak of each program over its runs; \"≤\" marks one at this benchmark's own %.1f MiB, ",
          Double(floor) / 1_048_576)
          + "which Linux charges to every child it spawns, so the real peak is lower.")
    }
    return lines
  }
}
