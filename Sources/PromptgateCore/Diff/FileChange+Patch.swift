import Git

extension FileChange {
  /// The file's change as `git diff -M` prints it, for `diff --patch`; a type change prints as
  /// git prints it, the old file deleted and the new one added.
  public func patch(in repository: Repository) throws(PromptgateError) -> String {
    let oldSide = PatchSide(
      path: oldPath ?? path, id: oldID.flatMap { ObjectID(hex: $0) }, mode: oldMode.flatMap(Self.mode))
    let newSide = PatchSide(
      path: path, id: newID.flatMap { ObjectID(hex: $0) }, mode: newMode.flatMap(Self.mode))
    do {
      if status == .typechange {
        return try repository.unifiedPatch(old: oldSide, new: PatchSide(path: path, id: nil, mode: nil))
          + repository.unifiedPatch(old: PatchSide(path: path, id: nil, mode: nil), new: newSide)
      }
      return try repository.unifiedPatch(old: oldSide, new: newSide, similarity: similarity)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "the patch of '\(path)'")
    }
  }

  /// What `git diff --stat` counts for the file: its line counts, or its sizes in bytes when git
  /// calls it binary (a NUL in the first 8000 bytes). promptgate also calls text that is not
  /// UTF-8 binary, but git counts its lines, and so does the stat.
  public func gitStat(in repository: Repository) throws(PromptgateError) -> (
    additions: Int, deletions: Int, binarySizes: (old: Int, new: Int)?
  ) {
    guard binary else { return (additions, deletions, nil) }
    do {
      let old =
        try oldID.flatMap { ObjectID(hex: $0) }.map { id throws(GitError) in try repository.blob(id) } ?? []
      let new =
        try newID.flatMap { ObjectID(hex: $0) }.map { id throws(GitError) in try repository.blob(id) } ?? []
      if old.prefix(8000).contains(0) || new.prefix(8000).contains(0) {
        return (0, 0, (old.count, new.count))
      }
      let stats = try repository.lineStats(old: old, new: new)
      return (stats.additions, stats.deletions, nil)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "'\(path)'")
    }
  }

  private static func mode(_ octal: String) -> FileMode? {
    UInt32(octal, radix: 8).flatMap(FileMode.init(rawValue:))
  }
}
