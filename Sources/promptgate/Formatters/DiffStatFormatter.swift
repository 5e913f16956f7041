import PromptgateCore

/// `diff --stat`: git's diffstat (`git diff --stat -M`), laid out by git's rules for a width of
/// 80 columns: names shortened from the left with `...`, the graph scaled to fit, renames as
/// `dir/{old => new}`, binary files as `Bin <old> -> <new> bytes`.
struct DiffStatFormatter {
  /// One file's line of the stat.
  struct Entry {
    let name: String
    let additions: Int
    let deletions: Int
    /// Sizes in bytes before and after, for a binary file.
    let binarySizes: (old: Int, new: Int)?
  }

  var width = 80

  func format(_ entries: [Entry]) -> String {
    guard !entries.isEmpty else { return " 0 files changed\n" }
    var maxLength = 0
    var maxChange = 0
    var binaryWidth = 0
    var numberWidth = 0
    for entry in entries {
      maxLength = max(maxLength, entry.name.count)
      if let sizes = entry.binarySizes {
        binaryWidth = max(binaryWidth, 14 + digits(sizes.new) + digits(sizes.old))
        numberWidth = 3
        continue
      }
      maxChange = max(maxChange, entry.additions + entry.deletions)
    }
    numberWidth = max(numberWidth, digits(maxChange))
    let width = max(self.width, 16 + 6 + numberWidth)
    var graphWidth = maxChange + 4 > binaryWidth ? maxChange : binaryWidth - 4
    var nameWidth = maxLength
    if nameWidth + numberWidth + 6 + graphWidth > width {
      if graphWidth > width * 3 / 8 - numberWidth - 6 {
        graphWidth = max(6, width * 3 / 8 - numberWidth - 6)
      }
      if nameWidth > width - numberWidth - 6 - graphWidth {
        nameWidth = width - numberWidth - 6 - graphWidth
      } else {
        graphWidth = width - numberWidth - 6 - nameWidth
      }
    }

    var out = ""
    var insertions = 0
    var deletions = 0
    for entry in entries {
      var name = entry.name[...]
      var prefix = ""
      var length = nameWidth
      if nameWidth < name.count {
        prefix = "..."
        length = max(0, length - 3)
        name = name.suffix(length)
        if let slash = name.firstIndex(of: "/") { name = name[slash...] }
      }
      let padding = String(repeating: " ", count: max(0, length - name.count))
      if let sizes = entry.binarySizes {
        out += " \(prefix)\(name)\(padding) | \(pad("Bin", numberWidth))"
        out += sizes.old == 0 && sizes.new == 0 ? "\n" : " \(sizes.old) -> \(sizes.new) bytes\n"
        continue
      }
      insertions += entry.additions
      deletions += entry.deletions
      var add = entry.additions
      var del = entry.deletions
      let total = add + del
      if graphWidth <= maxChange {
        var scaled = scale(total, graphWidth, maxChange)
        if scaled < 2, add > 0, del > 0 { scaled = 2 }
        if add < del {
          add = scale(add, graphWidth, maxChange)
          del = scaled - add
        } else {
          del = scale(del, graphWidth, maxChange)
          add = scaled - del
        }
      }
      out += " \(prefix)\(name)\(padding) | \(pad(String(total), numberWidth))\(total > 0 ? " " : "")"
      out += String(repeating: "+", count: add) + String(repeating: "-", count: del) + "\n"
    }
    out += entries.count == 1 ? " 1 file changed" : " \(entries.count) files changed"
    if insertions > 0 || deletions == 0 {
      out += insertions == 1 ? ", 1 insertion(+)" : ", \(insertions) insertions(+)"
    }
    if deletions > 0 || insertions == 0 {
      out += deletions == 1 ? ", 1 deletion(-)" : ", \(deletions) deletions(-)"
    }
    return out + "\n"
  }

  /// git's `pprint_rename`: the common leading folders and trailing part outside braces,
  /// `prompts/{old => new}/system.md`.
  static func renameName(_ old: String, _ new: String) -> String {
    let a = Array(old.utf8)
    let b = Array(new.utf8)
    var prefix = 0
    var index = 0
    while index < a.count, index < b.count, a[index] == b[index] {
      if a[index] == UInt8(ascii: "/") { prefix = index + 1 }
      index += 1
    }
    var suffix = 0
    var oldIndex = a.count
    var newIndex = b.count
    let adjust = prefix > 0 ? 1 : 0
    // Index `count` stands for the strings' terminating NUL, equal on both sides.
    func byte(_ bytes: [UInt8], _ at: Int) -> UInt8 { at < bytes.count ? bytes[at] : 0 }
    while prefix - adjust <= oldIndex, prefix - adjust <= newIndex, byte(a, oldIndex) == byte(b, newIndex) {
      if byte(a, oldIndex) == UInt8(ascii: "/") { suffix = a.count - oldIndex }
      oldIndex -= 1
      newIndex -= 1
      if oldIndex < 0 || newIndex < 0 { break }
    }
    let oldMiddle = max(0, a.count - prefix - suffix)
    let newMiddle = max(0, b.count - prefix - suffix)
    func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
    var out = ""
    if prefix + suffix > 0 { out += text(a[0..<prefix]) + "{" }
    out += text(a[prefix..<(prefix + oldMiddle)]) + " => " + text(b[prefix..<(prefix + newMiddle)])
    if prefix + suffix > 0 { out += "}" + text(a[(a.count - suffix)...]) }
    return out
  }

  private func scale(_ value: Int, _ width: Int, _ maxChange: Int) -> Int {
    value == 0 ? 0 : 1 + value * (width - 1) / maxChange
  }

  private func digits(_ value: Int) -> Int { String(value).count }

  private func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
