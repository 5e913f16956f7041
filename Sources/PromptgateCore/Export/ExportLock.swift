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

/// `release.json` read back: the release it names and every file it lists, the release's and
/// the fallback bundle's, each with its SHA-256 and mode. What `export --verify` holds a folder
/// to, and checks against the lock an export would write now.
struct ExportLock {
  /// What the lock says of one file.
  struct Listed: Equatable {
    let sha256: String
    let mode: String
  }

  let json: JSONValue
  let environment: String
  let release: LedgerEvent.Release
  /// Every file listed, by the bytes of its path, in the lock's order. A path listed twice is
  /// kept twice, for the verification to name.
  let files: [(path: [UInt8], listed: Listed)]

  /// A lock bigger than this is not one promptgate wrote (a release of 100 000 files takes
  /// about 25 MB).
  static let maximumSize = 256 << 20

  /// Reads `<root>/release.json`, refusing (exit 2, with the fix) a folder without one, a link,
  /// something other than a file, and anything that is not a promptgate export lock.
  static func load(in root: String, environment: String) throws(PromptgateError) -> ExportLock {
    let path = root + "/" + ExportFolder.lock
    let again = "export again: promptgate export --env \(environment) --out \(root) --replace"
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
      switch errno {
      case ENOENT:
        if case .file = try ExportFolder.kind(at: root + "/" + ExportFolder.marker) {
          throw .input(
            "\(root) holds an export that did not finish (it has no \(ExportFolder.lock)); \(again)")
        }
        throw .input(
          "\(path) does not exist, so \(root) is not a promptgate export; give the folder that "
            + "promptgate export --out wrote")
      case ELOOP:
        throw .input("\(path) is a symbolic link, which promptgate never follows; \(again)")
      case let code:
        throw .input("cannot read \(path): \(String(cString: strerror(code))); \(again)")
      }
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      throw .input("\(path) is not a file; \(again)")
    }
    let tooLarge = PromptgateError.input(
      "\(path) is larger than \(maximumSize >> 20) MiB, which is no release.json promptgate wrote; \(again)")
    guard Int(info.st_size) <= maximumSize else { throw tooLarge }
    var bytes: [UInt8] = []
    let failure = DescriptorReader.forEachPiece(of: descriptor) { piece in
      bytes += piece
      return bytes.count <= maximumSize
    }
    if let failure { throw .input("cannot read \(path): \(String(cString: strerror(failure))); \(again)") }
    guard bytes.count <= maximumSize else { throw tooLarge }
    let json: JSONValue
    do {
      json = try JSONValue(parsing: bytes)
    } catch {
      throw .input("\(path) is not valid JSON (\(error)); \(again)")
    }
    return try ExportLock(json, describing: path, fix: again)
  }

  /// The lock in `json`; `describing` names it in messages, and `fix` says what to do.
  init(_ json: JSONValue, describing file: String, fix: String) throws(PromptgateError) {
    func malformed(_ what: String) -> PromptgateError {
      .input("\(file) \(what), so it is not a lock promptgate wrote; \(fix)")
    }
    guard json["kind"]?.string == ReleaseExport.lockKind else {
      throw malformed("does not say \"kind\": \"\(ReleaseExport.lockKind)\"")
    }
    guard let environment = json["environment"]?.string else { throw malformed("names no environment") }
    guard let commit = json["release"]?["commit"]?.string, let tree = json["release"]?["tree"]?.string else {
      throw malformed("names no release commit and tree")
    }
    guard let listed = json["files"]?.array else { throw malformed("has no \"files\" list") }
    var entries = listed
    if let fallback = json["fallback"], fallback != .null {
      guard let files = fallback["files"]?.array else { throw malformed("has a fallback without \"files\"") }
      entries += files
    }
    var files: [(path: [UInt8], listed: Listed)] = []
    for (index, entry) in entries.enumerated() {
      guard let path = entry["path"]?.string, let sha256 = entry["sha256"]?.string,
        let mode = entry["mode"]?.string
      else { throw malformed("lists a file (entry \(index + 1)) without path, mode and sha256") }
      files.append((Array(path.utf8), Listed(sha256: sha256, mode: mode)))
    }
    self.json = json
    self.environment = environment
    self.release = LedgerEvent.Release(commit: commit, tree: tree)
    self.files = files
  }
}
