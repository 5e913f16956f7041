import Foundation
import Yams

/// Parses YAML (and JSON, which YAML reads) into a ``StructuredValue``, safely.
///
/// Hostile input gets a ``DocumentError``, never a hang or a crash: documents are capped in
/// size, alias expansion is capped in nodes (billion laughs), nesting is capped in depth, and
/// the parser runs on a thread with a large stack so deep input cannot overflow it.
public enum StructuredDocument {
  /// Limits that keep one document from costing more than a reviewer would ever write.
  public struct Limits: Sendable {
    public var maxBytes: Int
    public var maxNodes: Int
    public var maxDepth: Int

    public init(maxBytes: Int = 4 << 20, maxNodes: Int = 1_000_000, maxDepth: Int = 200) {
      self.maxBytes = maxBytes
      self.maxNodes = maxNodes
      self.maxDepth = maxDepth
    }
  }

  /// The constructor Yams hands every node. Documents are only composed, never constructed into
  /// Swift values, so it needs no maps; `Constructor.default` built its three tables anew for
  /// every document (7 % of parsing a front matter). Immutable, so shared.
  nonisolated(unsafe) private static let composingOnly = Constructor([:], [:], [:])

  /// Parses the first document of `text`; nil for an empty document.
  public static func parse(_ text: String, limits: Limits = Limits()) throws(DocumentError)
    -> StructuredValue?
  {
    guard text.utf8.count <= limits.maxBytes else {
      throw DocumentError(
        message: "is \(text.utf8.count / 1024) KiB; promptgate reads documents up to "
          + "\(limits.maxBytes / 1024) KiB", location: nil)
    }
    let parse = { () -> Result<StructuredValue?, DocumentError> in
      do {
        // Explicit UTF-8: Yams' default encoding reads the whole process environment per parse.
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
    // A thread costs about a millisecond; only a document that may nest deeply needs one.
    let result = mayNestDeeply(text) ? onLargeStack(parse) : parse()
    return try result.get()
  }

  private static func convert(_ node: Node, depth: Int, limits: Limits, budget: inout Int)
    throws(DocumentError) -> StructuredValue
  {
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

/// Why a YAML or JSON document could not be read, and where.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, phrased to follow the file name: "is not valid YAML: ...".
  public let message: String
  public let location: SourceLocation?

  public init(message: String, location: SourceLocation?) {
    self.message = message
    self.location = location
  }

  init(_ error: YamlError) {
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

  public var description: String {
    location.map { "\($0): \(message)" } ?? message
  }
}

extension SourceLocation {
  init(_ mark: Mark?) {
    self.init(line: mark?.line ?? 1, column: mark?.column ?? 1)
  }
}

/// True unless a quick scan proves `text` nests less than 64 levels: flow brackets open plus
/// indentation and `- ` markers at a line's start, over-counted (quotes are not skipped), so
/// a false "no" cannot happen.
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
/// nesting level, and a hostile document must not overflow the caller's stack. The stack is
/// reserved address space; only the pages a document touches are ever used.
private func onLargeStack<T>(_ body: () -> T) -> T {
  var result: T?
  withoutActuallyEscaping(body) { body in
    let job = StackJob { result = body() }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, 512 << 20)
    let context = Unmanaged.passRetained(job)
    defer { context.release() }
    var thread = pthread_t()
    let started = pthread_create(
      &thread, &attributes,
      { raw in
        Unmanaged<StackJob>.fromOpaque(raw!).takeUnretainedValue().work()
        return nil
      }, context.toOpaque())
    if started == 0 {
      pthread_join(thread, nil)
    } else {
      job.work()  // No thread to be had: parse here, with the caller's stack.
    }
  }
  return result!
}

/// The work handed to the parsing thread; the caller joins the thread before reading results.
private final class StackJob {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }
}
