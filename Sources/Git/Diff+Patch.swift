import Clibgit2

/// One side of a patch: where the file was, its object and mode; nil id and mode when absent.
public struct PatchSide: Sendable {
  public let path: String
  public let id: ObjectID?
  public let mode: FileMode?

  public init(path: String, id: ObjectID?, mode: FileMode?) {
    self.path = path
    self.id = id
    self.mode = mode
  }
}

extension Repository {
  /// One file's change as `git diff -M` prints it (3 lines of context, the indent heuristic,
  /// git's default hunk headers): the `diff --git` header with modes, rename and index lines,
  /// then the hunks from libgit2's xdiff, the same code git runs. Binary files (a NUL in the
  /// first 8000 bytes, git's rule) print "Binary files ... differ". Object ids are shortened to
  /// 7 digits: git lengthens them in a repository where 7 are ambiguous.
  public func unifiedPatch(old: PatchSide, new: PatchSide, similarity: Int? = nil) throws(GitError) -> String
  {
    ensureLibgit2()
    let renamed = old.path != new.path
    let oldLabel = Self.quotedPath("a/" + old.path)
    let newLabel = Self.quotedPath("b/" + new.path)
    var out = "diff --git \(oldLabel) \(newLabel)\n"
    switch (old.mode, new.mode) {
    case (nil, let mode?): out += "new file mode \(mode.octal)\n"
    case (let mode?, nil): out += "deleted file mode \(mode.octal)\n"
    case (let before?, let after?) where before != after:
      out += "old mode \(before.octal)\nnew mode \(after.octal)\n"
    default: break
    }
    if renamed {
      out += "similarity index \(similarity ?? 0)%\n"
      out += "rename from \(Self.quotedPath(old.path))\nrename to \(Self.quotedPath(new.path))\n"
    }
    guard old.id != new.id else { return out }
    let zero = "0000000"
    out += "index \(old.id?.short() ?? zero)..\(new.id?.short() ?? zero)"
    if let before = old.mode, let after = new.mode, before == after { out += " \(after.octal)" }
    out += "\n"

    let oldBytes = try content(old)
    let newBytes = try content(new)
    let fromLabel = old.id == nil ? "/dev/null" : oldLabel
    let toLabel = new.id == nil ? "/dev/null" : newLabel
    if Self.isBinary(oldBytes) || Self.isBinary(newBytes) {
      return out + "Binary files \(fromLabel) and \(toLabel) differ\n"
    }
    let hunks = try Self.hunks(oldBytes, newBytes)
    guard !hunks.isEmpty else { return out }
    // git ends a label holding a space with a tab, so that tools can tell where the name ends.
    func labelLine(_ marker: String, _ label: String) -> String {
      "\(marker) \(label)\(label.utf8.contains(UInt8(ascii: " ")) ? "\t" : "")\n"
    }
    return out + labelLine("---", fromLabel) + labelLine("+++", toLabel) + hunks
  }

  private func content(_ side: PatchSide) throws(GitError) -> [UInt8] {
    guard let id = side.id else { return [] }
    if side.mode == .commit { return Array("Subproject commit \(id.hex)\n".utf8) }
    return try blob(id)
  }

  /// git's `buffer_is_binary`: a NUL byte in the first 8000 bytes.
  static func isBinary(_ bytes: [UInt8]) -> Bool { bytes.prefix(8000).contains(0) }

  /// The `@@` hunks between two texts, as xdiff prints them.
  private static func hunks(_ old: [UInt8], _ new: [UInt8]) throws(GitError) -> String {
    var options = git_diff_options()
    try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
    options.context_lines = 3
    options.flags = GIT_DIFF_FORCE_TEXT.rawValue | GIT_DIFF_INDENT_HEURISTIC.rawValue
    var patch: OpaquePointer?
    let result = old.withUnsafeBytes { oldBytes in
      new.withUnsafeBytes { newBytes in
        git_patch_from_buffers(
          &patch, oldBytes.baseAddress, oldBytes.count, "a", newBytes.baseAddress, newBytes.count, "b",
          &options)
      }
    }
    try check(result)
    defer { git_patch_free(patch) }
    var buffer = git_buf()
    defer { git_buf_dispose(&buffer) }
    try check(git_patch_to_buf(&buffer, patch))
    guard let pointer = buffer.ptr else { return "" }
    let bytes = UnsafeBufferPointer(
      start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: buffer.size)
    // Drop libgit2's own header: everything before the first hunk.
    var start = 0
    while start < bytes.count {
      if bytes[start] == UInt8(ascii: "@"), start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: "@") {
        return trimmingHunkHeaders(bytes[start...])
      }
      while start < bytes.count, bytes[start] != UInt8(ascii: "\n") { start += 1 }
      start += 1
    }
    return ""
  }

  /// git trims the spaces that end a hunk header's function line after cutting it to 80
  /// bytes (xdiff's `def_ff`); libgit2 keeps them.
  private static func trimmingHunkHeaders(_ patch: Slice<UnsafeBufferPointer<UInt8>>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(patch.count)
    var lineStart = patch.startIndex
    while lineStart < patch.endIndex {
      var lineEnd = lineStart
      while lineEnd < patch.endIndex, patch[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      var contentEnd = lineEnd
      if lineEnd - lineStart >= 2, patch[lineStart] == UInt8(ascii: "@"),
        patch[lineStart + 1] == UInt8(ascii: "@")
      {
        // isspace: space, \t, \n, \v, \f, \r.
        while contentEnd > lineStart, [9, 10, 11, 12, 13, 32].contains(patch[contentEnd - 1]) {
          contentEnd -= 1
        }
      }
      out += patch[lineStart..<contentEnd]
      if lineEnd < patch.endIndex { out.append(UInt8(ascii: "\n")) }
      lineStart = lineEnd + 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// A path as git prints it with `core.quotePath` on (its default): in double quotes with C
  /// escapes and octal bytes when it holds a control character, `"`, `\` or a byte over 0x7F.
  public static func quotedPath(_ path: String) -> String {
    let bytes = Array(path.utf8)
    let needsQuotes = bytes.contains {
      $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
    }
    guard needsQuotes else { return path }
    let named: [UInt8: String] = [
      0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f", 0x0D: "r", 0x22: "\"", 0x5C: "\\",
    ]
    var out = "\""
    for byte in bytes {
      if let name = named[byte] {
        out += "\\" + name
      } else if byte < 0x20 || byte >= 0x7F {
        let octal = String(byte, radix: 8)
        out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
      } else {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      }
    }
    return out + "\""
  }
}
