import Foundation
import PromptgateCore

/// The secrets gate's precision and recall on a labelled corpus (issue 14): real public prompts
/// and policies that hold no secret, where every finding is a false alarm, and fakes of every
/// rule's format, each of which must be found by its own rule.
///
/// Layout, under `Tests/PromptgateCoreTests/Fixtures/secrets/`: `clean/` (any files, any depth)
/// and `fakes.tsv` (`rule<TAB>a line holding a fake`, `#` comments; `\n` a line break).
public struct SecretsCorpus {
  public struct Score {
    public var cleanFiles = 0
    public var cleanBytes = 0
    /// Findings on clean material, each a false positive, as `file:line rule`.
    public var falseAlarms: [String] = []
    public var fakes = 0
    /// Fakes found by the rule they were written for.
    public var found = 0
    /// Fakes missed, or found only by another rule, as `rule: line`.
    public var missed: [String] = []

    public var precision: Double {
      let positives = found + falseAlarms.count
      return positives == 0 ? 1 : Double(found) / Double(positives)
    }
    public var recall: Double { fakes == 0 ? 1 : Double(found) / Double(fakes) }
  }

  public let folder: URL

  public init(folder: URL) { self.folder = folder }

  /// The corpus the tests and `make bench` score: beside the core tests' fixtures.
  public static func bundled(package root: URL) -> SecretsCorpus {
    SecretsCorpus(folder: root.appendingPathComponent("Tests/PromptgateCoreTests/Fixtures/secrets"))
  }

  public func score(scanner: SecretScanner = SecretScanner()) throws -> Score {
    var score = Score()
    let clean = folder.appendingPathComponent("clean")
    let walker = FileManager.default.enumerator(at: clean, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = walker?.nextObject() as? URL {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
        let text = try? String(contentsOf: url, encoding: .utf8)
      else { continue }
      score.cleanFiles += 1
      score.cleanBytes += text.utf8.count
      let name = url.path.dropFirst(clean.path.count + 1)
      for finding in scanner.scan(text) {
        score.falseAlarms.append("\(name):\(finding.line) \(finding.rule) \(finding.redacted)")
      }
    }
    let fakes = try String(contentsOf: folder.appendingPathComponent("fakes.tsv"), encoding: .utf8)
    for line in fakes.split(separator: "\n") where !line.hasPrefix("#") {
      guard let tab = line.firstIndex(of: "\t") else { continue }
      let rule = String(line[..<tab])
      let text = Self.unescape(line[line.index(after: tab)...])
      score.fakes += 1
      if scanner.scan(text).contains(where: { $0.rule == rule }) {
        score.found += 1
      } else {
        score.missed.append("\(rule): \(line[line.index(after: tab)...])")
      }
    }
    return score
  }

  /// `\n` is a line break, `\\` a backslash (a JSON string's `\\n` stays two characters).
  static func unescape(_ field: Substring) -> String {
    var text = ""
    var escaped = false
    for character in field {
      if escaped {
        text.append(character == "n" ? "\n" : character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else {
        text.append(character)
      }
    }
    return text
  }
}
