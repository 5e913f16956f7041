import Foundation
import PromptgateCore
import Testing

/// The state files under the git folder are read with `LocalFile` and found with `Paths`: what
/// they give is what FileManager and URL gave, including where a file cannot be read.
@Suite struct LocalFileTests {
  @Test func readsEveryByteOfFilesLargerThanOneRead() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/large.bin"
    let written = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    try Data(written).write(to: URL(fileURLWithPath: path))
    #expect(LocalFile.bytes(atPath: path) == written)
    let empty = folder + "/empty"
    try Data().write(to: URL(fileURLWithPath: empty))
    #expect(LocalFile.bytes(atPath: empty) == [])
  }

  @Test func givesNothingForWhatCannotBeRead() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(LocalFile.bytes(atPath: folder + "/missing") == nil)
    #expect(LocalFile.bytes(atPath: folder) == nil, "a folder")
    let locked = folder + "/locked"
    try Data("secret".utf8).write(to: URL(fileURLWithPath: locked))
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
    if getuid() != 0 { #expect(LocalFile.bytes(atPath: locked) == nil, "no permission") }
  }

  @Test func readsAPipe() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let fifo = folder + "/fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    let writer = Thread {
      let handle = FileHandle(forWritingAtPath: fifo)
      handle?.write(Data("through a pipe\n".utf8))
      try? handle?.close()
    }
    writer.start()
    #expect(LocalFile.bytes(atPath: fifo) == Array("through a pipe\n".utf8))
  }

  @Test func joinsAFolderAndANameWithOneSlash() {
    #expect(Paths.appending("promptgate", to: "/repo/.git/") == "/repo/.git/promptgate")
    #expect(Paths.appending("promptgate", to: "/repo/.git") == "/repo/.git/promptgate")
    #expect(Paths.appending("a/b.json", to: "/") == "/a/b.json")
    #expect(Paths.appending("b", to: "") == "b")
  }

  private func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "promptgate-localfile-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
