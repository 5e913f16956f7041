/// What the improvement layer's signed events say (SPEC §6): a `metrics` import and a service
/// `review`. Unlike a move or an approval they are about the service, not one release in one
/// environment, so they carry no release; the principal signs them in the namespace
/// ``Statement/namespace`` with their `kind` inside, like every statement promptgate signs.
public protocol ImprovementStatement: Sendable {
  var kind: String { get }
  var principal: String { get }
  var role: String { get }
  var repository: String { get }
  var signedAt: String { get }
  var json: JSONValue { get }
}

extension ImprovementStatement {
  /// The bytes that are signed: the canonical JSON.
  public var signedBytes: [UInt8] { json.canonical }
}

/// An import of measurements: the file's name and SHA-256 and every measurement in it.
public struct MetricsStatement: ImprovementStatement, Hashable {
  public static let kind = "promptgate.metrics/v1"
  public var kind: String { Self.kind }

  public let file: String
  public let sha256: String
  public let measurements: [Measurement]
  public let principal: String
  public let repository: String
  public let role: String
  public let signedAt: String

  public init(
    file: String, sha256: String, measurements: [Measurement], principal: String, repository: String,
    role: String, signedAt: String
  ) {
    self.file = file
    self.sha256 = sha256
    self.measurements = measurements
    self.principal = principal
    self.repository = repository
    self.role = role
    self.signedAt = signedAt
  }

  public var json: JSONValue {
    .object([
      "file": .object(["name": .string(file), "sha256": .string(sha256)]), "kind": .string(Self.kind),
      "measurements": .array(measurements.map(\.json)), "principal": .string(principal),
      "repository": .string(repository), "role": .string(role), "signed_at": .string(signedAt),
    ])
  }

  public init(json: JSONValue) throws(LedgerFormatError) {
    guard case .object(let members) = json else {
      throw LedgerFormatError("the metrics import is not an object")
    }
    let fields = ["file", "kind", "measurements", "principal", "repository", "role", "signed_at"]
    guard Set(members.keys) == Set(fields) else {
      throw LedgerFormatError(
        "the metrics import must have exactly the fields \(fields.joined(separator: ", "))")
    }
    guard json["kind"]?.string == Self.kind else {
      throw LedgerFormatError("the statement is not \(Self.kind)")
    }
    guard let file = json["file"]?["name"]?.string, let sha256 = json["file"]?["sha256"]?.string,
      let values = json["measurements"]?.array, let principal = json["principal"]?.string,
      let repository = json["repository"]?.string, let role = json["role"]?.string,
      let signedAt = json["signed_at"]?.string
    else { throw LedgerFormatError("the metrics import has a field of the wrong type") }
    var measurements: [Measurement] = []
    for value in values { measurements.append(try Measurement(json: value)) }
    self.init(
      file: file, sha256: sha256, measurements: measurements, principal: principal, repository: repository,
      role: role, signedAt: signedAt)
  }
}

/// A service review (ITIL's continual improvement): the period reviewed, what was found, and
/// the actions agreed.
public struct ReviewStatement: ImprovementStatement, Hashable {
  public static let kind = "promptgate.review/v1"
  public var kind: String { Self.kind }

  /// `YYYY-MM`.
  public let period: String
  public let summary: String
  public let actions: [String]
  public let principal: String
  public let repository: String
  public let role: String
  public let signedAt: String

  public init(
    period: String, summary: String, actions: [String], principal: String, repository: String, role: String,
    signedAt: String
  ) {
    self.period = period
    self.summary = summary
    self.actions = actions
    self.principal = principal
    self.repository = repository
    self.role = role
    self.signedAt = signedAt
  }

  public var json: JSONValue {
    .object([
      "actions": .array(actions.map(JSONValue.string)), "kind": .string(Self.kind), "period": .string(period),
      "principal": .string(principal), "repository": .string(repository), "role": .string(role),
      "signed_at": .string(signedAt), "summary": .string(summary),
    ])
  }

  public init(json: JSONValue) throws(LedgerFormatError) {
    guard case .object(let members) = json else { throw LedgerFormatError("the review is not an object") }
    let fields = ["actions", "kind", "period", "principal", "repository", "role", "signed_at", "summary"]
    guard Set(members.keys) == Set(fields) else {
      throw LedgerFormatError("the review must have exactly the fields \(fields.joined(separator: ", "))")
    }
    guard json["kind"]?.string == Self.kind else {
      throw LedgerFormatError("the statement is not \(Self.kind)")
    }
    guard let period = json["period"]?.string, let summary = json["summary"]?.string,
      let actionValues = json["actions"]?.array, let principal = json["principal"]?.string,
      let repository = json["repository"]?.string, let role = json["role"]?.string,
      let signedAt = json["signed_at"]?.string
    else { throw LedgerFormatError("the review has a field of the wrong type") }
    let actions = actionValues.compactMap(\.string)
    guard actions.count == actionValues.count else {
      throw LedgerFormatError("the review's actions must be text")
    }
    self.init(
      period: period, summary: summary, actions: actions, principal: principal, repository: repository,
      role: role,
      signedAt: signedAt)
  }
}

extension LedgerEvent {
  /// The signed statement of a metrics import.
  public var metricsStatement: MetricsStatement? {
    guard kind == .metrics, let json = details["statement"] else { return nil }
    return try? MetricsStatement(json: json)
  }

  /// The signed statement of a service review.
  public var reviewStatement: ReviewStatement? {
    guard kind == .review, let json = details["statement"] else { return nil }
    return try? ReviewStatement(json: json)
  }

  /// The improvement statement this event carries, whichever kind it is.
  public var improvementStatement: (any ImprovementStatement)? {
    switch kind {
    case .metrics: metricsStatement
    case .review: reviewStatement
    default: nil
    }
  }

  /// True for the improvement layer's events, which name no environment or release.
  public var isImprovement: Bool { kind == .metrics || kind == .review }
}

extension LedgerEvent {
  /// The subject of a metrics import's or a review's commit message.
  var improvementSubject: String {
    switch kind {
    case .metrics:
      let count = details["statement"]?["measurements"]?.array?.count ?? 0
      let file = details["statement"]?["file"]?["name"]?.string.map { " from \($0)" } ?? ""
      return "\(actor) imports \(count) measurement\(count == 1 ? "" : "s")\(file)"
    case .review:
      let period = details["statement"]?["period"]?.string ?? "?"
      return "\(actor) holds the service review of \(period)"
    default:
      return actor
    }
  }
}
