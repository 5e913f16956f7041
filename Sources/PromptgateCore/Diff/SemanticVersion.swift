/// A semantic version (semver.org 2.0): `1.4.2`, `2.0.0-rc.1`, `1.0.0+build.5`.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let major: Int
  public let minor: Int
  public let patch: Int
  /// Dot-separated pre-release identifiers (`rc.1`); empty for a release.
  public let prerelease: [String]
  public let text: String

  /// Parses `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, with an optional leading `v`.
  public init?(_ text: String) {
    var rest = Substring(text.trimmingWhitespace)
    if rest.first == "v" { rest = rest.dropFirst() }
    if let plus = rest.firstIndex(of: "+") { rest = rest[..<plus] }
    var prerelease: [String] = []
    if let dash = rest.firstIndex(of: "-") {
      prerelease = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
        .map(String.init)
      guard prerelease.allSatisfy({ !$0.isEmpty }) else { return nil }
      rest = rest[..<dash]
    }
    let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard numbers.count == 3,
      numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let major = Int(numbers[0]), let minor = Int(numbers[1]), let patch = Int(numbers[2])
    else { return nil }
    self.major = major
    self.minor = minor
    self.patch = patch
    self.prerelease = prerelease
    self.text = text.trimmingWhitespace
  }

  public var description: String { text }

  public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
    (lhs.major, lhs.minor, lhs.patch) == (rhs.major, rhs.minor, rhs.patch) && lhs.prerelease == rhs.prerelease
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(major)
    hasher.combine(minor)
    hasher.combine(patch)
    hasher.combine(prerelease)
  }

  /// semver precedence: numbers first; a pre-release sorts before its release; identifiers
  /// compare numerically when both are numbers, else as text, numbers before text.
  public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
    if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
      return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
    switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
    case (true, true), (true, false): return false
    case (false, true): return true
    case (false, false): break
    }
    for (left, right) in zip(lhs.prerelease, rhs.prerelease) where left != right {
      switch (Int(left), Int(right)) {
      case (let l?, let r?): return l < r
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return left < right
      }
    }
    return lhs.prerelease.count < rhs.prerelease.count
  }
}
