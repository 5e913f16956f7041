import Clibgit2

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

/// A remote repository: one configured by name (`origin`), or a URL or path used once.
///
/// The one owner of its `git_remote` handle, freed in `deinit`; it keeps its repository alive.
/// Transports are libgit2's: local paths, `file://`, `ssh://` (and `user@host:path`), `https://`.
/// Credentials come from a ``CredentialProvider``, redirects follow ``redirects``, and an https
/// server's certificate must chain to ``certificates``: the caller decides each (promptgate's
/// Core reads them from the environment). Nothing here reads or writes a remote's
/// configured refspecs: every fetch and push names its refspecs explicitly.
public final class Remote {
  let repository: Repository
  let pointer: OpaquePointer
  /// The configured name, nil for a remote given by URL or path.
  public let name: String?
  /// The URL or path libgit2 connects to.
  public let url: String
  /// How this remote authenticates: none by default.
  public var credentials: any CredentialProvider
  /// Whom an https server's certificate must chain to: the system's authorities by default.
  public var certificates: TrustedCertificates
  /// Which HTTP redirects are followed: within the named host only by default, so credentials
  /// and `http.extraHeader` lines (tokens, often) go only to the host the user named.
  public var redirects: RedirectPolicy = .sameHost
  /// `http.extraHeader` lines to send (http and https only).
  var extraHeaders: [String]

  private init(repository: Repository, pointer: OpaquePointer, credentials: any CredentialProvider) {
    self.repository = repository
    self.pointer = pointer
    self.name = git_remote_name(pointer).map { String(cString: $0) }
    self.url = git_remote_url(pointer).map { String(cString: $0) } ?? ""
    self.credentials = credentials
    self.certificates = TrustedCertificates()
    self.extraHeaders = repository.httpExtraHeaders(for: url)
  }

  deinit {
    git_remote_free(pointer)
  }

  /// The remote configured as `name` (`remote.<name>.url`). Throws `.notFound` when there is none.
  public static func lookup(
    _ name: String, in repository: Repository, credentials: any CredentialProvider = RemoteCredentials()
  ) throws(GitError) -> Remote {
    ensureLibgit2()
    var handle: OpaquePointer?
    try check(git_remote_lookup(&handle, repository.pointer, name))
    return Remote(repository: repository, pointer: handle!, credentials: credentials)
  }

  /// A remote for `url` (a URL or a path), not written to the configuration.
  public static func anonymous(
    url: String, in repository: Repository, credentials: any CredentialProvider = RemoteCredentials()
  ) throws(GitError) -> Remote {
    ensureLibgit2()
    var handle: OpaquePointer?
    try check(git_remote_create_anonymous(&handle, repository.pointer, url))
    return Remote(repository: repository, pointer: handle!, credentials: credentials)
  }

  /// The names of the remotes configured in `repository`, as `git remote` lists them.
  public static func names(in repository: Repository) -> [String] {
    ensureLibgit2()
    var list = git_strarray()
    defer { git_strarray_dispose(&list) }
    guard git_remote_list(&list, repository.pointer) == 0 else {
      git_error_clear()
      return []
    }
    return (0..<list.count).compactMap { list.strings[$0].map { String(cString: $0) } }
  }

  /// The references the remote advertises right now, by full name, as `git ls-remote` lists them.
  public func advertisedReferences() throws(GitError) -> [String: ObjectID] {
    let state = RemoteCallbackState(credentials: credentials, certificates: certificates, url: url)
    var options = git_remote_connect_options()
    try check(git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION)))
    try state.install(into: &options.callbacks)
    options.follow_redirects = redirectSetting
    // The headers stay allocated until the connection is closed.
    return try withExtendedLifetime(state) { () throws(GitError) -> [String: ObjectID] in
      try withStringArray(try checkedHeaders()) { (headers) throws(GitError) -> [String: ObjectID] in
        options.custom_headers = headers
        try state.checking(git_remote_connect_ext(pointer, GIT_DIRECTION_FETCH, &options))
        defer { git_remote_disconnect(pointer) }
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try check(git_remote_ls(&heads, &count, pointer))
        var found: [String: ObjectID] = [:]
        for index in 0..<count {
          guard let head = heads?[index]?.pointee, let name = head.name else { continue }
          found[String(cString: name)] = ObjectID(head.oid)
        }
        return found
      }
    }
  }

  /// Fetches exactly `refspecs` (`+refs/promptgate/ledger:refs/promptgate/remotes/origin/ledger`):
  /// no tags, no pruning, no FETCH_HEAD. A source the remote does not have is skipped.
  public func fetch(_ refspecs: [String], reflogMessage: String) throws(GitError) {
    let state = RemoteCallbackState(credentials: credentials, certificates: certificates, url: url)
    var options = git_fetch_options()
    try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)))
    options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
    options.prune = GIT_FETCH_NO_PRUNE
    options.update_fetchhead = 0
    options.follow_redirects = redirectSetting
    try state.install(into: &options.callbacks)
    try withExtendedLifetime(state) { () throws(GitError) in
      try withStringArray(try checkedHeaders()) { (headers) throws(GitError) in
        options.custom_headers = headers
        try withStringArray(refspecs) { (array) throws(GitError) in
          try state.checking(git_remote_fetch(pointer, &array, &options, reflogMessage))
        }
      }
    }
  }

  /// Moves each `update.reference` on the remote to `update.target`, only where the remote
  /// still holds `update.expected` (nil: only where the reference does not exist), as
  /// `git push --force-with-lease=<ref>:<expected>` does. Updates whose lease holds are made one
  /// by one, the others are reported; not all-or-nothing, so push one commit point at a time.
  ///
  /// Throws ``PushError/rejected(_:)`` naming each reference the remote refused or whose lease
  /// failed, and ``PushError/failed(_:)`` when the remote could not be reached or read.
  public func push(_ updates: [PushUpdate]) throws(PushError) {
    guard !updates.isEmpty else { return }
    if let path = localPath {
      try pushLocally(updates, to: path)
    } else {
      try pushThroughTransport(updates)
    }
  }

  /// libgit2 builds the pack and talks to `git receive-pack`, which moves each reference only if
  /// it still holds the id the remote advertised; the push-negotiation callback checks that
  /// advertised id against the expectation before anything is sent.
  private func pushThroughTransport(_ updates: [PushUpdate]) throws(PushError) {
    let state = RemoteCallbackState(credentials: credentials, certificates: certificates, url: url)
    state.expectations = Dictionary(updates.map { ($0.reference, $0.expected) }) { first, _ in first }
    var options = git_push_options()
    let pushHeaders: [String]
    do {
      try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)))
      try state.install(into: &options.callbacks)
      options.follow_redirects = redirectSetting
      pushHeaders = try checkedHeaders()
    } catch {
      throw .failed(error)
    }
    state.installPushCallbacks(into: &options.callbacks)
    // libgit2 1.5 pushes from local references only (not ids): each target gets a temporary
    // one under refs/promptgate-push/, removed when the push is over.
    let token = "refs/promptgate-push/\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    var sources: [String] = []
    defer {
      for source in sources where git_reference_remove(repository.pointer, source) < 0 { git_error_clear() }
    }
    for (index, update) in updates.enumerated() {
      var oid = update.target.oid
      var reference: OpaquePointer?
      do {
        try check(git_reference_create(&reference, repository.pointer, "\(token)/\(index)", &oid, 0, nil))
      } catch {
        throw .failed(error)
      }
      git_reference_free(reference)
      sources.append("\(token)/\(index)")
    }
    // A lease is checked, not a fast-forward: a force refspec lets libgit2 send an update that
    // moves backwards (an environment after a rollback) and the lease keeps it safe.
    let refspecs = zip(sources, updates).map { "+\($0):\($1.reference)" }
    let result = withExtendedLifetime(state) {
      withStringArray(pushHeaders) { headers in
        options.custom_headers = headers
        return withStringArray(refspecs) { array in git_remote_push(pointer, &array, &options) }
      }
    }
    if !state.rejections.isEmpty {
      if result < 0 { git_error_clear() }
      throw .rejected(state.rejections)
    }
    if result < 0 {
      do {
        try state.checking(result)
      } catch {
        throw .failed(error)
      }
    }
  }

  /// libgit2's setting for ``redirects``.
  private var redirectSetting: git_remote_redirect_t {
    switch redirects {
    case .sameHost: GIT_REMOTE_REDIRECT_NONE
    case .initialRequest: GIT_REMOTE_REDIRECT_INITIAL
    case .always: GIT_REMOTE_REDIRECT_ALL
    }
  }

  /// `extraHeaders`, once libgit2 would take them (see ``HTTPExtraHeaders/check(_:)``).
  private func checkedHeaders() throws(GitError) -> [String] {
    try HTTPExtraHeaders.check(extraHeaders)
    return extraHeaders
  }

  /// The folder libgit2's local transport would use: a `file://` URL or an existing folder.
  var localPath: String? {
    if url.hasPrefix("file://") {
      let path = String(url.dropFirst("file://".count))
      return percentDecoded(path) ?? path
    }
    if url.utf8.firstRange(of: "://".utf8) != nil { return nil }
    var isFolder = false
    return FileManager.default.fileExists(atPath: url, isDirectory: &isFolder) && isFolder
      ? url : nil
  }
}

/// One reference to move on a remote, and what it must still hold for the move to be made.
public struct PushUpdate: Sendable, Hashable {
  /// The full reference name on the remote.
  public let reference: String
  public let target: ObjectID
  /// The id the remote must still hold; nil when the reference must not exist yet.
  public let expected: ObjectID?

  public init(reference: String, target: ObjectID, expected: ObjectID?) {
    self.reference = reference
    self.target = target
    self.expected = expected
  }
}

/// A reference the remote did not move, and why (as the remote or the lease check said).
public struct PushRejection: Sendable, Hashable, CustomStringConvertible {
  public let reference: String
  public let reason: String

  public init(reference: String, reason: String) {
    self.reference = reference
    self.reason = reason
  }

  public var description: String { "\(reference): \(reason)" }
}

/// Why a push did not complete.
public enum PushError: Error, Sendable, CustomStringConvertible {
  /// The remote was reached, and these references were not moved (another writer got there
  /// first, or a hook said no). References not listed may have moved.
  case rejected([PushRejection])
  /// The remote could not be reached, read or written.
  case failed(GitError)

  public var description: String {
    switch self {
    case .rejected(let rejections): rejections.map(\.description).joined(separator: "; ")
    case .failed(let error): error.message
    }
  }
}

/// Calls `body` with a `git_strarray` holding copies of `strings`, freed afterwards.
func withStringArray<Result, Failure: Error>(
  _ strings: [String], _ body: (inout git_strarray) throws(Failure) -> Result
) throws(Failure) -> Result {
  let copies = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: max(strings.count, 1))
  for (index, string) in strings.enumerated() {
    copies[index] = strdup(string)
  }
  defer {
    for index in 0..<strings.count { free(copies[index]) }
    copies.deallocate()
  }
  var array = git_strarray(strings: copies, count: strings.count)
  return try body(&array)
}

/// `text` with each `%XX` replaced by the byte it encodes, as libgit2 reads a `file://` URL; nil
/// when an escape is not two hex digits or the bytes are not UTF-8.
private func percentDecoded(_ text: String) -> String? {
  var bytes: [UInt8] = []
  var rest = text.utf8[...]
  while let byte = rest.popFirst() {
    guard byte == UInt8(ascii: "%") else {
      bytes.append(byte)
      continue
    }
    guard rest.count >= 2, let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16)
    else {
      return nil
    }
    bytes.append(value)
    rest = rest.dropFirst(2)
  }
  return String(validating: bytes, as: UTF8.self)
}
