/// The changed words of an edited unit in context, as `git diff --word-diff=plain` marks them:
/// `keep the [-old-]{+new+} words`, with "…" for the words left out.
///
/// Every step is linear in the unit's tokens: a unit can be a megabyte line with thousands of
/// changes.
enum ProseExcerpt {
  /// Words kept around a change.
  static let context = 4

  private enum Piece {
    /// Token of the new side kept as it was.
    case same(Int)
    /// A run of the old side's tokens replaced by a run of the new side's (either may be empty).
    case changed(removed: Range<Int>, added: Range<Int>)
  }

  static func render(
    _ old: ProseWords, _ new: ProseWords, _ operations: [LineDiff.Operation], ascii: Bool
  ) -> String {
    var pieces: [Piece] = []
    pieces.reserveCapacity(operations.count)
    var removed = 0..<0
    var added = 0..<0
    // (No local function to close a run: one capturing these made every piece pay run-time
    // exclusivity checks.)
    for operation in operations {
      switch operation {
      case .equal(_, let index):
        if !removed.isEmpty || !added.isEmpty { pieces.append(.changed(removed: removed, added: added)) }
        removed = 0..<0
        added = 0..<0
        pieces.append(.same(index))
      case .delete(let index): removed = removed.isEmpty ? index..<index + 1 : removed.lowerBound..<index + 1
      case .insert(let index): added = added.isEmpty ? index..<index + 1 : added.lowerBound..<index + 1
      }
    }
    if !removed.isEmpty || !added.isEmpty { pieces.append(.changed(removed: removed, added: added)) }

    let isWord = pieces.map { piece in
      if case .same(let token) = piece { return new.tokens[token].counts }
      return false
    }
    let keep = kept(pieces, isWord: isWord)
    if ascii {
      var out = ByteOutput(capacity: old.bytes.count + new.bytes.count + 16)
      write(pieces, keep, old, new, to: &out)
      return out.finish()
    }
    var out = StringOutput()
    write(pieces, keep, old, new, to: &out)
    return out.finish()
  }

  /// Which pieces the excerpt shows: every change with `context` words (not counting
  /// punctuation) on each side, and any left-out run without a word (a full stop), since "…"
  /// stands for words.
  private static func kept(_ pieces: [Piece], isWord: [Bool]) -> [Bool] {
    var words: [Int] = []
    words.reserveCapacity(isWord.count)
    for index in isWord.indices where isWord[index] { words.append(index) }
    // +1 where a kept range starts, -1 after it ends: one pass however much ranges overlap.
    var cover = [Int](repeating: 0, count: pieces.count + 1)
    var wordsBefore = 0
    for index in pieces.indices {
      guard case .changed = pieces[index] else { continue }
      while wordsBefore < words.count, words[wordsBefore] < index { wordsBefore += 1 }
      let from = wordsBefore > 0 ? words[max(0, wordsBefore - context)] : index
      let to = wordsBefore < words.count ? words[min(words.count, wordsBefore + context) - 1] : index
      cover[from] += 1
      cover[to + 1] -= 1
    }
    var keep = [Bool](repeating: false, count: pieces.count)
    var depth = 0
    for index in pieces.indices {
      depth += cover[index]
      keep[index] = depth > 0
    }
    var index = 0
    while index < pieces.count {
      guard !keep[index] else {
        index += 1
        continue
      }
      var end = index
      var holdsWord = false
      while end < pieces.count, !keep[end] {
        holdsWord = holdsWord || isWord[end]
        end += 1
      }
      if !holdsWord { for covered in index..<end { keep[covered] = true } }
      index = end
    }
    return keep
  }

  private static func write<Output: ExcerptOutput>(
    _ pieces: [Piece], _ keep: [Bool], _ old: ProseWords, _ new: ProseWords, to out: inout Output
  ) {
    var skipping = false
    for index in pieces.indices {
      guard keep[index] else {
        skipping = true
        continue
      }
      if skipping {
        out.append(out.isEmpty ? "… " : (out.endsWithSpace ? "… " : " … "))
        skipping = false
      }
      switch pieces[index] {
      case .same(let token):
        out.append(new.bytes, new.tokens[token].start..<new.spaceEnd(token))
      case .changed(let removed, let added):
        // Marks close before the last token's space, which follows the marks.
        if let last = removed.last {
          out.append("[-")
          out.append(old.bytes, old.tokens[removed.lowerBound].start..<old.tokens[last].end)
          out.append("-]")
        }
        if let last = added.last {
          out.append("{+")
          out.append(new.bytes, new.tokens[added.lowerBound].start..<new.tokens[last].end)
          out.append("+}")
          out.append(new.bytes, new.tokens[last].end..<new.spaceEnd(last))
        } else if let last = removed.last {
          out.append(old.bytes, old.tokens[last].end..<old.spaceEnd(last))
        }
      }
    }
    if skipping { out.append(out.endsWithSpace ? "…" : " …") }
  }
}

/// Where an excerpt is assembled: bytes for ASCII, a String otherwise, so that "ends with a
/// space" and the final trim mean what they mean for Characters.
private protocol ExcerptOutput {
  var isEmpty: Bool { get }
  var endsWithSpace: Bool { get }
  /// `bytes[range]`.
  mutating func append(_ bytes: [UInt8], _ range: Range<Int>)
  mutating func append(_ literal: StaticString)
  func finish() -> String
}

/// ASCII words and spaces and the marks: every byte below 0x80 is a Character of its own (but
/// "\r\n", both spaces), and "…" is never a space.
private struct ByteOutput: ExcerptOutput {
  var bytes: [UInt8] = []
  init(capacity: Int) { bytes.reserveCapacity(capacity) }
  var isEmpty: Bool { bytes.isEmpty }
  var endsWithSpace: Bool { bytes.last == 0x20 }
  mutating func append(_ source: [UInt8], _ range: Range<Int>) {
    source.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
  }
  mutating func append(_ literal: StaticString) { literal.withUTF8Buffer { bytes += $0 } }
  func finish() -> String {
    func isSpace(_ byte: UInt8) -> Bool { (0x09...0x0D).contains(byte) || byte == 0x20 }
    var slice = bytes[...]
    while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
    while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
    return String(decoding: slice, as: UTF8.self)
  }
}

private struct StringOutput: ExcerptOutput {
  var text = ""
  var isEmpty: Bool { text.isEmpty }
  var endsWithSpace: Bool { text.last == " " }
  mutating func append(_ source: [UInt8], _ range: Range<Int>) {
    text += String(decoding: source[range], as: UTF8.self)
  }
  mutating func append(_ literal: StaticString) { text += literal.description }
  func finish() -> String { text.trimmingWhitespace }
}
