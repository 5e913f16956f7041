import Git

/// A ``FallbackBundle`` checked against the release before anything is written, so a missing
/// static response stops the export with an empty folder rather than a half-made one.
struct FallbackPlan {
  private enum Content {
    case files(Commit, [(path: String, entry: TreeEntry)])
    case staticResponse(source: String, entry: TreeEntry)
    case handoff(queue: String)
  }

  private let content: Content

  /// nil when there is no bundle to write.
  init?(
    _ bundle: FallbackBundle?, releaseFiles: [(path: String, entry: TreeEntry)], repository: Repository
  ) throws(PromptgateError) {
    switch bundle {
    case nil:
      return nil
    case .previousRelease(let commit):
      content = .files(commit, try ExportSession.files(of: commit, in: repository))
    case .staticResponse(let path):
      guard let file = releaseFiles.first(where: { $0.path == path }) else {
        throw .input(
          "the static response \(path) is not a file of the release; add it, or fix "
            + "reliability.fallback.response in runbook.yaml")
      }
      guard [.blob, .blobGroupWritable, .executable].contains(file.entry.mode) else {
        throw .input(
          "the static response \(path) is not a regular file (mode \(file.entry.mode.octal)); "
            + "point reliability.fallback.response in runbook.yaml at a file")
      }
      content = .staticResponse(source: path, entry: file.entry)
    case .humanHandoff(let queue):
      guard !queue.isEmpty else {
        throw .input(
          "the human-handoff fallback has no queue; set reliability.fallback.queue in runbook.yaml")
      }
      content = .handoff(queue: queue)
    }
  }

  /// Writes the bundle under `fallback/` and returns the lock's `fallback` object.
  func write(in session: inout ExportSession) throws(PromptgateError) -> JSONValue {
    let folder = FallbackBundle.folder
    var members: [String: JSONValue] = [:]
    var locked: [LockedFile] = []
    switch content {
    case .files(let commit, let files):
      members["strategy"] = .string(FallbackBundle.previousRelease(commit).strategy.rawValue)
      members["release"] = .object(["commit": .string(commit.id.hex), "tree": .string(commit.tree.hex)])
      locked = try session.writeTree(files, under: folder + "/")
    case .staticResponse(let source, let entry):
      members["strategy"] = .string(FallbackBundle.staticResponse(path: source).strategy.rawValue)
      members["source"] = .string(source)
      let bytes = try session.content(of: entry, at: source)
      locked =
        try session.writeFile(bytes, at: folder + "/static-response", executable: false).map { [$0] } ?? []
    case .handoff(let queue):
      members["strategy"] = .string(FallbackBundle.humanHandoff(queue: queue).strategy.rawValue)
      members["queue"] = .string(queue)
      let bytes = Array(JSONValue.object(["queue": .string(queue)]).pretty.utf8)
      locked =
        try session.writeFile(bytes, at: folder + "/handoff.json", executable: false).map { [$0] } ?? []
    }
    members["files"] = LockedFile.json(locked)
    return .object(members)
  }
}
