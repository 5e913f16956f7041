#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A number with a fixed count of decimals, rounded as C's printf rounds (`%.1f`): the figures
/// reports and summaries print. (`String(format:)` is full Foundation's, which promptgate does
/// not link.)
enum FixedPoint {
  static func string(_ value: Double, decimals: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    let written = withVaList([value]) { arguments in
      vsnprintf(&buffer, buffer.count, "%.\(decimals)f", arguments)
    }
    guard written >= 0, Int(written) < buffer.count else { return String(value) }
    return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
