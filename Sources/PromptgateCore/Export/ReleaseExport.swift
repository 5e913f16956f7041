import Git

/// Writes one release's files into a folder, safely, with a lock file describing them.
///
/// This is what deploy tooling picks up, so the folder must hold the release's bytes and
/// nothing else: a hostile tree (one built with `git mktree`, which accepts names a checkout
/// refuses) must not write outside the folder or into a `.git`, and a link in the folder must
/// not redirect a write. `release.json` lists every file with its SHA-256 and, when given, the
/// release's ``ExportProvenance``; it leaves out when the export ran, so exporting the same
/// deployment twice gives the same lock, byte for byte, and `export --verify` can compare.
///
/// What is refused, and how:
/// - **Warnings** (the entry is skipped, recorded under `skipped` in the lock, the export goes
///   on): a path with a `..` or `.` component, an absolute or empty path, a `.git` component in
///   any case (or as HFS+/NTFS spell it), a control character (U+0000–U+001F, U+007F, C1) or a
///   backslash; a symbolic link ("symlink not exported": links are never followed nor written);
///   a submodule; an unknown mode; a name that collides with an earlier one on a case-insensitive
///   file system or is too long for it. Each is one entry the tree should not have held; the
///   rest of the release is still exactly what git stores, and the lock says what is missing.
/// - **Errors** (nothing more is written): the folder is a symbolic link, is not a folder, or is
///   not empty without `replace`; `replace` on a folder that holds no earlier export or holds a
///   link; a symbolic link found inside the folder while writing (someone else is writing there);
///   a release file where the export puts its own (`release.json`, `fallback/`); a static
///   response that is not a regular file of the release; an empty handoff queue; an object that
///   cannot be read; any failed write. Errors about the folder or the fallback are raised before
///   the first file is written.
public struct ReleaseExport {
  /// An entry that was not exported, and why.
  public struct Warning: Sendable, Hashable {
    /// Relative to the export folder (`fallback/...` for the previous release's files).
    public let path: String
    public let message: String

    public init(path: String, message: String) {
      self.path = path
      self.message = message
    }
  }

  /// What an export wrote.
  public struct Result: Sendable {
    /// Every file written, relative to the folder, in the order written; `release.json` last.
    public let written: [String]
    public let warnings: [Warning]
    /// The content of `release.json`.
    public let lock: JSONValue

    public init(written: [String], warnings: [Warning], lock: JSONValue) {
      self.written = written
      self.warnings = warnings
      self.lock = lock
    }
  }

  /// The format of `release.json`, so a reader can tell a later version.
  public static let lockKind = "promptgate.export/v1"

  /// Writes every file of `commit`'s tree under `folder` (created if missing; must be empty or
  /// absent unless `replace` is true), plus `release.json`.
  ///
  /// With `replace`, `folder` must hold an earlier export (its `release.json`, or the marker of
  /// an interrupted one); its content is removed first, so no file of the earlier release
  /// survives. A folder being written holds `.promptgate-export-incomplete` until the lock is in
  /// place: a process killed midway leaves that marker, never a half-written file under its
  /// final name. `provenance`, when given, is recorded in the lock under `provenance`.
  public static func export(
    _ commit: Commit, environment: String, in repository: Repository, to folder: String,
    replace: Bool = false, fallback: FallbackBundle? = nil, provenance: ExportProvenance? = nil
  ) throws(PromptgateError) -> Result {
    try run(
      commit, environment: environment, in: repository, fallback: fallback, provenance: provenance,
      writingTo: (folder, replace))
  }

  /// The `release.json` an export of `commit` would write, computed from git alone without
  /// touching a folder: every file the export holds, with its SHA-256, as no file system's
  /// limits cut it down. What `export --verify` compares a folder and its lock with.
  static func expectedLock(
    _ commit: Commit, environment: String, in repository: Repository, fallback: FallbackBundle?,
    provenance: ExportProvenance?
  ) throws(PromptgateError) -> JSONValue {
    try run(
      commit, environment: environment, in: repository, fallback: fallback, provenance: provenance,
      writingTo: nil
    ).lock
  }

  private static func run(
    _ commit: Commit, environment: String, in repository: Repository, fallback: FallbackBundle?,
    provenance: ExportProvenance?, writingTo target: (folder: String, replace: Bool)?
  ) throws(PromptgateError) -> Result {
    let files = try ExportSession.files(of: commit, in: repository)
    try refuseReservedNames(in: files, fallback: fallback)
    let plan = try FallbackPlan(fallback, releaseFiles: files, repository: repository)

    let folder = try target.map { target throws(PromptgateError) in
      try ExportFolder.prepare(target.folder, replace: target.replace)
    }
    var session = ExportSession(repository: repository, folder: folder)
    let locked = try session.writeTree(files, under: "")
    var fallbackLock = JSONValue.null
    if let plan { fallbackLock = try plan.write(in: &session) }

    var members: [String: JSONValue] = [
      "kind": .string(lockKind),
      "environment": .string(environment),
      "release": .object(["commit": .string(commit.id.hex), "tree": .string(commit.tree.hex)]),
      "files": LockedFile.json(locked),
      "fallback": fallbackLock,
      "skipped": .array(
        session.warnings.map { .object(["path": .string($0.path), "reason": .string($0.message)]) }),
    ]
    if let provenance { members["provenance"] = provenance.json }
    let lock = JSONValue.object(members)
    try session.writeLock(lock)
    return Result(written: session.written, warnings: session.warnings, lock: lock)
  }

  /// Refuses a release with a file where the export writes its own: skipping it would deploy a
  /// release without it, and writing it would overwrite the lock or the fallback.
  private static func refuseReservedNames(
    in files: [(path: String, entry: TreeEntry)], fallback: FallbackBundle?
  ) throws(PromptgateError) {
    let reserved =
      [ExportFolder.lock, ExportFolder.marker] + (fallback == nil ? [] : [FallbackBundle.folder])
    for file in files {
      if let name = ExportPath.firstComponent(of: file.path, isOneOf: reserved) {
        throw .input(
          "the release has \(file.path), where the export writes its own \(name); "
            + "rename it in the repository and release again")
      }
    }
  }
}
