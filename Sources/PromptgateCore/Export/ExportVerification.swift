import Git

/// `promptgate export --verify <dir> --env <env>`: is this folder exactly what the environment
/// runs, so a deploy step may ship it?
///
/// The truth is the ledger and git, never the folder: after verifying the ledger (as every
/// command that acts on it does), the release deployed now is looked up, and the lock an export
/// of it would write now is computed from its tree — the same code that writes an export, with
/// no folder. Then:
/// - `release.json` must name that release (else the environment moved on: one problem naming
///   both commits, and nothing more is checked), list exactly the files that export holds
///   (the release's and the fallback bundle's) with their SHA-256 and mode, and carry the
///   provenance the ledger gives now. A lock edited to match changed files is caught here.
/// - The folder must hold exactly the files the lock lists, byte for byte, with their
///   executable bit, and nothing else: no other file, no empty folder, no symbolic link (never
///   followed), no fifo or device. Only `release.json` itself is not listed.
///
/// A folder that cannot be verified at all (missing, not a folder, a link, no readable
/// `release.json`) is bad input, exit 2; a folder that differs is a list of problems, exit 1.
public struct ExportVerification: Sendable {
  /// The folder, as given without trailing slashes.
  public let folder: String
  public let environment: String
  /// What the environment runs, and the ledger event that put it there.
  public let commit: String
  public let sequence: Int
  /// How many files the folder holds besides `release.json`, all listed.
  public let files: Int
  /// One line each, paths quoted as git quotes them; empty when the folder is verified.
  public let problems: [String]

  public var verified: Bool { problems.isEmpty }

  public static func verify(_ folder: String, environment: String, in repository: Repository)
    throws(PromptgateError) -> ExportVerification
  {
    let root = ExportFolder.trimmingTrailingSlashes(folder)
    guard !root.isEmpty else { throw .input("no folder given to verify; give the folder an export wrote") }
    switch try ExportFolder.kind(at: root) {
    case .folder: break
    case .missing:
      throw .input("\(root) does not exist; give the folder that promptgate export --out wrote")
    case .link:
      throw .input("\(root) is a symbolic link, which promptgate never follows; give the real folder's path")
    case .file, .other:
      throw .input("\(root) is not a folder; give the folder that promptgate export --out wrote")
    }
    let lock = try ExportLock.load(in: root, environment: environment)

    // Nothing is verified on the word of an event that fails the audit (SPEC §7).
    let ground = try EnvironmentMove.Ground(environment, in: repository)
    let state = ground.state
    guard let deployed = state.deployed, let sequence = state.deployedBy else {
      throw PromptgateError(
        .blocked,
        "nothing is deployed in \(environment), so \(root) is not what it runs; deploy nothing from it")
    }
    func result(_ problems: [String]) -> ExportVerification {
      ExportVerification(
        folder: root, environment: environment, commit: deployed.commit, sequence: sequence,
        files: lock.files.count, problems: problems)
    }
    guard lock.release.commit == deployed.commit else {
      return result([
        "\(environment) moved on: it runs \(deployed.commit.prefix(7)) (ledger #\(sequence)), and \(root) "
          + "holds \(lock.release.commit.prefix(7)); export again"
      ])
    }

    let commit = try ReleaseExport.deployedCommit(of: state, in: repository)
    let short = commit.id.short()
    var problems: [String] = []
    if lock.environment != environment {
      problems.append(
        "release.json is an export of \(lock.environment), not of \(environment); export \(environment) itself"
      )
    }
    if lock.release.tree != commit.tree.hex {
      problems.append(
        "release.json names the tree \(lock.release.tree.prefix(7)), but \(short)'s is \(commit.tree.short())"
      )
    }

    let bundle = try ReleaseExport.fallback(for: commit, in: state, repository: repository).bundle
    let provenance = try ExportProvenance.of(state, ledger: ground.ledger, in: repository)
    let expectedJSON = try ReleaseExport.expectedLock(
      commit, environment: environment, in: repository, fallback: bundle, provenance: provenance)
    let expected = try ExportLock(
      expectedJSON, describing: "the lock of \(short)", fix: "this is a bug in promptgate; report it")
    problems += lockProblems(lock, expected: expected, release: short)
    problems += bundleProblems(
      lock.json["fallback"], expected: expectedJSON["fallback"], environment: environment)
    problems += provenanceProblems(lock.json["provenance"], expected: provenance, environment: environment)
    problems += folderProblems(try ExportFolderScan(root), lock: lock)
    return result(problems)
  }

  /// The lock must list exactly what an export of the release holds, hash for hash.
  private static func lockProblems(_ lock: ExportLock, expected: ExportLock, release: String) -> [String] {
    var problems: [String] = []
    var listed: [[UInt8]: ExportLock.Listed] = [:]
    for (path, entry) in lock.files {
      if listed[path] != nil { problems.append("\(ExportPath.quoted(path)): listed twice in release.json") }
      listed[path] = entry
    }
    let truth = Dictionary(
      expected.files.map { ($0.path, $0.listed) }, uniquingKeysWith: { first, _ in first })
    for path in Set(listed.keys).union(truth.keys).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      let quoted = ExportPath.quoted(path)
      switch (listed[path], truth[path]) {
      case (let entry?, let real?):
        if entry.sha256 != real.sha256 {
          problems.append(
            "\(quoted): release.json gives the SHA-256 \(entry.sha256.prefix(12))…, but the file in \(release) "
              + "hashes to \(real.sha256.prefix(12))…: release.json was edited")
        } else if entry.mode != real.mode {
          problems.append(
            "\(quoted): release.json gives the mode \(entry.mode), but \(release) has \(real.mode)")
        }
      case (_?, nil):
        problems.append("\(quoted): release.json lists it, but no export of \(release) holds it")
      case (nil, _?):
        problems.append("\(quoted): a file of the export of \(release) that release.json does not list")
      case (nil, nil):
        break
      }
    }
    return problems
  }

  /// The fallback bundle must be the one the runbook and the ledger give now: a previous
  /// release marked bad since the export is no fallback.
  private static func bundleProblems(_ lock: JSONValue?, expected: JSONValue?, environment: String)
    -> [String]
  {
    func described(_ fallback: JSONValue?) -> String {
      guard let fallback, fallback != .null, let strategy = fallback["strategy"]?.string else {
        return "none"
      }
      let detail =
        fallback["release"]?["commit"]?.string.map { String($0.prefix(7)) } ?? fallback["source"]?.string
        ?? fallback["queue"]?.string
      return detail.map { "\(strategy) \($0)" } ?? strategy
    }
    func withoutFiles(_ fallback: JSONValue?) -> JSONValue? {
      guard case .object(var members)? = fallback else { return fallback }
      members["files"] = nil
      return .object(members)
    }
    guard withoutFiles(lock) != withoutFiles(expected) else { return [] }
    return [
      "release.json's fallback is \(described(lock)), but \(environment) falls back to \(described(expected)) "
        + "now; export again"
    ]
  }

  /// The provenance must be what the ledger says of the event that deployed the release now.
  private static func provenanceProblems(_ lock: JSONValue?, expected: ExportProvenance?, environment: String)
    -> [String]
  {
    guard let expected, lock != expected.json else { return [] }
    guard let lock, lock != .null else {
      return ["release.json records no provenance (an earlier promptgate wrote it); export again"]
    }
    if let recorded = lock["event"]?["sequence"]?.integer, recorded != Int64(expected.event.sequence) {
      return [
        "release.json's provenance names ledger #\(recorded), but \(environment) runs this release since "
          + "#\(expected.event.sequence); export again"
      ]
    }
    return ["release.json's provenance is not what the ledger records for #\(expected.event.sequence)"]
  }

  /// The folder must hold exactly the files the lock lists, and nothing else.
  private static func folderProblems(_ scan: ExportFolderScan, lock: ExportLock) -> [String] {
    let listed = Dictionary(lock.files.map { ($0.path, $0.listed) }, uniquingKeysWith: { first, _ in first })
    // The folders of listed files: one left empty by a removed file is told by that file.
    var listedFolders: Set<[UInt8]> = []
    for path in listed.keys {
      var folder = path
      while let slash = folder.lastIndex(of: UInt8(ascii: "/")) {
        folder = Array(folder[..<slash])
        guard listedFolders.insert(folder).inserted else { break }
      }
    }
    var problems: [String] = []
    for path in Set(listed.keys).union(scan.entries.keys).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      // The empty path is the folder itself, when it could not be listed.
      let quoted = path.isEmpty ? "." : ExportPath.quoted(path)
      guard let found = scan.entries[path] else {
        problems.append("\(quoted): missing (release.json lists it)")
        continue
      }
      switch found {
      case .file(let sha256, let executable):
        guard let entry = listed[path] else {
          problems.append(
            path == Array(ExportFolder.marker.utf8)
              ? "\(quoted): the marker of an export that did not finish"
              : "\(quoted): not in release.json (added after the export)")
          continue
        }
        if sha256 != entry.sha256 {
          problems.append(
            "\(quoted): changed since the export (SHA-256 \(sha256.prefix(12))…, release.json lists "
              + "\(entry.sha256.prefix(12))…)")
        } else if executable != (entry.mode == "100755") {
          problems.append(
            "\(quoted): \(executable ? "executable" : "not executable"), but release.json gives the mode \(entry.mode)"
          )
        }
      case .link:
        problems.append("\(quoted): a symbolic link (not followed); an export holds none")
      case .emptyFolder:
        guard !listedFolders.contains(path) else { continue }
        problems.append("\(quoted)/: an empty folder, which no export writes")
      case .special:
        problems.append("\(quoted): not a regular file (a fifo, socket or device)")
      case .unreadable(let reason):
        problems.append("\(quoted): cannot be read (\(reason))")
      }
    }
    return problems
  }
}
