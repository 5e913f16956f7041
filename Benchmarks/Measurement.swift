/// The timed runs of one command: medians of wall and CPU time, as they shrug off the odd run
/// a busy machine slows down; peak memory is the largest any run reached.
struct Measurement: Sendable {
  private(set) var milliseconds: [Double] = []
  private(set) var cpuMilliseconds: [Double] = []
  private(set) var peakRSSBytes = 0
  /// The highest floor any run had (``ChildResult/rssFloorBytes``).
  private(set) var rssFloorBytes = 0

  mutating func record(_ result: ChildResult) {
    milliseconds.append(Self.milliseconds(result.wallTime))
    cpuMilliseconds.append(Self.milliseconds(result.cpuTime))
    peakRSSBytes = max(peakRSSBytes, result.peakRSSBytes)
    rssFloorBytes = max(rssFloorBytes, result.rssFloorBytes)
  }

  var medianMilliseconds: Double { Self.median(milliseconds) }
  var medianCPUMilliseconds: Double { Self.median(cpuMilliseconds) }

  private static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  private static func milliseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1_000 + Double(parts.attoseconds) / 1e15
  }

  var peakRSSMebibytes: Double { Double(peakRSSBytes) / 1_048_576 }

  /// True when the peak is no more than the floor, so the child's own peak is unknown but
  /// no higher.
  var peakIsFloor: Bool { peakRSSBytes <= rssFloorBytes + 256 * 1024 }
}
