/// A sentence or list item cut into the tokens the word diff compares: a word (letters, digits,
/// `_`, `'`) or one other visible character, each with the spaces after it.
///
/// Tokens are byte offsets into the unit's UTF-8 and words are integer ids: a rewrite of a
/// megabyte prompt pairs thousands of edited sentences, and cutting each into Swift strings,
/// hashed again on every comparison, was most of its diff's time. ASCII, most prompts, is read
/// byte by byte with ids from a ``WordTable`` shared by the whole diff; a pair that holds other
/// text is read by Character and compared as strings, as Swift compares them.
struct ProseWords {
  struct Token {
    /// The token's text is `bytes[start..<end]`; its spaces run from `end` to the next token's
    /// start (or the end of the unit).
    var start: Int
    var end: Int
    /// Holds a letter or digit: a word of context in an excerpt (a full stop is not).
    var counts: Bool
  }

  let bytes: [UInt8]
  private(set) var tokens: [Token] = []
  /// Each token's id: equal ids, equal words.
  private(set) var ids: [Int] = []

  /// Where token `index`'s trailing spaces end.
  func spaceEnd(_ index: Int) -> Int { index + 1 < tokens.count ? tokens[index + 1].start : bytes.count }

  /// A unit's tokens, read when a pairing first needs them and then kept: a run of removals
  /// is tried one by one against the same first addition, which is read once, not once a try.
  struct Unit {
    let text: String
    private var asciiRead = false
    private var ascii: ProseWords?
    private var unicode: ProseWords?

    init(_ text: String) { self.text = text }

    /// Its tokens with byte-compared ids; nil when it holds text that is not ASCII.
    mutating func asciiWords(_ reader: inout Reader) -> ProseWords? {
      if !asciiRead {
        ascii = ProseWords(ascii: text, table: &reader.table)
        asciiRead = true
      }
      return ascii
    }

    /// Its tokens with ids compared as Swift strings.
    mutating func unicodeWords(_ reader: inout Reader) -> ProseWords {
      if let unicode { return unicode }
      let words = ProseWords(unicode: text, ids: &reader.strings)
      unicode = words
      return words
    }
  }

  /// The word ids of one diff, shared by every pair it compares.
  struct Reader {
    var table = WordTable()
    /// Ids of whole ASCII units (sentences, items), to diff a section's units: kept apart from
    /// the words', whose table stays small enough to stay in cache.
    var units = WordTable()
    var strings: [String: Int] = [:]
    /// The word diff's search memory, reused by every pair (``LineDiff/operations(ids:_:maxCost:trace:)``).
    var trace: [Int] = []
  }

  /// Both units' tokens with ids comparable between them: read byte by byte when both are
  /// ASCII, by Character otherwise. `ascii` says which (and so how an excerpt is assembled).
  static func pair(_ old: inout Unit, _ new: inout Unit, reader: inout Reader) -> (
    old: ProseWords, new: ProseWords, ascii: Bool
  ) {
    if let a = old.asciiWords(&reader), let b = new.asciiWords(&reader) { return (a, b, true) }
    return (old.unicodeWords(&reader), new.unicodeWords(&reader), false)
  }

  /// Both units' tokens, for a single comparison.
  static func pair(_ old: String, _ new: String) -> (old: ProseWords, new: ProseWords, ascii: Bool) {
    var reader = Reader()
    var a = Unit(old)
    var b = Unit(new)
    return pair(&a, &b, reader: &reader)
  }

  /// Reads ASCII byte by byte; nil at the first byte that is not ASCII. (Every ASCII byte is a
  /// Character of its own but for "\r\n", and both of those are spaces, so the tokens are the
  /// ones ``init(unicode:ids:)`` would cut.)
  private init?(ascii text: String, table: inout WordTable) {
    bytes = Array(text.utf8)
    var tokens: [Token] = []
    var ids: [Int] = []
    tokens.reserveCapacity(bytes.count / 4 + 1)
    ids.reserveCapacity(bytes.count / 4 + 1)
    let complete = bytes.withUnsafeBufferPointer { Self.cut($0, &tokens, &ids, &table) }
    guard complete else { return nil }
    self.tokens = tokens
    self.ids = ids
  }

  /// Cuts ASCII `buffer` into tokens with their ids; false at the first byte that is not ASCII.
  /// (A function of its own, with its state in `inout` parameters: a local function capturing
  /// them made every token pay two run-time exclusivity checks, a twentieth of a large diff.)
  private static func cut(
    _ buffer: UnsafeBufferPointer<UInt8>, _ tokens: inout [Token], _ ids: inout [Int],
    _ table: inout WordTable
  ) -> Bool {
    var start = -1
    var startIsWord = false
    var counts = false
    for index in 0..<buffer.count {
      switch buffer[index] {
      case 0x09...0x0D, 0x20:
        if start >= 0 {
          close(buffer, start..<index, counts: counts, &tokens, &ids, &table)
          start = -1
        }
      case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x27:
        let letterOrDigit = buffer[index] != 0x5F && buffer[index] != 0x27
        if start >= 0, startIsWord {
          counts = counts || letterOrDigit
        } else {
          if start >= 0 { close(buffer, start..<index, counts: counts, &tokens, &ids, &table) }
          start = index
          startIsWord = true
          counts = letterOrDigit
        }
      case 0x80...:
        return false
      default:
        if start >= 0 { close(buffer, start..<index, counts: counts, &tokens, &ids, &table) }
        start = index
        startIsWord = false
        counts = false
      }
    }
    if start >= 0 { close(buffer, start..<buffer.count, counts: counts, &tokens, &ids, &table) }
    return true
  }

  /// Ends the token at `range`: its place and its word's id.
  private static func close(
    _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, counts: Bool, _ tokens: inout [Token],
    _ ids: inout [Int], _ table: inout WordTable
  ) {
    tokens.append(Token(start: range.lowerBound, end: range.upperBound, counts: counts))
    ids.append(table.id(buffer, range.lowerBound, range.upperBound))
  }

  /// Reads by Character: a word is a run of letters, digits, `_` and `'` as Unicode defines
  /// letters and digits, and words are compared as Swift strings.
  private init(unicode text: String, ids table: inout [String: Int]) {
    bytes = Array(text.utf8)
    var tokens: [Token] = []
    var ids: [Int] = []
    var start: String.Index?
    var startIsWord = false
    var counts = false
    func offset(_ index: String.Index) -> Int { text.utf8.distance(from: text.startIndex, to: index) }
    func close(at end: String.Index) {
      guard let from = start else { return }
      let word = String(text[from..<end])
      let id = table[word] ?? table.count
      if id == table.count { table[word] = id }
      tokens.append(Token(start: offset(from), end: offset(end), counts: counts))
      ids.append(id)
    }
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      let (isSpace, isWord) = Self.classify(character)
      let letterOrDigit = character.isLetter || character.isNumber
      if isSpace {
        close(at: index)
        start = nil
      } else if isWord, startIsWord, start != nil {
        counts = counts || letterOrDigit
      } else {
        close(at: index)
        start = index
        startIsWord = isWord
        counts = letterOrDigit
      }
      index = text.index(after: index)
    }
    close(at: text.endIndex)
    self.tokens = tokens
    self.ids = ids
  }

  /// Whether a character is a space, or part of a word (letters, digits, `_`, `'`).
  private static func classify(_ character: Character) -> (space: Bool, word: Bool) {
    if let ascii = character.asciiValue {
      switch ascii {
      case 0x09...0x0D, 0x20: return (true, false)
      case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x27: return (false, true)
      default: return (false, false)
      }
    }
    if character.isWhitespace { return (true, false) }
    return (false, character.isLetter || character.isNumber)
  }
}
