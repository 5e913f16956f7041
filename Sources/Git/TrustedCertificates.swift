import CDeferredCertificates
import Clibgit2

/// The certificate authorities an https remote's certificate must chain to: the system's CA
/// bundle, unless the user names others the way git reads them (`GIT_SSL_CAINFO` and
/// `GIT_SSL_CAPATH` first, then `http.sslCAInfo` and `http.sslCAPath`), for a company's own CA.
///
/// There is deliberately no way to turn verification off.
struct TrustedCertificates: Equatable {
  /// A file of PEM certificates, or nil.
  var file: String?
  /// A folder of PEM certificates, or nil.
  var folder: String?

  /// What `environment` and then `repository`'s configuration name.
  static func configured(environment: [String: String], repository: Repository) -> TrustedCertificates {
    func setting(_ variable: String, _ key: String) -> String? {
      if let value = environment[variable], !value.isEmpty { return value }
      return repository.configString(key)
    }
    return TrustedCertificates(
      file: setting("GIT_SSL_CAINFO", "http.sslCAInfo"), folder: setting("GIT_SSL_CAPATH", "http.sslCAPath"))
  }

  /// Makes libgit2 trust exactly these authorities for the connections to come: the system
  /// bundle (put off since init, see ``Libgit2/loadCertificates()``) or the ones named.
  func install() throws(GitError) {
    try Libgit2.loadCertificates()
    guard file != nil || folder != nil else { return }
    guard promptgate_set_certificate_locations(file, folder) == 0 else {
      let named = [file, folder].compactMap { $0 }.joined(separator: " and ")
      throw GitError(
        code: -1, errorClass: Int32(GIT_ERROR_SSL.rawValue),
        message: "could not read the CA certificates in \(named): \(GitError.last(returned: -1).message); "
          + "correct or unset GIT_SSL_CAINFO, GIT_SSL_CAPATH, http.sslCAInfo or http.sslCAPath, "
          + "whichever names it")
    }
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
