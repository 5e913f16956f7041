// TEMPORARY ORACLE: the Yams-based reader that StructuredDocument used before YAMLReader, kept
// word for word so YAMLReaderTests can check the new reader against it. Delete this file, and
// Yams from Package.swift, once YAMLReader has shipped for a while.
import Foundation
import Yams

@testable import PromptgateCore

/// The old `StructuredDocument.parse`: Yams composes the document, `convert` walks its nodes.
enum YamsOracle {
  /// The constructor Yams hands every node. Documents are only composed, never constructed into
  /// Swift values, so it needs no maps. Immutable, so shared.
  nonisolated(unsafe) private static let composingOnly = Constructor([:], [:], [:])

  static func parse(_ text: String, limits: StructuredDocument.Limits = .init()) throws(DocumentError)
    -> StructuredValue?
  {
    guard text.utf8.count <= limits.maxBytes else {
      throw DocumentError(
        message: "is \(text.utf8.count / 1024) KiB; promptgate reads documents up to "
          + "\(limits.maxBytes / 1024) KiB", location: nil)
    }
    let parse = { () -> Result<StructuredValue?, DocumentError> in
      do {
        guard let node = try Yams.compose(yaml: text, .basic, composingOnly, .utf8) else {
          return .success(nil)
        }
        var budget = limits.maxNodes
        return .success(try convert(node, depth: 0, limits: limits, budget: &budget))
      } catch let error as DocumentError {
        return .failure(error)
      } catch let error as YamlError {
        return .failure(DocumentError(error))
      } catch {
        return .failure(DocumentError(message: "cannot be parsed: \(error)", location: nil))
      }
    }
    let result = mayNestDeeply(text) ? onLargeStack(parse) : parse()
    return try result.get()
  }

  private static func convert(
    _ node: Node, depth: Int, limits: StructuredDocument.Limits, budget: inout Int
  ) throws(DocumentError) -> StructuredValue {
    let location = SourceLocation(node.mark)
    budget -= 1
    guard budget >= 0 else {
      throw DocumentError(
        message: "expands to more than \(limits.maxNodes) values (aliases repeated too often?)",
        location: location)
    }
    guard depth <= limits.maxDepth else {
      throw DocumentError(message: "nests deeper than \(limits.maxDepth) levels", location: location)
    }
    switch node {
    case .scalar(let scalar):
      let value =
        scalar.style == .plain || scalar.style == .any
        ? Scalar(plain: scalar.string) : Scalar(text: scalar.string, kind: .string)
      return StructuredValue(.scalar(value), at: location)
    case .sequence(let sequence):
      var items: [StructuredValue] = []
      for item in sequence {
        items.append(try convert(item, depth: depth + 1, limits: limits, budget: &budget))
      }
      return StructuredValue(.list(items), at: location)
    case .mapping(let mapping):
      var entries: [StructuredValue.Entry] = []
      for (key, value) in mapping {
        guard let name = key.scalar?.string else {
          throw DocumentError(
            message: "has a key that is not a plain value; use a string key",
            location: SourceLocation(key.mark))
        }
        entries.append(
          StructuredValue.Entry(
            key: name, keyLocation: SourceLocation(key.mark),
            value: try convert(value, depth: depth + 1, limits: limits, budget: &budget)))
      }
      return StructuredValue(.map(entries), at: location)
    case .alias:
      throw DocumentError(message: "has an unresolved alias", location: location)
    }
  }
}

extension DocumentError {
  fileprivate init(_ error: YamlError) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
      if problem.contains("Maximum nesting level") {
        self.init(message: "nests deeper than libyaml's limit of 1000 levels", location: SourceLocation(mark))
      } else {
        self.init(message: "is not valid YAML: \(detail)", location: SourceLocation(mark))
      }
    case .duplicatedKeysInMapping(let duplicates, let context):
      self.init(
        message: "repeats the key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")); "
          + "keep one",
        location: SourceLocation(context.mark))
    case .reader(let problem, _, _, _):
      self.init(message: "cannot be read as text: \(problem)", location: nil)
    default:
      self.init(message: "is not valid YAML: \(error)", location: nil)
    }
  }
}

extension SourceLocation {
  fileprivate init(_ mark: Mark?) {
    self.init(line: mark?.line ?? 1, column: mark?.column ?? 1)
  }
}

/// True unless a quick scan proves `text` nests less than 64 levels.
private func mayNestDeeply(_ text: String) -> Bool {
  var flow = 0
  var atLineStart = true
  var lineDepth = 0
  for byte in text.utf8 {
    switch byte {
    case UInt8(ascii: "\n"):
      atLineStart = true
      lineDepth = 0
      continue
    case UInt8(ascii: "["), UInt8(ascii: "{"): flow += 1
    case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
    case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "\t"):
      if atLineStart { lineDepth += 1 }
    default: atLineStart = false
    }
    if flow + lineDepth >= 64 { return true }
  }
  return false
}

/// Runs `body` on a thread with a 512 MiB stack and waits for it: libyaml and Yams recurse per
/// nesting level.
private func onLargeStack<T>(_ body: () -> T) -> T {
  withoutActuallyEscaping(body) { YAMLReaderTests.onStack(of: 512 << 20, $0) }
}
