/// The gates that read the release's runbook: its schema, the service definition, the SLOs.
extension GateContext {
  func schemaOutcome() -> GateOutcome {
    guard let judged else { return missingRunbook }
    return .judging(judged.diagnostics)
  }

  func requiredKeysOutcome(_ keys: [String]) -> GateOutcome {
    guard let runbook else { return missingRunbook }
    let problems = keys.compactMap { key -> Diagnostic? in
      guard let value = runbook.value(at: key) else {
        return problem("`\(key)` is not declared; add it to \(Runbook.path)", at: key)
      }
      return Self.isEmpty(value) ? problem("`\(key)` is empty; say what it is", at: key) : nil
    }
    return .judging(problems)
  }

  func sloOutcome(_ required: [String]) -> GateOutcome {
    guard let runbook else { return missingRunbook }
    guard runbook.value(at: "reliability.slo")?.entries?.isEmpty == false else {
      let example =
        required.isEmpty ? "latency_p95_ms: 2500" : required.map { "\($0): ..." }.joined(separator: ", ")
      return .fail([
        problem("no SLOs are declared; add `reliability.slo: { \(example) }`", at: "reliability.slo")
      ])
    }
    let declared = Dictionary(
      runbook.slo.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    let problems = required.compactMap { name -> Diagnostic? in
      declared[name] == nil
        ? problem(
          "the SLO `\(name)` is not declared as a number in `reliability.slo`", at: "reliability.slo.\(name)")
        : nil
    }
    return .judging(problems)
  }

  /// Nothing said: null, an empty string, an empty list or map.
  static func isEmpty(_ value: StructuredValue) -> Bool {
    switch value.content {
    case .scalar(let scalar): scalar.kind == .null || scalar.text.trimmingWhitespace.isEmpty
    case .list(let items): items.isEmpty
    case .map(let entries): entries.isEmpty
    }
  }
}
