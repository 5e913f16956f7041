import Clibgit2

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The certificate authorities an https remote's certificate must chain to: the system's CA
/// bundle (the default), or the ones a caller names, for a company's own CA; ``configured(environment:repository:)``
/// reads them where git does (`GIT_SSL_CAINFO` and `GIT_SSL_CAPATH` first, then
/// `http.sslCAInfo` and `http.sslCAPath`).
///
/// There is deliberately no way to turn verification off.
public struct TrustedCertificates: Sendable, Equatable {
  /// A path and the setting that named it, for the messages.
  public struct Setting: Sendable, Equatable {
    public let path: String
    public let source: String

    public init(path: String, source: String) {
      self.path = path
      self.source = source
    }
  }

  /// A file of PEM certificates, or nil.
  public var file: Setting?
  /// A folder of PEM certificates, or nil.
  public var folder: Setting?

  /// The system's authorities, or the file and folder given.
  public init(file: Setting? = nil, folder: Setting? = nil) {
    self.file = file
    self.folder = folder
  }

  /// What `environment` and then `repository`'s configuration name, as git reads them.
  public static func configured(environment: [String: String], repository: Repository) -> TrustedCertificates
  {
    func setting(_ variable: String, _ key: String) -> Setting? {
      if let value = environment[variable], !value.isEmpty { return Setting(path: value, source: variable) }
      return repository.configString(key).map { Setting(path: $0, source: key) }
    }
    return TrustedCertificates(
      file: setting("GIT_SSL_CAINFO", "http.sslCAInfo"), folder: setting("GIT_SSL_CAPATH", "http.sslCAPath"))
  }

  /// The system's authorities: nothing named.
  var isSystem: Bool { file == nil && folder == nil }

  /// Makes libgit2 trust exactly these authorities for the connections to come, until the lease
  /// goes away: the system bundle (its parse put off since init) or the ones named.
  ///
  /// libgit2 keeps one set for the whole process and frees the old chain when it installs a new
  /// one, so ``CertificateAuthorities`` replaces it only while no connection uses it: two remotes
  /// used at once in one process with different sets take turns, with the same set run together.
  func lease() throws(GitError) -> CertificateAuthorities.Lease {
    ensureLibgit2()
    return try CertificateAuthorities.shared.use(self)
  }

  /// Replaces libgit2's set, `previous`, by this one; no connection uses it meanwhile.
  /// `systemBundle` is the file libgit2 loaded at init, nil when unknown.
  func replace(_ previous: TrustedCertificates, systemBundle: String?) throws(GitError) {
    if let file { try Self.expect(file, folder: false) }
    if let folder { try Self.expect(folder, folder: true) }
    let named = [file, folder].compactMap { $0 }
    // Back to the system's bundle after another set: the file libgit2 loaded at init. Where it
    // was not seen (libgit2 without mbedTLS, or linked statically) it cannot be put back: refuse
    // rather than go on trusting the authorities named before.
    guard !named.isEmpty || systemBundle != nil else {
      throw Self.failure(
        "cannot trust the system's certificate authorities again after "
          + "\(previous.named.map(\.path).joined(separator: " and ")) in this process; run it in a process of its own"
      )
    }
    guard promptgate_set_certificate_locations(file?.path ?? systemBundle, folder?.path) == 0 else {
      // mbedTLS says "failed to load CA certificates: 0x2180 - X509 - The CRT/CRL/CSR format
      // is invalid": its last sentence is the reason.
      let reason =
        GitError.last(returned: -1).message.split(separator: " - ", omittingEmptySubsequences: false).last
        .map(String.init) ?? "unreadable"
      throw Self.failure(
        "could not read the certificates in \(named.map(\.path).joined(separator: " and ")) (\(reason)); "
          + "\(named.map(\.source).joined(separator: " and ")) must name PEM certificates")
    }
  }

  private var named: [Setting] { [file, folder].compactMap { $0 } }

  /// Throws, in words, when `setting` names nothing or the wrong kind of thing.
  private static func expect(_ setting: Setting, folder wantsFolder: Bool) throws(GitError) {
    var isFolder = false
    guard FileManager.default.fileExists(atPath: setting.path, isDirectory: &isFolder) else {
      throw failure("\(setting.source) names \(setting.path), which does not exist; correct or unset it")
    }
    guard isFolder == wantsFolder else {
      throw failure(
        wantsFolder
          ? "\(setting.source) names \(setting.path), which is not a folder; it takes a folder of PEM "
            + "certificates (a file goes in GIT_SSL_CAINFO or http.sslCAInfo)"
          : "\(setting.source) names \(setting.path), which is a folder; it takes a file of PEM certificates "
            + "(a folder goes in GIT_SSL_CAPATH or http.sslCAPath)")
    }
  }

  private static func failure(_ message: String) -> GitError {
    GitError(
      code: -1, errorClass: Int32(GIT_ERROR_SSL.rawValue), message: message, remoteProblem: .misconfigured)
  }
}

extension Repository {
  /// The value of the configuration variable `key` (`http.sslCAInfo`), as git reads it from the
  /// repository's, the user's and the system's files; nil when unset.
  func configString(_ key: String) -> String? {
    var configuration: OpaquePointer?
    guard git_repository_config_snapshot(&configuration, pointer) == 0, let configuration else {
      git_error_clear()
      return nil
    }
    defer { git_config_free(configuration) }
    var value: UnsafePointer<CChar>?
    guard git_config_get_string(&value, configuration, key) == 0, let value else {
      git_error_clear()
      return nil
    }
    return String(cString: value)
  }
}
