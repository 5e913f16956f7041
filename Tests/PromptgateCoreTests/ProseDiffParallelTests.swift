import Testing

@testable import PromptgateCore

/// A large prompt is diffed on two threads (its sides cut at once, its edited sections split
/// in two runs with their own word ids): the changes must be the ones one thread finds.
@Suite struct ProseDiffParallelTests {
  @Test func twoThreadsFindWhatOneFinds() {
    var old = "Preamble before any heading.\n\n"
    var new = old
    for index in 0..<400 {
      let body = "The customer asks about order \(index). The agent checks the refund policy twice!"
      old += "# Section \(index % 7)\n\n\(body)\n\n- item \(index) for the customer\n\n"
      if index % 5 == 3 { continue }  // removed
      let edited = index % 2 == 0 ? body.replacingOccurrences(of: "customer", with: "client") : body
      new += "# Section \(index % 7)\n\n\(edited) Café \(index).\n\n- item \(index) for the customer\n\n"
    }
    new += "# Added at the end\n\nA new sentence.\n"
    let parallel = ProseDiff.changes(old: old, new: new, inParallel: true)
    #expect(parallel == ProseDiff.changes(old: old, new: new, inParallel: false))
    #expect(parallel.contains { $0.change == .changed && $0.items.contains { $0.excerpt != nil } })
    #expect(parallel.contains { $0.change == .removed })
    #expect(parallel.contains { $0.change == .added })
  }
}
