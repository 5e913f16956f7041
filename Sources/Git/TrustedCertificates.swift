import CDeferredCertificates
import Clibgit2
import Foundation

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

  /// Makes libgit2 trust exactly these authorities for the connections to come: the system
  /// bundle (put off since init, see ``Libgit2/loadCertificates()``) or the ones named.
  ///
  /// libgit2 keeps one set for the whole process and frees the old chain when it installs a new
  /// one, so installing is serialised and done only when the set changes: two remotes used at
  /// once in one process (the tests do) must not free the chain under each other.
  func install() throws(GitError) {
    try Libgit2.loadCertificates()
    try Self.installed.withLock { (current: inout TrustedCertificates) throws(GitError) in
      guard self != current else { return }
      if let file { try Self.expect(file, folder: false) }
      if let folder { try Self.expect(folder, folder: true) }
      let named = [file, folder].compactMap { $0 }
      // Back to the system's bundle after another set: the file libgit2 loaded at init.
      let defaultFile =
        named.isEmpty ? promptgate_certificates_default_path().map { String(cString: $0) } : nil
      guard !named.isEmpty || defaultFile != nil else { return }
      guard promptgate_set_certificate_locations(file?.path ?? defaultFile, folder?.path) == 0 else {
        // mbedTLS says "failed to load CA certificates: 0x2180 - X509 - The CRT/CRL/CSR format
        // is invalid": its last sentence is the reason.
        let reason = GitError.last(returned: -1).message.components(separatedBy: " - ").last ?? "unreadable"
        throw Self.failure(
          "could not read the certificates in \(named.map(\.path).joined(separator: " and ")) (\(reason)); "
            + "\(named.map(\.source).joined(separator: " and ")) must name PEM certificates")
      }
      current = self
    }
  }

  /// What libgit2 trusts now: at first, the system's bundle.
  private static let installed = Locked(TrustedCertificates())

  /// Throws, in words, when `setting` names nothing or the wrong kind of thing.
  private static func expect(_ setting: Setting, folder wantsFolder: Bool) throws(GitError) {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: setting.path, isDirectory: &isFolder) else {
      throw failure("\(setting.source) names \(setting.path), which does not exist; correct or unset it")
    }
    guard isFolder.boolValue == wantsFolder else {
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
