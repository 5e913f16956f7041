import CYAML

/// Reads the first YAML document of a text into a ``StructuredValue`` straight from libyaml's
/// events, with an explicit stack instead of recursion, so any nesting costs no call stack.
///
/// It answers as the Yams-based reader it replaced did (compose the document, then convert it):
/// the same values and places, the same messages. What composing would have refused (syntax,
/// undefined aliases, repeated keys, a second document) is thrown as soon as it is read; what
/// converting would have refused (a key that is not a scalar, too many values, too deep) is
/// remembered and thrown once the document has been read, unless composing fails first. Reading
/// stops at a collection nested deeper than the limit, and nothing is built once a refusal is
/// remembered, so hostile nesting and alias bombs cost next to nothing.
enum YAMLReader {
  /// The value of the first document of `text`; nil when the stream holds no document.
  static func read(_ text: String, limits: StructuredDocument.Limits) throws(DocumentError)
    -> StructuredValue?
  {
    var text = text
    let result = text.withUTF8 { bytes in
      withUnsafeTemporaryAllocation(of: yaml_parser_t.self, capacity: 1) { storage in
        // libyaml keeps pointers into its parser (the reader's handler data), so it stays put.
        let parser = storage.baseAddress!
        guard yaml_parser_initialize(parser) == 1 else {
          return Result<StructuredValue?, DocumentError>.failure(.libyamlOutOfMemory)
        }
        defer { yaml_parser_delete(parser) }
        guard let input = bytes.baseAddress else { return .success(nil) }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input, bytes.count)
        var composer = Composer(limits: limits)
        do throws(DocumentError) {
          return .success(try composer.read(from: parser))
        } catch {
          return .failure(error)
        }
      }
    }
    return try result.get()
  }
}

/// Builds values from events: one ``Frame`` per open collection, and the budget that keeps
/// alias expansion bounded.
private struct Composer {
  /// A collection being read.
  struct Frame {
    let isMap: Bool
    let location: SourceLocation
    let anchor: String?
    /// Where this map's keys start in ``Composer/keys``.
    let keysStart: Int
    var items: [StructuredValue] = []
    var entries: [StructuredValue.Entry] = []
    /// The key whose value comes next, in a map.
    var key: (name: String, location: SourceLocation)?
    var expectsKey = true
    /// Values in this collection once expanded, itself included, and how deep they go below it:
    /// what walking it again costs where an alias repeats it.
    var nodes = 1
    var height = 0
  }

  /// A scalar key, as a repeated key is recognised: by its text and its tag, where no tag, `!`
  /// and quotes all mean `!!str`.
  struct Key {
    let name: String
    let tag: String?
    let location: SourceLocation
  }

  /// What an anchor names, for its aliases.
  struct Anchored {
    /// Nil once building has stopped.
    let value: StructuredValue?
    let location: SourceLocation
    let nodes: Int
    let height: Int
    /// Set when the anchored node is a scalar, which may serve as a key.
    let key: (name: String, tag: String?)?
  }

  let limits: StructuredDocument.Limits
  var budget: Int
  var stack: [Frame] = []
  /// The scalar keys of every open map, each map's after its parent's.
  var keys: [Key] = []
  var anchors: [String: Anchored] = [:]
  var root: StructuredValue?
  /// The first refusal of converting, thrown when the document has been read; no value is built
  /// after it.
  var refusal: DocumentError?

  init(limits: StructuredDocument.Limits) {
    self.limits = limits
    self.budget = limits.maxNodes
  }

  var building: Bool { refusal == nil }

  /// The next node is a map's key, which is not a value: it costs no budget and no depth.
  var atKey: Bool {
    guard let top = stack.indices.last else { return false }
    return stack[top].isMap && stack[top].expectsKey
  }

  mutating func read(from parser: UnsafeMutablePointer<yaml_parser_t>) throws(DocumentError)
    -> StructuredValue?
  {
    var event = yaml_event_t()
    var documentEnded = false
    while true {
      guard yaml_parser_parse(parser, &event) == 1 else { throw DocumentError(libyaml: parser.pointee) }
      defer { yaml_event_delete(&event) }
      switch event.type {
      case YAML_DOCUMENT_START_EVENT where documentEnded:
        throw DocumentError(
          message: "is not valid YAML: expected a single document in the stream but found another document",
          location: SourceLocation(event.start_mark))
      case YAML_DOCUMENT_END_EVENT:
        documentEnded = true
      case YAML_STREAM_END_EVENT:
        if let refusal { throw refusal }
        return root
      case YAML_SCALAR_EVENT:
        scalar(event)
      case YAML_ALIAS_EVENT:
        try alias(event)
      case YAML_SEQUENCE_START_EVENT:
        try open(isMap: false, event, anchor: event.data.sequence_start.anchor)
      case YAML_MAPPING_START_EVENT:
        try open(isMap: true, event, anchor: event.data.mapping_start.anchor)
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        try close()
      default:
        break
      }
    }
  }

  private mutating func scalar(_ event: yaml_event_t) {
    let data = event.data.scalar
    let location = SourceLocation(event.start_mark)
    var bytes = UnsafeBufferPointer(start: data.value, count: data.length)
    // A leading byte order mark is dropped, as Yams' Foundation decoding dropped it (a U+FEFF
    // left inside a file by joining files would otherwise change a key).
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) }
    let text = String(decoding: bytes, as: UTF8.self)
    let tag = data.quoted_implicit == 1 ? nil : tagName(data.tag)
    let anchor = name(data.anchor)
    let isKey = atKey
    if isKey {
      keys.append(Key(name: text, tag: tag, location: location))
      if building { stack[stack.count - 1].key = (text, location) }
    } else {
      admit(at: location)
    }
    var value: StructuredValue?
    if building && !isKey || anchor != nil {
      // Style `any` (0) or plain (1): typed by the core schema; quoted and block scalars are text.
      let scalar =
        data.style.rawValue <= YAML_PLAIN_SCALAR_STYLE.rawValue
        ? Scalar(plain: text) : Scalar(text: text, kind: .string)
      value = StructuredValue(.scalar(scalar), at: location)
    }
    if let anchor {
      anchors[anchor] = Anchored(
        value: building ? value : nil, location: location, nodes: 1, height: 0, key: (text, tag))
    }
    place(value, nodes: 1, height: 0)
  }

  private mutating func alias(_ event: yaml_event_t) throws(DocumentError) {
    guard let anchor = name(event.data.alias.anchor), let anchored = anchors[anchor] else {
      throw DocumentError(
        message: "is not valid YAML: found undefined alias", location: SourceLocation(event.start_mark))
    }
    if atKey {
      if let key = anchored.key {
        keys.append(Key(name: key.name, tag: key.tag, location: anchored.location))
        if building { stack[stack.count - 1].key = (key.name, anchored.location) }
      } else {
        refuseNonScalarKey(at: anchored.location)
      }
      return place(nil, nodes: 0, height: 0)
    }
    admit(anchored)
    place(anchored.value, nodes: anchored.nodes, height: anchored.height)
  }

  private mutating func open(
    isMap: Bool, _ event: yaml_event_t, anchor: UnsafeMutablePointer<yaml_char_t>?
  ) throws(DocumentError) {
    let location = SourceLocation(event.start_mark)
    if atKey { refuseNonScalarKey(at: location) } else { admit(at: location) }
    // The frames never outgrow the depth limit: whatever lies deeper is refused unread.
    if stack.count > limits.maxDepth, let refusal { throw refusal }
    stack.append(Frame(isMap: isMap, location: location, anchor: name(anchor), keysStart: keys.count))
  }

  private mutating func close() throws(DocumentError) {
    let frame = stack.removeLast()
    if frame.isMap {
      try checkRepeats(keys[frame.keysStart...])
      keys.removeSubrange(frame.keysStart...)
    }
    var value: StructuredValue?
    if building {
      value = StructuredValue(frame.isMap ? .map(frame.entries) : .list(frame.items), at: frame.location)
    }
    if let anchor = frame.anchor {
      anchors[anchor] = Anchored(
        value: value, location: frame.location, nodes: frame.nodes, height: frame.height, key: nil)
    }
    place(value, nodes: frame.nodes, height: frame.height)
  }

  /// Hands a finished node to its collection, or makes it the document's root.
  private mutating func place(_ value: StructuredValue?, nodes: Int, height: Int) {
    guard !stack.isEmpty else {
      root = value
      return
    }
    let top = stack.count - 1
    if stack[top].isMap && stack[top].expectsKey {
      stack[top].expectsKey = false
      return
    }
    stack[top].nodes += nodes
    stack[top].height = max(stack[top].height, height + 1)
    if stack[top].isMap {
      stack[top].expectsKey = true
      if building, let value, let key = stack[top].key {
        stack[top].entries.append(
          StructuredValue.Entry(key: key.name, keyLocation: key.location, value: value))
      }
      stack[top].key = nil
    } else if building, let value {
      stack[top].items.append(value)
    }
  }

  /// Spends the budget on one value at the current depth, as converting it did.
  private mutating func admit(at location: SourceLocation) {
    guard building else { return }
    budget -= 1
    if budget < 0 {
      refuse(tooMany: location)
    } else if stack.count > limits.maxDepth {
      refuse(tooDeep: location)
    }
  }

  /// Spends the budget on a repeated value, every node of it again; on a refusal, names the node
  /// that converting would have stopped at.
  private mutating func admit(_ anchored: Anchored) {
    guard building, let value = anchored.value else { return }
    let depth = stack.count
    if anchored.nodes <= budget && depth + anchored.height <= limits.maxDepth {
      budget -= anchored.nodes
      return
    }
    var pending = [(value, depth)]
    while let (node, depth) = pending.popLast() {
      budget -= 1
      if budget < 0 { return refuse(tooMany: node.location) }
      if depth > limits.maxDepth { return refuse(tooDeep: node.location) }
      switch node.content {
      case .scalar: break
      case .list(let items): pending += items.reversed().map { ($0, depth + 1) }
      case .map(let entries): pending += entries.reversed().map { ($0.value, depth + 1) }
      }
    }
  }

  private mutating func refuse(tooMany location: SourceLocation) {
    refusal = DocumentError(
      message: "expands to more than \(limits.maxNodes) values (aliases repeated too often?)",
      location: location)
  }

  private mutating func refuse(tooDeep location: SourceLocation) {
    refusal = DocumentError(message: "nests deeper than \(limits.maxDepth) levels", location: location)
  }

  private mutating func refuseNonScalarKey(at location: SourceLocation) {
    guard building else { return }
    refusal = DocumentError(
      message: "has a key that is not a plain value; use a string key", location: location)
  }

  /// Refuses a map whose keys repeat: each repeated key once, sorted, at the first place the
  /// first of them was written.
  private func checkRepeats(_ keys: ArraySlice<Key>) throws(DocumentError) {
    guard keys.count > 1 else { return }
    // Where each key that comes again was first written.
    var firsts: [Int] = []
    if keys.count <= 16 {
      for index in keys.indices {
        let key = keys[index]
        if let first = keys[..<index].firstIndex(where: { same($0, key) }), !firsts.contains(first) {
          firsts.append(first)
        }
      }
    } else {
      struct Identity: Hashable {
        let name: String
        let tag: String?
      }
      var seen: [Identity: (first: Int, count: Int)] = [:]
      for (index, key) in zip(keys.indices, keys) {
        seen[Identity(name: key.name, tag: key.tag), default: (index, 0)].count += 1
      }
      firsts = seen.values.filter { $0.count > 1 }.map(\.first)
    }
    // In the order first written, so that two keys of one text and different tags sort alike on
    // every run (Yams sorted them from a hashed dictionary's order).
    let repeated = firsts.sorted().map { keys[$0] }
    guard !repeated.isEmpty else { return }
    let sorted = repeated.sorted { $0.name < $1.name }
    throw DocumentError(
      message: "repeats the key \(sorted.map { "'\($0.name)'" }.joined(separator: ", ")); keep one",
      location: sorted[0].location)
  }

  private func same(_ lhs: Key, _ rhs: Key) -> Bool {
    lhs.name == rhs.name && lhs.tag == rhs.tag
  }

  /// A scalar's explicit tag; nil for `!!str` and for none, which make the same key.
  private func tagName(_ tag: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let tag = name(tag), tag != "!", tag != "tag:yaml.org,2002:str" else { return nil }
    return tag
  }

  /// An anchor's or tag's name: libyaml's NUL-terminated UTF-8.
  private func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    var count = 0
    while pointer[count] != 0 { count += 1 }
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
  }
}

extension DocumentError {
  static let libyamlOutOfMemory = DocumentError(message: "is not valid YAML: Memory error", location: nil)

  /// libyaml's error: text it cannot decode, or YAML it cannot scan or parse, with its context.
  init(libyaml parser: yaml_parser_t) {
    let problem = parser.problem.map { String(cString: $0) } ?? ""
    switch parser.error {
    case YAML_READER_ERROR:
      self.init(message: "cannot be read as text: \(problem)", location: nil)
    case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
      // libyaml after 0.2.5 (and Yams' copy) refuses 1000 levels, counting what it has scanned
      // ahead, so it may do so before the reader's own, lower limit is reached.
      if problem.containsLiteral("Maximum nesting level") {
        self.init(
          message: "nests deeper than libyaml's limit of 1000 levels",
          location: SourceLocation(parser.problem_mark))
        return
      }
      let context = parser.context.map { String(cString: $0) }
      let detail = [context, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
      self.init(message: "is not valid YAML: \(detail)", location: SourceLocation(parser.problem_mark))
    default:
      self = .libyamlOutOfMemory
    }
  }
}

extension SourceLocation {
  /// libyaml counts lines and columns from 0.
  init(_ mark: yaml_mark_t) {
    self.init(line: mark.line + 1, column: mark.column + 1)
  }
}
