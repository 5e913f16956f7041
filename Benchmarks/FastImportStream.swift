import Foundation

/// Writes a `git fast-import` stream to a file: whole histories in seconds, where a
/// `git commit` per change would take minutes.
struct FastImportStream {
  private let handle: FileHandle
  private let path: String
  private var buffer: [UInt8] = []
  private var mark = 0

  static let author = "Bench Author <bench@example.com>"

  init(path: String) throws(BenchError) {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else { throw .cannotWrite(path, "cannot create the file") }
    self.handle = handle
    self.path = path
    buffer.reserveCapacity(Self.flushSize)
  }

  private static let flushSize = 1 << 20

  /// Starts a commit on `refs/heads/main`, child of the previous one; returns its mark.
  mutating func commit(time: Int, message: String) throws(BenchError) -> Int {
    mark += 1
    append("commit refs/heads/main\nmark :\(mark)\n")
    append("author \(Self.author) \(time) +0000\ncommitter \(Self.author) \(time) +0000\n")
    data(message)
    if mark > 1 { append("from :\(mark - 1)\n") }
    try flushIfFull()
    return mark
  }

  /// Writes `content` at `path` in the current commit.
  mutating func modify(_ path: String, _ content: String) throws(BenchError) {
    append("M 100644 inline \(path)\n")
    data(content)
    try flushIfFull()
  }

  mutating func delete(_ path: String) {
    append("D \(path)\n")
  }

  mutating func rename(_ old: String, to new: String) {
    append("R \(old) \(new)\n")
  }

  /// Points `ref` (a tag, say) at the commit with `mark`.
  mutating func reset(_ ref: String, to mark: Int) {
    append("reset \(ref)\nfrom :\(mark)\n\n")
  }

  mutating func finish() throws(BenchError) {
    append("done\n")
    try flush()
    do { try handle.close() } catch { throw .cannotWrite(path, "\(error)") }
  }

  private mutating func data(_ content: String) {
    append("data \(content.utf8.count)\n")
    append(content)
    append("\n")
  }

  private mutating func append(_ text: String) {
    buffer.append(contentsOf: text.utf8)
  }

  private mutating func flushIfFull() throws(BenchError) {
    if buffer.count >= Self.flushSize { try flush() }
  }

  private mutating func flush() throws(BenchError) {
    do { try handle.write(contentsOf: buffer) } catch { throw .cannotWrite(path, "\(error)") }
    buffer.removeAll(keepingCapacity: true)
  }
}
