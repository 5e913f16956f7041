import Foundation
import TestSupport
import Testing

/// What a user gets from `make install`, `make dist` and the GitHub Action (action.yml), checked
/// as the user would: the installed binary says its version, `man` renders its page, the shells
/// find its completions, and the tarball checks out and runs elsewhere. The release build takes
/// minutes, so the suite makes it once (``ReleaseBuild/shared``) and runs its tests one at a time
/// (they share .build-release/stage). The leak check skips the suite: the release build is not
/// sanitized, and the plain run has checked it.
@Suite(
  .serialized,
  .enabled(
    if: ProcessInfo.processInfo.environment["PROMPTGATE_SANITIZED"] == nil,
    "the release build is not sanitized; the plain test run checks it"))
struct InstallTests {
  /// Every file install writes under PREFIX, and dist packs under its folder.
  static let shipped: Set<String> = [
    "bin/promptgate", "share/man/man1/promptgate.1", "share/bash-completion/completions/promptgate",
    "share/zsh/site-functions/_promptgate", "share/fish/vendor_completions.d/promptgate.fish",
  ]

  @Test func installedBinaryPrintsItsVersion() throws {
    let release = try ReleaseBuild.shared.get()
    let version = try run(release.prefix + "/bin/promptgate", ["--version"])
    #expect(version.status == 0, "\(version.stderr)")
    #expect(version.stdout == release.version + "\n")
    #expect(try Self.files(under: release.prefix) == Self.shipped)
  }

  /// Built as promptgate ships: the Swift runtime linked in, and libgit2 with the libraries it
  /// needs too where their archives are, as with Debian's libgit2-dev (scripts/static-libgit2.sh);
  /// no libxml2 or ICU, which would cost every command their loading (README.md, "Install").
  @Test func installedBinaryLinksInTheSwiftRuntimeAndLibgit2() throws {
    let release = try ReleaseBuild.shared.get()
    let ldd = try run("/usr/bin/ldd", [release.prefix + "/bin/promptgate"])
    #expect(ldd.status == 0, "\(ldd.stderr)")
    let libdir = try run("/usr/bin/pkg-config", ["--variable=libdir", "libgit2"]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let archived = FileManager.default.fileExists(atPath: libdir + "/libgit2.a")
    #expect(ldd.stdout.contains("libgit2.so") == !archived, "\(ldd.stdout)")
    // GSSAPI is loaded when a server asks for Kerberos (Sources/CGSSAPI), not at start-up.
    var linkedIn = archived ? ["libssh2", "libmbed", "libcrypto", "libgssapi", "libkrb5"] : []
    // The C++ runtime the Swift runtime needs, where the C compiler has its archive.
    let cxxArchive = try run("/usr/bin/env", ["cc", "-print-file-name=libstdc++.a"]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    if cxxArchive.hasPrefix("/"), FileManager.default.fileExists(atPath: cxxArchive) {
      linkedIn += ["libstdc++", "libgcc_s"]
    }
    for library in ["libswift", "libxml2", "libicu", "not found"] + linkedIn {
      #expect(!ldd.stdout.contains(library), "\(ldd.stdout)")
    }
  }

  /// Nothing loads promptgate as a library, so it exports no symbols: Swift's `-export-dynamic`
  /// put 12,000 in its dynamic table, which the runtime's `dladdr` at start-up scanned whole, and
  /// which would let a library loaded later (GSSAPI's) bind to promptgate's own functions.
  @Test func installedBinaryExportsNoSymbols() throws {
    let release = try ReleaseBuild.shared.get()
    let table = try run("/usr/bin/readelf", ["--dyn-syms", "--wide", release.prefix + "/bin/promptgate"])
    #expect(table.status == 0, "\(table.stderr)")
    // Symbol lines: "Num: Value Size Type Bind Vis Ndx Name"; defined ones have a section index.
    let defined = table.stdout.split(separator: "\n").filter { line in
      let fields = line.split(separator: " ")
      return fields.count >= 8 && Int(fields[0].dropLast()) != nil && fields[6] != "UND"
    }
    // What the C library's copy relocations put there (stdout, stderr) is all that may be.
    #expect(defined.count < 8, "exported: \(defined.prefix(5).joined(separator: "\n"))")
  }

  /// FoundationEssentials only: full Foundation would link in ICU's 30 MB of data and thousands
  /// of protocol conformances every command's argument parsing scans (docs/benchmarks.md).
  @Test func installedBinaryHasNoFullFoundationOrICU() throws {
    let release = try ReleaseBuild.shared.get()
    let symbols = try run("/usr/bin/nm", [release.prefix + "/bin/promptgate"])
    #expect(symbols.status == 0, "\(symbols.stderr)")
    #expect(symbols.stdout.contains("FoundationEssentials"))
    for marker in ["10Foundation", "FoundationInternationalization", "icudt", "4Yams"] {
      let found = symbols.stdout.split(separator: "\n").first { $0.contains(marker) }
      #expect(found == nil, "the binary holds \(found ?? "")")
    }
  }

  /// What linking libgit2 in must not lose: the installed binary still refuses an https server
  /// no trusted authority vouches for and syncs once one does (the system bundle's parse is put
  /// off through the linker's --wrap there, Sources/Git/CertificateAuthorities.swift), and still
  /// checks an ssh server's host key (libssh2 with OpenSSL's libcrypto linked in).
  @Test func installedBinaryChecksWhoHTTPSAndSSHServersAre() throws {
    let release = try ReleaseBuild.shared.get()
    let promptgate = release.prefix + "/bin/promptgate"
    let team = try SyncTests.Team()
    try team.approve(team.one, "alice", "prompt-review")
    if HTTPSGitServer.available {
      let server = try HTTPSGitServer(serving: team.bare)
      let untrusted = try server.sync(team.one, authority: nil, program: promptgate)
      #expect(untrusted.status == 2, "\(untrusted.stdout)\(untrusted.stderr)")
      #expect(untrusted.stderr.contains("localhost was not trusted"), "\(untrusted.stderr)")
      #expect(team.ledger(team.bare) == nil)
      let trusted = try server.sync(team.one, authority: server.authority, program: promptgate)
      #expect(trusted.status == 0, "\(trusted.stdout)\(trusted.stderr)")
      #expect(team.ledger(team.bare) == team.ledger(team.one))
    }
    if FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") {
      let server = try SSHRemoteTests.Server()
      try team.one.git("remote", "add", "viassh", "ssh://root@127.0.0.1:\(server.port)\(team.bare.path)")
      try server.knownHosts("impostor_key")
      let impostor = try server.sync(team.one.path, program: promptgate)
      #expect(impostor.status == 2, "\(impostor.stdout)\(impostor.stderr)")
      #expect(
        impostor.stderr.contains("is not the one ~/.ssh/known_hosts lists for it"), "\(impostor.stderr)")
      try server.knownHosts("host_key")
      let synced = try server.sync(team.one.path, program: promptgate)
      #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
    }
  }

  /// GNU make's conventions: DESTDIR stages an install for a package, and uninstall removes what
  /// install wrote.
  @Test func installHonoursDestdirAndUninstallRemovesEveryFile() throws {
    _ = try ReleaseBuild.shared.get()
    let destdir = try makeTemporaryFolder(prefix: "promptgate-destdir")
    defer { try? FileManager.default.removeItem(atPath: destdir) }
    let install = try ReleaseBuild.make(["install", "PREFIX=/opt/promptgate", "DESTDIR=\(destdir)"])
    #expect(install.status == 0, "\(install.stdout.suffix(2000))\(install.stderr.suffix(2000))")
    #expect(try Self.files(under: destdir + "/opt/promptgate") == Self.shipped)
    let uninstall = try ReleaseBuild.make(["uninstall", "PREFIX=/opt/promptgate", "DESTDIR=\(destdir)"])
    #expect(uninstall.status == 0, "\(uninstall.stderr)")
    #expect(try Self.files(under: destdir).isEmpty)
  }

  /// `man -l` renders the page without a warning, with every subcommand `--help` lists.
  @Test func manPageRenders() throws {
    let release = try ReleaseBuild.shared.get()
    let man = try #require(which("man"), "make test installs man-db (scripts/setup.sh)")
    let page = try run(
      man, ["--warnings", "-l", "-P", "cat", release.prefix + "/share/man/man1/promptgate.1"],
      environment: ["MANWIDTH": "100"], unsetting: ["MANPAGER", "PAGER"])
    #expect(page.status == 0, "\(page.stderr)")
    #expect(!page.stderr.contains("warning"), "\(page.stderr)")
    #expect(page.stdout.hasPrefix("PROMPTGATE(1)"))
    #expect(page.stdout.contains("NAME") && page.stdout.contains("--version"))
    let subcommands = try Self.subcommands()
    #expect(subcommands.count > 10)
    // Each subcommand heads an entry of the description's list, five spaces in.
    let entries = Set(
      page.stdout.split(separator: "\n").filter { $0.hasPrefix("     ") && !$0.hasPrefix("      ") }
        .compactMap { $0.split(separator: " ").first.map(String.init) })
    for subcommand in subcommands {
      #expect(entries.contains(subcommand), "the man page lacks \(subcommand)")
    }
  }

  /// Each shell's completion file is where that shell looks, names the subcommands, and bash
  /// reads its own and registers it for `promptgate`.
  @Test func completionsNameTheSubcommands() throws {
    let release = try ReleaseBuild.shared.get()
    let completions = [
      ("share/bash-completion/completions/promptgate", "-F _promptgate promptgate"),
      ("share/zsh/site-functions/_promptgate", "#compdef promptgate"),
      ("share/fish/vendor_completions.d/promptgate.fish", "complete -c 'promptgate'"),
    ]
    let subcommands = try Self.subcommands()
    for (file, marker) in completions {
      let text = try String(contentsOfFile: release.prefix + "/" + file, encoding: .utf8)
      #expect(text.contains(marker), "\(file) lacks \(marker)")
      for subcommand in subcommands {
        #expect(text.contains(subcommand), "\(file) does not name \(subcommand)")
      }
    }
    let bash = try #require(which("bash"))
    let script = release.prefix + "/" + completions[0].0
    let syntax = try run(bash, ["-n", script])
    #expect(syntax.status == 0, "\(syntax.stderr)")
    let registered = try run(
      bash, ["--norc", "-c", "source \"$1\" && complete -p promptgate", "bash", script])
    #expect(registered.status == 0, "\(registered.stderr)")
    #expect(registered.stdout.contains("_promptgate promptgate"), "\(registered.stdout)")
  }

  /// The tarball, copied elsewhere with its .sha256: the checksum holds (and fails on a changed
  /// byte), it unpacks to one folder laid out as under PREFIX, and that promptgate runs a diff.
  @Test func tarballChecksOutAndRunsElsewhere() throws {
    let release = try ReleaseBuild.shared.get()
    let folder = try makeTemporaryFolder(prefix: "promptgate-unpack")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let name = URL(fileURLWithPath: release.tarball).lastPathComponent
    let files = FileManager.default
    try files.copyItem(atPath: release.tarball, toPath: "\(folder)/\(name)")
    try files.copyItem(atPath: release.tarball + ".sha256", toPath: "\(folder)/\(name).sha256")
    let sha256sum = try #require(which("sha256sum"))
    let checked = try run(sha256sum, ["-c", name + ".sha256"], in: folder)
    #expect(checked.status == 0 && checked.stdout == "\(name): OK\n", "\(checked.stdout)\(checked.stderr)")

    let unpacked = try run(try #require(which("tar")), ["-xzf", name], in: folder)
    #expect(unpacked.status == 0, "\(unpacked.stderr)")
    let top = String(name.dropLast(".tar.gz".count))
    #expect(try files.contentsOfDirectory(atPath: folder).sorted() == [top, name, name + ".sha256"])
    #expect(try Self.files(under: "\(folder)/\(top)") == Self.shipped)

    let repository = try ScratchRepository()
    try repository.write("prompts/greeting.prompt.md", "---\nversion: 1.0.0\n---\nHello {{ name }}\n")
    let base = try repository.commit("Greeting 1.0.0")
    try repository.write("prompts/greeting.prompt.md", "---\nversion: 1.1.0\n---\nHello {{ name }}!\n")
    let head = try repository.commit("Greeting 1.1.0")
    let diff = try run("\(folder)/\(top)/bin/promptgate", ["-C", repository.path, "diff", base, head])
    #expect(diff.status == 0, "\(diff.stderr)")
    #expect(diff.stdout.contains("M  prompts/greeting.prompt.md"), "\(diff.stdout)")
    #expect(diff.stdout.contains("~ version: 1.0.0 → 1.1.0"), "\(diff.stdout)")

    var changed = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
    changed[changed.count / 2] ^= 0x01
    try changed.write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
    #expect(try run(sha256sum, ["-c", name + ".sha256"], in: folder).status != 0)
  }

  /// action.yml is a valid action as judged by check-jsonschema's copy of GitHub's schema, as
  /// the CI recipes are (CIRecipeTests); the validator refuses a broken copy.
  @Test func actionIsValid() throws {
    let valid = try Self.checkJSONSchema("action.yml")
    #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
    let text = try String(contentsOf: packageRoot.appendingPathComponent("action.yml"), encoding: .utf8)
    let broken = text.replacingOccurrences(of: "\n  using: composite", with: "\n  using: compost")
    #expect(broken != text)
    let folder = try makeTemporaryFolder(prefix: "promptgate-action")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try broken.write(toFile: folder + "/action.yml", atomically: true, encoding: .utf8)
    #expect(try Self.checkJSONSchema(folder + "/action.yml").status != 0)
  }

  /// The action's steps, run as the runner would (``ActionRun``): on a cache miss it builds with
  /// make install, saves that folder under the key it restored with, and puts bin/ on PATH; on
  /// a hit it builds nothing. The key names the version and the runner's system, and is the
  /// same from one run to the next.
  @Test func actionBuildsOnACacheMissAndRestoresOnAHit() throws {
    let release = try ReleaseBuild.shared.get()
    let tag = "v" + release.version
    let miss = try ActionRun(inputs: ["version": tag], cacheHit: false)
    defer { try? FileManager.default.removeItem(atPath: miss.work) }
    #expect(miss.ran == [true, true, true, true, true, true], "\(miss.steps)")
    let prefix = try #require(miss.outputs["prefix"])
    #expect(prefix == miss.runnerTemp + "/promptgate")
    #expect(miss.path == [prefix + "/bin"])
    #expect(miss.saved == miss.restored)
    #expect(miss.saved?.path == prefix)
    let key = try #require(miss.restored?.key)
    #expect(key.hasPrefix("promptgate-\(tag)-Linux-"), "\(key)")
    #expect(try Self.files(under: prefix) == Self.shipped)
    let version = try run(prefix + "/bin/promptgate", ["--version"])
    #expect(version.stdout == release.version + "\n")

    let hit = try ActionRun(inputs: ["version": tag, "prefix": release.prefix], cacheHit: true)
    defer { try? FileManager.default.removeItem(atPath: hit.work) }
    #expect(hit.ran == [true, true, true, false, false, true], "\(hit.steps)")
    #expect(hit.path == [release.prefix + "/bin"])
    #expect(hit.restored?.key == key, "the same source and version give the same key")
    #expect(hit.saved == nil)
    // Inputs reach the scripts through env:, never pasted into them.
    #expect(miss.scripts.allSatisfy { !$0.contains("${{") })
  }

  /// The CI recipes run promptgate as it ships, never a debug build: on GitHub every job installs
  /// it with action.yml, at the version it names after @; on GitLab the build job runs make
  /// install and passes the folder on.
  @Test func recipesInstallTheReleaseBuild() throws {
    for recipe in CIRecipeTests.recipes.map(\.0) {
      let commands = try CIRecipeTests.facts(recipe).commands
      #expect(!commands.contains { $0.contains("swift build") || $0.contains(".build/") }, "\(recipe)")
    }
    let gitlab = try CIRecipeTests.facts("docs/ci/gitlab-ci.yml").commands
    #expect(gitlab.contains { $0.hasPrefix("make -C /tmp/promptgate install PREFIX=") })
    let script = """
      import json, sys
      from ruamel.yaml import YAML
      jobs = YAML(typ="safe").load(open(sys.argv[1]))["jobs"]
      print(json.dumps({name: [[step["uses"], str((step.get("with") or {}).get("version"))]
          for step in job["steps"] if "promptgate@" in step.get("uses", "")] for name, job in jobs.items()}))
      """
    let python = try #require(which("python3"))
    let path = packageRoot.appendingPathComponent("docs/ci/github-actions.yml").path
    let result = try run(python, ["-c", script, path])
    #expect(result.status == 0, "\(result.stderr)")
    let jobs = try JSONDecoder().decode([String: [[String]]].self, from: Data(result.stdout.utf8))
    #expect(jobs.count >= 5)
    for (job, installs) in jobs {
      #expect(installs.count == 1, "job \(job) installs promptgate once, with the action")
      for install in installs {
        #expect(
          install[0].hasSuffix("@" + install[1]), "job \(job): \(install[0]) with version \(install[1])")
      }
    }
  }

  /// The paths of the files under `folder`, relative to it.
  static func files(under folder: String) throws -> Set<String> {
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
    var files: Set<String> = []
    while let path = walker.nextObject() as? String {
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: "\(folder)/\(path)", isDirectory: &isFolder),
        !isFolder.boolValue
      {
        files.insert(path)
      }
    }
    return files
  }

  /// The subcommands `promptgate --help` lists.
  static func subcommands() throws -> [String] {
    let help = try CLI.run(["--help"]).stdout
    guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
    return help[start.upperBound...].split(separator: "\n").compactMap { line in
      guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else {
        return nil
      }
      return word == "See" ? nil : String(word)
    }
  }

  static func checkJSONSchema(_ path: String) throws -> ProcessResult {
    let tool = try #require(
      which("check-jsonschema"), "make test installs check-jsonschema (scripts/setup.sh)")
    return try run(tool, ["--builtin-schema", "vendor.github-actions", path], in: packageRoot.path)
  }
}

/// `make dist`, then `make install` into a temporary folder: once for the whole suite, the first
/// time a test asks. .build-release is the release build's own scratch path, so building it does
/// not wait for .build, which this `swift test` holds.
struct ReleaseBuild: Sendable {
  let version: String
  /// dist/promptgate-<version>-linux-<arch>.tar.gz; its .sha256 is beside it.
  let tarball: String
  /// Where make install put promptgate: .build-release/test-install.
  let prefix: String

  static let shared: Result<ReleaseBuild, InstallFailure> = {
    do {
      return .success(try build())
    } catch let failure as InstallFailure {
      return .failure(failure)
    } catch {
      return .failure(InstallFailure(message: "\(error)"))
    }
  }()

  private static func build() throws -> ReleaseBuild {
    let version = try CLI.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let machine = try run("/usr/bin/uname", ["-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let dist = try make(["dist"])
    guard dist.status == 0 else { throw InstallFailure(message: "make dist: \(dist.stdout)\(dist.stderr)") }
    let tarball = packageRoot.appendingPathComponent("dist/promptgate-\(version)-linux-\(machine).tar.gz")
      .path
    guard FileManager.default.fileExists(atPath: tarball) else {
      throw InstallFailure(message: "make dist wrote no \(tarball): \(dist.stdout)")
    }
    // Beside the build, replaced on every run, rather than another 100 MB left in /tmp each time.
    let prefix = packageRoot.appendingPathComponent(".build-release/test-install").path
    try? FileManager.default.removeItem(atPath: prefix)
    let install = try make(["install", "PREFIX=\(prefix)"])
    guard install.status == 0 else {
      throw InstallFailure(message: "make install: \(install.stdout)\(install.stderr)")
    }
    return ReleaseBuild(version: version, tarball: tarball, prefix: prefix)
  }

  /// Runs make in the package, as a user would, free of the make that may be running the tests.
  static func make(_ arguments: [String]) throws -> ProcessResult {
    guard let make = which("make") else { throw InstallFailure(message: "make is not installed") }
    return try run(
      make, ["--no-print-directory"] + arguments, in: packageRoot.path,
      unsetting: ["MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PREFIX", "DESTDIR"])
  }
}

struct InstallFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

/// action.yml's steps run as a GitHub runner runs a composite action, for as much of the runner
/// as the action uses: `${{ }}` with inputs, step outputs, runner.os and github.action_path; `if:`
/// comparing one of those to a string; run steps in bash with GITHUB_OUTPUT, GITHUB_PATH,
/// GITHUB_WORKSPACE, RUNNER_TEMP and GITHUB_ACTION_PATH; and actions/cache/restore and save,
/// whose cache is `cacheHit` (a hit "restores" the prefix given as input, which must be
/// installed already). Anything else it does not know fails the run rather than being guessed at.
struct ActionRun {
  struct Cache: Decodable, Equatable {
    let path: String
    let key: String
  }

  struct Step: Decodable {
    let name: String
    let ran: Bool
  }

  private struct Report: Decodable {
    let steps: [Step]
    let scripts: [String]
    let restored: Cache?
    let saved: Cache?
    let path: [String]
    let outputs: [String: String]
  }

  let steps: [Step]
  let scripts: [String]
  let restored: Cache?
  let saved: Cache?
  /// What the steps added to GITHUB_PATH.
  let path: [String]
  let outputs: [String: String]
  /// The workspace and, in it, the runner's temporary folder; the caller removes it.
  let work: String
  let runnerTemp: String

  var ran: [Bool] { steps.map(\.ran) }

  init(inputs: [String: String], cacheHit: Bool) throws {
    work = try makeTemporaryFolder(prefix: "promptgate-action-run")
    runnerTemp = work + "/runner-temp"
    try FileManager.default.createDirectory(atPath: runnerTemp, withIntermediateDirectories: true)
    let python = try #require(which("python3"))
    let arguments = [
      "-c", Self.runner, packageRoot.path, work, runnerTemp, cacheHit ? "hit" : "miss",
      String(decoding: try JSONEncoder().encode(inputs), as: UTF8.self),
    ]
    let result = try run(
      python, arguments, unsetting: ["MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PREFIX", "DESTDIR"])
    guard result.status == 0 else {
      try? FileManager.default.removeItem(atPath: work)
      throw InstallFailure(message: "action.yml: \(result.stdout)\(result.stderr)")
    }
    let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    steps = report.steps
    scripts = report.scripts
    restored = report.restored
    saved = report.saved
    path = report.path
    outputs = report.outputs
  }

  static let runner = """
    import json, os, re, subprocess, sys
    from ruamel.yaml import YAML
    action_path, work, runner_temp, cache, given = sys.argv[1:6]
    doc = YAML(typ="safe").load(open(os.path.join(action_path, "action.yml")))
    assert doc["runs"]["using"] == "composite"
    inputs = {name: str(spec.get("default", "")) for name, spec in doc["inputs"].items()}
    for name, value in json.loads(given).items():
        if name not in inputs: sys.exit(f"no input {name}")
        inputs[name] = value
    for name, spec in doc["inputs"].items():
        if spec.get("required") and not inputs[name]: sys.exit(f"input {name} is required")
    github_path = os.path.join(work, "github-path")
    open(github_path, "w").close()
    outputs, steps, scripts, restored, saved = {}, [], [], None, None

    def value(reference):
        parts = reference.split(".")
        if parts[0] == "inputs" and len(parts) == 2: return inputs[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return outputs.get(parts[1], {}).get(parts[3], "")
        if reference == "runner.os": return "Linux"
        if reference == "github.action_path": return action_path
        sys.exit(f"not understood: {reference}")

    def evaluate(expression):
        match = re.fullmatch(r"\\s*([\\w.-]+)\\s*(?:(==|!=)\\s*'([^']*)'\\s*)?", expression)
        if not match: sys.exit(f"not understood: {expression}")
        if not match[2]: return value(match[1])
        return (value(match[1]) == match[3]) == (match[2] == "==")

    def substitute(text):
        return re.sub(r"\\$\\{\\{(.*?)\\}\\}", lambda match: str(evaluate(match[1])), str(text))

    for step in doc["runs"]["steps"]:
        name = substitute(step.get("name", step.get("uses", "")))
        condition = step.get("if")
        if condition is not None:
            condition = re.sub(r"^\\s*\\$\\{\\{(.*)\\}\\}\\s*$", r"\\1", str(condition))
            if not evaluate(condition):
                steps.append({"name": name, "ran": False})
                continue
        with_ = {key: substitute(value) for key, value in (step.get("with") or {}).items()}
        result = {}
        if step.get("uses") == "actions/cache/restore@v4":
            restored = {"path": with_["path"], "key": with_["key"]}
            result = {"cache-hit": "true" if cache == "hit" else "", "cache-primary-key": with_["key"]}
        elif step.get("uses") == "actions/cache/save@v4":
            if not os.path.isdir(with_["path"]): sys.exit(f"nothing to save at {with_['path']}")
            saved = {"path": with_["path"], "key": with_["key"]}
        elif "uses" in step:
            sys.exit(f"action not known: {step['uses']}")
        else:
            if step.get("shell") != "bash": sys.exit(f"shell not known: {step.get('shell')}")
            scripts.append(step["run"])
            output = os.path.join(work, f"output-{len(steps)}")
            open(output, "w").close()
            env = dict(os.environ, GITHUB_ACTION_PATH=action_path, GITHUB_OUTPUT=output,
                       GITHUB_PATH=github_path, GITHUB_WORKSPACE=work, RUNNER_TEMP=runner_temp,
                       RUNNER_OS="Linux")
            env.update({key: substitute(value) for key, value in (step.get("env") or {}).items()})
            cwd = substitute(step.get("working-directory", work))
            bash = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", substitute(step["run"])]
            run = subprocess.run(bash, cwd=cwd, env=env, capture_output=True, text=True)
            if run.returncode:
                sys.exit(f"step {name!r} exited {run.returncode}: {run.stdout[-2000:]}{run.stderr[-2000:]}")
            for line in open(output).read().splitlines():
                key, equals, text = line.partition("=")
                if not equals: sys.exit(f"output line not understood: {line}")
                result[key] = text
        if "id" in step: outputs[step["id"]] = result
        steps.append({"name": name, "ran": True})

    print(json.dumps({"steps": steps, "scripts": scripts, "restored": restored, "saved": saved,
        "path": open(github_path).read().splitlines(),
        "outputs": {name: substitute(spec["value"]) for name, spec in doc.get("outputs", {}).items()}}))
    """
}
