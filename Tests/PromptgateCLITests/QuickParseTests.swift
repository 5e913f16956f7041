import ArgumentParser
import Testing

@testable import promptgate

/// `diff` and `check` read their plain arguments without ArgumentParser (QuickParse.swift): each
/// form must come out exactly as ArgumentParser reads it, and every other form must be left to
/// ArgumentParser, which owns help and errors.
@Suite struct QuickParseTests {
  static let diffForms: [[String]] = [
    ["diff", "v1"], ["diff", "v1", "v2"], ["diff", "main~3", "HEAD", "--format", "json"],
    ["diff", "--format=markdown", "a", "b"], ["diff", "a", "--patch"], ["diff", "a", "b", "--stat"],
    ["diff", "--patch", "--format", "json", "a"], ["-C", "repo", "diff", "a", "b"],
    ["diff", "a", "b", "-C", "/tmp/x y"], ["--no-color", "diff", "a", "b"], ["-q", "diff", "a"],
    ["diff", "a", "--quiet", "--pretty", "--format", "json"],
    ["--pretty", "-C", "r", "diff", "a", "b", "--patch"],
    ["diff", "v1.2.0", "@{upstream}", "--stat", "--format", "markdown"], ["diff", "é", "∆"],
  ]

  static let checkForms: [[String]] = [
    ["check"], ["check", "HEAD"], ["check", "--base", "main", "feature"], ["check", "--base=main"],
    ["check", "--env", "live", "--format", "sarif"], ["check", "--format=junit", "--strict", "v2"],
    ["-C", "repo", "check", "--base", "v1", "--env", "staging", "HEAD"],
    ["check", "--format", "github", "-q"],
    ["check", "--pretty", "--format", "json", "--no-color"],
    ["-C", "r", "--quiet", "check", "x", "--strict"],
  ]

  /// Forms QuickParse must leave to ArgumentParser: help, errors, and anything it does not read.
  static let declined: [[String]] = [
    [], ["diff"], ["diff", "a", "b", "c"], ["diff", "--help"], ["diff", "-h"], ["diff", "a", "--format"],
    ["diff", "a", "--format", "xml"], ["diff", "a", "--format", "--patch"],
    ["diff", "a", "--patch", "--patch"],
    ["diff", "a", "--format", "json", "--format", "text"], ["diff", "a", "--stat", "--format", "json"],
    ["diff", "--", "a", "b"], ["diff", "a", "--pach"], ["diff", "a", "-p"], ["diff", "", "b"],
    ["diff", "a", "-"],
    ["diff", "a", "--patch=yes"], ["diff", "a", "-C"], ["diff", "a", "-C", "--patch"],
    ["diff", "a", "-qC", "r"], ["-Crepo", "diff", "a"], ["check", "-Cr"],
    ["check", "a", "b"], ["check", "--base"], ["check", "--env", ""], ["check", "--format", "pdf"],
    ["check", "--strict", "--strict"], ["check", "--help"], ["check", "--version"], ["status"],
    ["help", "diff"],
    ["--version"], ["diff", "a", "--generate-completion-script", "bash"],
    ["check", "--experimental-dump-help"],
  ]

  @Test(arguments: diffForms) func diffReadsAsArgumentParserReadsIt(_ arguments: [String]) throws {
    let moved = GlobalOptions.movingLeadingOptions(arguments)
    let quick = try #require(QuickParse.command(moved) as? Promptgate.Diff, "\(arguments)")
    let parsed = try #require(try Promptgate.parseAsRoot(moved) as? Promptgate.Diff)
    #expect(quick.base == parsed.base)
    #expect(quick.head == parsed.head)
    #expect(quick.format == parsed.format)
    #expect(quick.patch == parsed.patch)
    #expect(quick.stat == parsed.stat)
    expectSame(quick.global, parsed.global)
  }

  @Test(arguments: checkForms) func checkReadsAsArgumentParserReadsIt(_ arguments: [String]) throws {
    let moved = GlobalOptions.movingLeadingOptions(arguments)
    let quick = try #require(QuickParse.command(moved) as? Promptgate.Check, "\(arguments)")
    let parsed = try #require(try Promptgate.parseAsRoot(moved) as? Promptgate.Check)
    #expect(quick.release == parsed.release)
    #expect(quick.base == parsed.base)
    #expect(quick.env == parsed.env)
    #expect(quick.format == parsed.format)
    #expect(quick.strict == parsed.strict)
    expectSame(quick.global, parsed.global)
  }

  @Test(arguments: declined) func leavesEveryOtherFormToArgumentParser(_ arguments: [String]) {
    #expect(QuickParse.command(GlobalOptions.movingLeadingOptions(arguments)) == nil, "\(arguments)")
  }

  private func expectSame(_ quick: GlobalOptions, _ parsed: GlobalOptions) {
    #expect(quick.repository == parsed.repository)
    #expect(quick.noColor == parsed.noColor)
    #expect(quick.quiet == parsed.quiet)
    #expect(quick.pretty == parsed.pretty)
  }
}
