import Foundation

/// Values appended from several threads at once, as concurrency tests collect exit codes.
public final class LockedList<Element: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Element] = []

  public init() {}

  public var values: [Element] { lock.withLock { stored } }

  public func append(_ value: Element) { lock.withLock { stored.append(value) } }
}
