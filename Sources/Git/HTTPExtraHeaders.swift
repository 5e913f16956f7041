import Clibgit2

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Repository {
  /// The extra HTTP headers git would send to `url`: every `http.extraHeader` and
  /// `http.<url>.extraHeader` value whose `<url>` matches, from the system's configuration to
  /// the repository's, an empty value clearing those before it. `actions/checkout` leaves the
  /// job's token there (`http.https://github.com/.extraheader`), and Azure Pipelines its bearer
  /// token; libgit2 itself does not read the setting.
  func httpExtraHeaders(for url: String) -> [String] {
    guard let target = URLComponents(string: url), HTTPOrigin(target) != nil else { return [] }
    var configuration: OpaquePointer?
    guard git_repository_config_snapshot(&configuration, pointer) == 0, let configuration else {
      git_error_clear()
      return []
    }
    defer { git_config_free(configuration) }
    var iterator: OpaquePointer?
    guard git_config_iterator_glob_new(&iterator, configuration, "^http\\..*extraheader$") == 0,
      let iterator
    else {
      git_error_clear()
      return []
    }
    defer { git_config_iterator_free(iterator) }
    // libgit2 lists the repository's entries first; git reads them last.
    var entries: [(level: Int32, order: Int, scope: String, value: String)] = []
    var entry: UnsafeMutablePointer<git_config_entry>?
    while git_config_next(&entry, iterator) == 0, let found = entry?.pointee {
      let name = String(cString: found.name)
      let scope = String(name.dropFirst("http.".count).dropLast("extraheader".count).dropLast())
      entries.append(
        (found.level.rawValue, entries.count, scope, found.value.map { String(cString: $0) } ?? ""))
    }
    git_error_clear()
    var headers: [String] = []
    for found in entries.sorted(by: { ($0.level, $0.order) < ($1.level, $1.order) })
    where found.scope.isEmpty || Self.urlMatches(found.scope, target) {
      if found.value.isEmpty { headers.removeAll() } else { headers.append(found.value) }
    }
    return headers
  }

  /// Whether the `<url>` of an `http.<url>.*` setting covers `target`, as git's urlmatch says
  /// for plain URLs: same scheme, host and port, the same user when it names one, and a path
  /// that is a prefix of the target's at a `/`.
  static func urlMatches(_ pattern: String, _ target: URLComponents) -> Bool {
    guard let scope = URLComponents(string: pattern), let origin = HTTPOrigin(scope),
      origin == HTTPOrigin(target)
    else { return false }
    if let user = scope.user, user != target.user { return false }
    let prefix = scope.path.hasSuffix("/") ? String(scope.path.dropLast()) : scope.path
    return target.path == prefix || target.path.hasPrefix(prefix + "/") || prefix.isEmpty
  }
}

/// The checks libgit2 makes of extra headers, made first so the error never shows a header's
/// value: it is often a token, and CI logs are read by many.
enum HTTPExtraHeaders {
  /// Headers libgit2 sets itself and refuses to be given.
  private static let reserved: Set<String> = [
    "user-agent", "host", "accept", "content-type", "transfer-encoding", "content-length",
  ]

  /// Throws, naming the setting and the header's name only, when libgit2 would refuse `headers`.
  static func check(_ headers: [String]) throws(GitError) {
    for (index, header) in headers.enumerated() {
      let name = header.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let isBlank = { (character: Character) in character == " " || character == "\t" }
      var trimmed = name.drop(while: isBlank)
      while let last = trimmed.last, isBlank(last) { trimmed = trimmed.dropLast() }
      let place = "http.extraHeader value \(index + 1) for this remote"
      // Bytes, not characters: "\r\n" is one Swift Character, and a space followed by a
      // combining mark another, which a Character search would not find.
      let bytes = header.utf8
      guard bytes.contains(UInt8(ascii: ":")), !trimmed.isEmpty, !bytes.contains(0x0D), !bytes.contains(0x0A),
        !trimmed.utf8.contains(UInt8(ascii: " "))
      else {
        throw failure(
          "\(place) is not `Name: value` (its value is not shown); correct it in git's configuration")
      }
      if reserved.contains(trimmed.lowercased()) {
        throw failure(
          "\(place) sets \(trimmed), which libgit2 sets itself (its value is not shown); remove it from git's "
            + "configuration")
      }
    }
  }

  private static func failure(_ message: String) -> GitError {
    GitError(
      code: -1, errorClass: Int32(GIT_ERROR_NET.rawValue), message: message, remoteProblem: .misconfigured)
  }
}
