import Crypto
import Git

/// The gates that judge a release: the standard pack built into promptgate, plus the
/// repository's own `.promptgate/gates/*.yaml` read from the base (trust comes from the base).
public struct GatePack: Sendable {
  public static let repositoryFolder = ".promptgate/gates"

  public let gates: [GateDefinition]
  /// Problems with gate files; each makes the `gate-files` check fail.
  public let diagnostics: [Diagnostic]

  /// The standard pack alone.
  public static var standard: GatePack {
    var gates: [GateDefinition] = []
    var diagnostics: [Diagnostic] = []
    for file in StandardGatePack.files {
      let (gate, problems) = GateDefinition.parse(file.text, source: file.name)
      gates += gate.map { [$0] } ?? []
      diagnostics += problems
    }
    return GatePack(gates: gates.sorted(by: GatePack.order), diagnostics: diagnostics)
  }

  /// The SHA-256 of the standard pack built into this promptgate, as release events record it.
  public static let standardDigest: String = {
    var hash = SHA256()
    for file in StandardGatePack.files.sorted(by: { $0.name < $1.name }) {
      hash.update(data: Array(file.name.utf8) + [0] + Array(file.text.utf8) + [0])
    }
    return "sha256:" + Hex.string(hash.finalize())
  }()

  /// The standard pack with `commit`'s repository gates added. A repository gate may add a new
  /// check, or tighten a standard one by reusing its id; it can never loosen or drop one.
  public static func load(from commit: Commit?, in repository: Repository) throws(PromptgateError) -> GatePack
  {
    let standard = GatePack.standard
    guard let commit else { return standard }
    var byID = Dictionary(uniqueKeysWithValues: standard.gates.map { ($0.id, $0) })
    var diagnostics = standard.diagnostics
    for (path, text) in try repositoryGateFiles(in: commit, repository: repository, diagnostics: &diagnostics)
    {
      let (parsed, problems) = GateDefinition.parse(text, source: path)
      diagnostics += problems
      guard let gate = parsed else { continue }
      if let existing = byID[gate.id] {
        if let refusal = gate.refusalToReplace(existing) {
          diagnostics.append(Diagnostic(.error, refusal, file: path))
          continue
        }
      }
      byID[gate.id] = gate
    }
    return GatePack(gates: byID.values.sorted(by: order), diagnostics: diagnostics)
  }

  private static func order(_ lhs: GateDefinition, _ rhs: GateDefinition) -> Bool {
    (lhs.layer, lhs.id) < (rhs.layer, rhs.id)
  }

  private static func repositoryGateFiles(
    in commit: Commit, repository: Repository, diagnostics: inout [Diagnostic]
  ) throws(PromptgateError) -> [(String, String)] {
    do {
      guard let folder = try repository.entry(at: repositoryFolder, inTree: commit.tree), folder.mode == .tree
      else {
        return []
      }
      var files: [(String, String)] = []
      for entry in try repository.entries(ofTree: folder.id) {
        let path = "\(repositoryFolder)/\(entry.name)"
        guard entry.name.hasSuffix(".yaml") || entry.name.hasSuffix(".yml") else { continue }
        guard entry.mode == .blob || entry.mode == .executable else {
          diagnostics.append(
            Diagnostic(.error, "a gate file must be a regular file, not a link or folder", file: path))
          continue
        }
        guard let text = String(validating: try repository.blob(entry.id), as: UTF8.self) else {
          diagnostics.append(Diagnostic(.error, "the gate file is not UTF-8 text", file: path))
          continue
        }
        files.append((path, text))
      }
      return files
    } catch {
      throw RepositoryLookup.readFailure(error, reading: "\(repositoryFolder) of \(commit.id.short())")
    }
  }
}

extension GateDefinition {
  /// Why this repository gate may not take the place of standard gate `standard`, or nil when
  /// it only tightens it: same kind, severity not lowered, parameters at least as strict.
  func refusalToReplace(_ standard: GateDefinition) -> String? {
    let refusal = "cannot loosen the standard gate `\(standard.id)`"
    let fix = "; give this gate another id to add a check of your own"
    if standard.severity == .error && severity == .warning {
      return "\(refusal) from error to warning\(fix)"
    }
    switch (standard.kind, kind) {
    case (.requiredKeys(let required), .requiredKeys(let mine)):
      let missing = Set(required).subtracting(mine)
      return missing.isEmpty
        ? nil : "\(refusal): it drops the keys \(missing.sorted().joined(separator: ", "))\(fix)"
    case (.slo(let required), .slo(let mine)):
      let missing = Set(required).subtracting(mine)
      return missing.isEmpty
        ? nil : "\(refusal): it drops the targets \(missing.sorted().joined(separator: ", "))\(fix)"
    case (.secrets(let threshold, let length), .secrets(let myThreshold, let myLength)):
      return myThreshold <= threshold && myLength <= length
        ? nil : "\(refusal): a higher entropy threshold or longer minimum token finds fewer secrets\(fix)"
    case (.governanceChange, .governanceChange):
      return standard.kind == kind ? nil : "\(refusal): it names another checkpoint\(fix)"
    case (.runbookSchema, .runbookSchema), (.fallback, .fallback), (.rollbackPlan, .rollbackPlan),
      (.checkpoints, .checkpoints), (.versionBump, .versionBump), (.incidentFollowUp, .incidentFollowUp),
      (.promotion, .promotion):
      return nil
    default:
      return "\(refusal): it changes the gate's kind\(fix)"
    }
  }
}
