/// A path pattern as runbooks write them: `prompts/**`, `policies/**/*.yaml`, `*.prompty`.
///
/// Matched against the whole slash-separated path: `*` and `?` stay inside one folder name,
/// `**` spans any number of folders (`a/**/b` matches `a/b`), `[abc]` and `[!a-z]` are classes.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  public let pattern: String
  private let bytes: [UInt8]

  public init(_ pattern: String) {
    self.pattern = pattern
    self.bytes = Array(pattern.utf8)
  }

  public var description: String { pattern }

  public func matches(_ path: String) -> Bool {
    let path = Array(path.utf8)
    return Self.match(bytes[...], path[...])
  }

  private static let slash = UInt8(ascii: "/")
  private static let star = UInt8(ascii: "*")

  private static func match(_ pattern: ArraySlice<UInt8>, _ path: ArraySlice<UInt8>) -> Bool {
    var pattern = pattern
    var path = path
    while let head = pattern.first {
      switch head {
      case star where pattern.dropFirst().first == star:
        // `**`: any run of characters, slashes included. `**/` may also match nothing at all.
        var rest = pattern.dropFirst(2)
        if rest.first == slash {
          rest = rest.dropFirst()
          if match(rest, path) { return true }
        }
        if rest.isEmpty { return true }
        var candidate = path
        while !candidate.isEmpty {
          candidate = candidate.dropFirst()
          if match(rest, candidate) { return true }
        }
        return false
      case star:
        let rest = pattern.dropFirst()
        var candidate = path
        while true {
          if match(rest, candidate) { return true }
          guard let next = candidate.first, next != slash else { return false }
          candidate = candidate.dropFirst()
        }
      case UInt8(ascii: "?"):
        guard let next = path.first, next != slash else { return false }
      case UInt8(ascii: "["):
        guard let next = path.first, next != slash,
          let (matched, rest) = matchClass(pattern.dropFirst(), next)
        else {
          // An unclosed `[` is an ordinary character.
          guard path.first == head else { return false }
          pattern = pattern.dropFirst()
          path = path.dropFirst()
          continue
        }
        guard matched else { return false }
        pattern = rest
        path = path.dropFirst()
        continue
      case UInt8(ascii: "\\") where pattern.count > 1:
        pattern = pattern.dropFirst()
        guard path.first == pattern.first else { return false }
      default:
        guard path.first == head else { return false }
      }
      pattern = pattern.dropFirst()
      path = path.dropFirst()
    }
    return path.isEmpty
  }

  /// Matches `byte` against the class that starts right after `[`; nil when it never closes.
  private static func matchClass(_ pattern: ArraySlice<UInt8>, _ byte: UInt8)
    -> (Bool, ArraySlice<UInt8>)?
  {
    var rest = pattern
    var negate = false
    if rest.first == UInt8(ascii: "!") || rest.first == UInt8(ascii: "^") {
      negate = true
      rest = rest.dropFirst()
    }
    var matched = false
    var first = true
    while let current = rest.first {
      if current == UInt8(ascii: "]") && !first {
        return (matched != negate, rest.dropFirst())
      }
      first = false
      rest = rest.dropFirst()
      if rest.first == UInt8(ascii: "-"), let upper = rest.dropFirst().first, upper != UInt8(ascii: "]") {
        if current <= byte && byte <= upper { matched = true }
        rest = rest.dropFirst(2)
      } else if current == byte {
        matched = true
      }
    }
    return nil
  }
}
