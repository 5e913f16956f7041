import Foundation
import PromptgateCore
import TestSupport
import Testing

/// The secrets gate measured on its labelled corpus (Fixtures/secrets/README.md): real public
/// prompts and policies give no finding, and a fake of every rule's format is found by that rule.
@Suite struct SecretsCorpusTests {
  let corpus = SecretsCorpus(
    folder: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Fixtures/secrets"))

  @Test func realPromptsAndPoliciesGiveNoFindingAndEveryFakeIsFound() throws {
    let score = try corpus.score()
    #expect(score.cleanFiles > 200, "the clean corpus is missing")
    #expect(score.falseAlarms == [])
    #expect(score.missed == [])
    #expect(score.precision == 1 && score.recall == 1)
  }

  @Test func everyRuleHasAFake() throws {
    let fakes = try String(contentsOf: corpus.folder.appendingPathComponent("fakes.tsv"), encoding: .utf8)
    let covered = Set(
      fakes.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
        $0.split(separator: "\t").first.map(String.init)
      })
    #expect(Set(SecretRule.all.map(\.id)).subtracting(covered) == [])
  }

  /// The score can fail: a scanner tuned to flag everything random scores false alarms here.
  @Test func anEagerScannerIsCaughtByTheCleanCorpus() throws {
    let eager = SecretScanner(options: .init(entropyThreshold: 3.0, minimumTokenLength: 12))
    #expect(try corpus.score(scanner: eager).falseAlarms.count > 0)
  }
}
