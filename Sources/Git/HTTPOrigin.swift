#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The scheme, host and port of an http or https URL: which server a request goes to, and so
/// whom credentials and `http.extraHeader` lines may be given.
struct HTTPOrigin: Equatable, CustomStringConvertible {
  let scheme: String
  let host: String
  let port: Int

  /// Nil for a URL that is not http or https.
  init?(_ components: URLComponents) {
    guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = components.host?.lowercased()
    else { return nil }
    self.scheme = scheme
    self.host = host
    self.port = components.port ?? (scheme == "https" ? 443 : 80)
  }

  init?(_ url: String) {
    guard let components = URLComponents(string: url) else { return nil }
    self.init(components)
  }

  var description: String { "\(host):\(port)" }
}
