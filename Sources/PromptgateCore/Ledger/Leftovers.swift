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

/// The temporary files a writer killed mid-way leaves behind (SPEC §7): libgit2's
/// `objects/tmp_object_git2_*` (an object not yet renamed into place) and promptgate's own
/// `.git/promptgate/*.tmp-<pid>-<n>` (a cache file not yet renamed). The next writer removes
/// them. Ours name their writer: removed once that process is gone. libgit2's do not: removed
/// once older than a live writer could hold one (it holds it for milliseconds).
enum Leftovers {
  static let objectAge: TimeInterval = 600

  static func remove(commonDirectory: String, promptgateFolder: String, now: Date = Date()) {
    let files = FileManager.default
    let objects = commonDirectory + "/objects"
    for name in (try? files.contentsOfDirectory(atPath: objects)) ?? []
    where name.hasPrefix("tmp_object_git2_") {
      let path = objects + "/" + name
      guard let modified = (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
        now.timeIntervalSince(modified) > objectAge
      else { continue }
      try? files.removeItem(atPath: path)
    }
    for name in (try? files.contentsOfDirectory(atPath: promptgateFolder)) ?? [] {
      guard let marker = name.firstRange(of: ".tmp-") else { continue }
      let writer = name[marker.upperBound...].split(separator: "-").first.flatMap { Int32($0) }
      guard let writer, writer != getpid(), kill(writer, 0) != 0, errno == ESRCH else { continue }
      try? files.removeItem(atPath: promptgateFolder + "/" + name)
    }
  }
}
