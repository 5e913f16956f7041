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

  /// Byte sizes before and after, for `--stat`'s "Bin 10 -> 20 bytes" line of a binary file.
  public func sizes(in repository: Repository) throws(PromptgateError) -> (old: Int, new: Int) {
    do {
      let old = try oldID.flatMap { ObjectID(hex: $0) }.map { id throws(GitError) in
        try repository.blobSize(id)
      }
      let new = try newID.flatMap { ObjectID(hex: $0) }.map { id throws(GitError) in
        try repository.blobSize(id)
      }
      return (old ?? 0, new ?? 0)
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "'\(path)'")
    }
  }

  private static func mode(_ octal: String) -> FileMode? {
    UInt32(octal, radix: 8).flatMap(FileMode.init(rawValue:))
  }
}
