import Git

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// An MSP's portfolio (SPEC §6 `report --repositories`): one report per gated repository, and on
/// top a line per service saying whether it met its targets, where recoveries ran over and
/// where exceptions were.
public struct PortfolioReport: Sendable, Encodable {
  /// One service: where its repository is, its report, and its line of the summary.
  public struct Service: Sendable, Encodable {
    public let repository: String
    public let report: Report
    /// True when every SLO measurement met its target, no recovery ran over, no review was
    /// missed and no incident is open; compliance exceptions are listed beside it, not judged.
    public let metTargets: Bool

    enum CodingKeys: String, CodingKey {
      case repository, report
      case metTargets = "met_targets"
    }
  }

  public let services: [Service]

  /// How many services met every target.
  public var servicesMeetingTargets: Int { services.filter(\.metTargets).count }

  enum CodingKeys: String, CodingKey {
    case services
    case servicesMeetingTargets = "services_meeting_targets"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(servicesMeetingTargets, forKey: .servicesMeetingTargets)
    try container.encode(services, forKey: .services)
  }

  /// Builds the report of each repository at `paths`, in the order given.
  public static func build(paths: [String], options: ReportOptions, now: Date = Date())
    throws(PromptgateError)
    -> PortfolioReport
  {
    var services: [Service] = []
    for path in paths {
      let repository: Repository
      do {
        repository = try RepositoryLookup.open(at: path)
      } catch {
        throw PromptgateError(error.kind, "\(RepositoryText.quoted(path)): \(error.message)")
      }
      let report = try ReportBuilder.build(Ledger(repository), options: options, now: now)
      services.append(Service(repository: path, report: report, metTargets: metTargets(report)))
    }
    return PortfolioReport(services: services)
  }

  static func metTargets(_ report: Report) -> Bool {
    guard let summary = report.summary else { return true }
    return summary.sloMet == summary.sloJudged && summary.recoveriesOverTarget == 0
      && summary.reviewsMissed == 0
      && summary.incidentsOpen == 0
  }

  /// The repositories listed in a file: one path a line, `#` comments and blank lines skipped,
  /// relative paths from the file's folder.
  public static func paths(listedIn file: String) throws(PromptgateError) -> [String] {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      throw PromptgateError.input("cannot read the list of repositories \(RepositoryText.quoted(file))")
    }
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    var paths: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let entry = String(line).trimmingWhitespace
      if entry.isEmpty || entry.hasPrefix("#") { continue }
      paths.append(entry.hasPrefix("/") ? entry : folder.appendingPathComponent(entry).path)
    }
    guard !paths.isEmpty else {
      throw PromptgateError.input(
        "\(RepositoryText.quoted(file)) lists no repository: write one path a line (# starts a comment)")
    }
    return paths
  }
}
