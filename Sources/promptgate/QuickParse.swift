import ArgumentParser

/// `diff` and `check`, the two commands CI runs on every pull request, read from plain arguments
/// without ArgumentParser. ArgumentParser builds a command by reflection: mirroring its
/// properties, instantiating each property wrapper's generic type and asking the runtime for
/// protocol conformances, each a scan of the binary's 5,300 conformance records. That was half of
/// the instructions of a diff that reads no file (docs/benchmarks.md, session 9).
///
/// Anything but the plain forms (help, `--version`, an unknown or repeated option, a value
/// missing or shaped like an option, `--`, an unknown format, a combination `validate()`
/// refuses) returns nil, and ArgumentParser parses the arguments as before, with its own errors
/// and help. QuickParseTests check that both read every form the same way.
enum QuickParse {
  /// The command, or nil for ArgumentParser to parse. `arguments` come after
  /// ``GlobalOptions/movingLeadingOptions(_:)``, so the subcommand's name is first.
  static func command(_ arguments: [String]) -> (any ParsableCommand)? {
    guard let name = arguments.first else { return nil }
    let rest = arguments.dropFirst()
    switch name {
    case "diff": return diff(rest)
    case "check": return check(rest)
    default: return nil
    }
  }

  private static func diff(_ arguments: ArraySlice<String>) -> Promptgate.Diff? {
    guard
      let read = Arguments(arguments, options: ["format"], flags: ["patch", "stat"]),
      (1...2).contains(read.positionals.count)
    else { return nil }
    var format = Promptgate.Diff.Format.text
    if let value = read.options["format"] {
      guard let chosen = Promptgate.Diff.Format(rawValue: value) else { return nil }
      format = chosen
    }
    var command = Promptgate.Diff()
    command.global = read.global
    command.base = read.positionals[0]
    command.head = read.positionals.count == 2 ? read.positionals[1] : "HEAD"
    command.format = format
    command.patch = read.flags.contains("patch")
    command.stat = read.flags.contains("stat")
    return (try? command.validate()) == nil ? nil : command
  }

  private static func check(_ arguments: ArraySlice<String>) -> Promptgate.Check? {
    guard
      let read = Arguments(arguments, options: ["base", "env", "format"], flags: ["strict"]),
      read.positionals.count <= 1
    else { return nil }
    var format = Promptgate.Check.Format.text
    if let value = read.options["format"] {
      guard let chosen = Promptgate.Check.Format(rawValue: value) else { return nil }
      format = chosen
    }
    var command = Promptgate.Check()
    command.global = read.global
    command.release = read.positionals.first ?? "HEAD"
    command.base = read.options["base"]
    command.env = read.options["env"]
    command.format = format
    command.strict = read.flags.contains("strict")
    return (try? command.validate()) == nil ? nil : command
  }

  /// A command's arguments in the forms ArgumentParser reads them: `--name value`,
  /// `--name=value`, `--flag`, `-C path`, `-q`, and positionals that do not start with `-`. Nil
  /// for anything else (`-Cpath` too, which ArgumentParser refuses), or for an option or flag
  /// given twice.
  private struct Arguments {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    init?(_ arguments: ArraySlice<String>, options: Set<String>, flags: Set<String>) {
      let globalOptions: Set<String> = ["C"]
      let globalFlags: Set<String> = ["no-color", "quiet", "pretty"]
      var rest = arguments
      while let argument = rest.popFirst() {
        if !argument.hasPrefix("-") {
          guard !argument.isEmpty else { return nil }
          positionals.append(argument)
          continue
        }
        let name: String
        var value: String?
        if argument.hasPrefix("--") {
          let body = argument.dropFirst(2)
          if let equals = body.firstIndex(of: "=") {
            name = String(body[..<equals])
            value = String(body[body.index(after: equals)...])
          } else {
            name = String(body)
          }
        } else if argument == "-q" {
          name = "quiet"
        } else if argument == "-C" {
          name = "C"
        } else {
          return nil
        }
        if options.contains(name) || globalOptions.contains(name) {
          if value == nil {
            guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
            value = next
          }
          guard self.options[name] == nil, let value, !value.isEmpty else { return nil }
          self.options[name] = value
        } else if flags.contains(name) || globalFlags.contains(name) {
          guard value == nil, !self.flags.contains(name) else { return nil }
          self.flags.insert(name)
        } else {
          return nil
        }
      }
    }

    /// The global options among them.
    var global: GlobalOptions {
      var global = GlobalOptions()
      global.repository = options["C"] ?? "."
      global.noColor = flags.contains("no-color")
      global.quiet = flags.contains("quiet")
      global.pretty = flags.contains("pretty")
      return global
    }
  }
}
