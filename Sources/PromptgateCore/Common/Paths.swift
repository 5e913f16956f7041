#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// File paths as text, the way a shell reads them.
public enum Paths {
  /// The folder `path` is in: `a/b/c` → `a/b`, `/a` → `/`, `a` → `` (trailing slashes ignored).
  public static func parent(of path: String) -> String {
    var path = Substring(path)
    while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
    guard let slash = path.lastIndex(of: "/") else { return "" }
    if slash == path.startIndex { return "/" }
    var parent = path[..<slash]
    while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
    return String(parent)
  }

  /// `name` inside `folder`, with one slash between them however `folder` ends (libgit2 ends its
  /// git folders with one): `a/` + `b` → `a/b`, `a` + `b` → `a/b`, `` + `b` → `b`.
  public static func appending(_ name: String, to folder: String) -> String {
    if folder.isEmpty { return name }
    return folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// The last part of `path`: `a/b/c` → `c`.
  public static func lastComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// `~` and `~/…` as the home folder (`$HOME`, else the user's entry); `~name/…` as that user's;
  /// anything else as it is.
  public static func expandingTilde(_ path: String) -> String {
    guard path.hasPrefix("~") else { return path }
    let name = path.dropFirst().prefix { $0 != "/" }
    let rest = path.dropFirst(1 + name.count)
    let home: String?
    if name.isEmpty {
      home =
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        ?? homeOf(getpwuid(getuid()))
    } else {
      home = homeOf(getpwnam(String(name)))
    }
    guard let home else { return path }
    return home + rest
  }

  private static func homeOf(_ entry: UnsafeMutablePointer<passwd>?) -> String? {
    entry.flatMap { $0.pointee.pw_dir }.map { String(cString: $0) }
  }
}
