import Clibgit2

extension Repository {
  /// The content of blob `id`, copied out of libgit2.
  public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
    var oid = id.oid
    var handle: OpaquePointer?
    try check(git_blob_lookup(&handle, pointer, &oid))
    defer { git_blob_free(handle) }
    let size = Int(git_blob_rawsize(handle))
    guard size > 0, let raw = git_blob_rawcontent(handle) else { return [] }
    return Array(UnsafeRawBufferPointer(start: raw, count: size))
  }

  /// The size in bytes of blob `id`, read from its header without loading the content.
  public func blobSize(_ id: ObjectID) throws(GitError) -> Int {
    var odb: OpaquePointer?
    try check(git_repository_odb(&odb, pointer))
    defer { git_odb_free(odb) }
    var oid = id.oid
    var size = 0
    var type = GIT_OBJECT_ANY
    try check(git_odb_read_header(&size, &type, odb, &oid))
    return size
  }

  /// Writes `content` as a blob and returns its id.
  public func writeBlob(_ content: [UInt8]) throws(GitError) -> ObjectID {
    ensureLibgit2()
    var result = git_oid()
    let status = content.withUnsafeBytes { raw in
      git_blob_create_from_buffer(&result, pointer, raw.baseAddress, raw.count)
    }
    try check(status)
    return ObjectID(result)
  }
}
