import Clibgit2

/// A blob's content where libgit2 holds it, read without a copy; freed with this object. It
/// keeps its repository open, and is read on one thread at a time like the repository.
public final class BlobContent {
  let handle: OpaquePointer
  let repository: Repository
  /// The content; valid while this object lives.
  public let bytes: UnsafeRawBufferPointer

  fileprivate init(handle: OpaquePointer, repository: Repository) {
    self.handle = handle
    self.repository = repository
    let size = Int(git_blob_rawsize(handle))
    bytes = UnsafeRawBufferPointer(start: size > 0 ? git_blob_rawcontent(handle) : nil, count: size)
  }

  deinit { git_blob_free(handle) }
}

extension Repository {
  /// The content of blob `id`, left where libgit2 read it: a diff reads a megabyte prompt once,
  /// and neither copies nor hashes it again (``lineStats(old:new:)-(BlobContent?,BlobContent?)``).
  public func blobContent(_ id: ObjectID) throws(GitError) -> BlobContent {
    ensureLibgit2()
    var oid = id.oid
    var handle: OpaquePointer?
    try check(git_blob_lookup(&handle, pointer, &oid))
    return BlobContent(handle: handle!, repository: self)
  }

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
