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

/// The system's own words for a failed file operation ("Permission denied", "No such file or
/// directory"), which name the cause where FileManager's error names only the operation.
public enum FileError {
  public static func reason(_ error: any Error) -> String {
    let posix = (error as? CocoaError)?.underlying as? POSIXError ?? error as? POSIXError
    if let code = posix?.code.rawValue { return String(cString: strerror(code)) }
    return "\(error)"
  }
}
