/// What the holder of an override role signs to release past failed gates (break-glass, SPEC §6):
/// this release's content in this environment of this repository, which gates it overrides and
/// why. Signed as its canonical JSON bytes in the namespace
/// ``Statement/namespace`` (earlier versions: `promptgate-override`); its `kind` keeps an
/// approval's signature from ever passing as an override.
public struct OverrideStatement: Sendable, Hashable {
  public static let kind = "promptgate.override/v1"

  public let environment: String
  /// The gates that failed and are overridden, and `quarantine` when the release was bad there.
  public let overrides: [String]
  public let principal: String
  public let reason: String
  public let release: LedgerEvent.Release
  public let repository: String
  public let role: String
  public let signedAt: String

  public init(
    environment: String, overrides: [String], principal: String, reason: String, release: LedgerEvent.Release,
    repository: String, role: String, signedAt: String
  ) {
    self.environment = environment
    self.overrides = overrides
    self.principal = principal
    self.reason = reason
    self.release = release
    self.repository = repository
    self.role = role
    self.signedAt = signedAt
  }

  public var json: JSONValue {
    .object([
      "environment": .string(environment), "kind": .string(Self.kind),
      "overrides": .array(overrides.map(JSONValue.string)), "principal": .string(principal),
      "reason": .string(reason), "release": release.json, "repository": .string(repository),
      "role": .string(role), "signed_at": .string(signedAt),
    ])
  }

  public init(json: JSONValue) throws(LedgerFormatError) {
    guard case .object(let members) = json else { throw LedgerFormatError("the override is not an object") }
    let fields = [
      "environment", "kind", "overrides", "principal", "reason", "release", "repository", "role", "signed_at",
    ]
    guard Set(members.keys) == Set(fields) else {
      throw LedgerFormatError("the override must have exactly the fields \(fields.joined(separator: ", "))")
    }
    guard json["kind"]?.string == Self.kind else {
      throw LedgerFormatError("the statement is not \(Self.kind)")
    }
    guard let environment = json["environment"]?.string, case .array(let overrideValues)? = json["overrides"],
      let principal = json["principal"]?.string, let reason = json["reason"]?.string,
      let commit = json["release"]?["commit"]?.string, let tree = json["release"]?["tree"]?.string,
      let repository = json["repository"]?.string, let role = json["role"]?.string,
      let signedAt = json["signed_at"]?.string
    else { throw LedgerFormatError("the override has a field of the wrong type") }
    let overrides = overrideValues.compactMap(\.string)
    guard overrides.count == overrideValues.count else {
      throw LedgerFormatError("the override's `overrides` must list gate ids")
    }
    self.init(
      environment: environment, overrides: overrides, principal: principal, reason: reason,
      release: LedgerEvent.Release(commit: commit, tree: tree), repository: repository, role: role,
      signedAt: signedAt)
  }
}
