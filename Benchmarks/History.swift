import Foundation

/// The history of one generated repository, written as a fast-import stream: an initial commit
/// with every file, then commits that each change one to three files the way people do (field
/// tweaks, reworded lines, now and then a move, a deletion or a new prompt), with a block of
/// 100 single-file commits in the middle.
struct History {
  private let shape: RepositoryShape
  private var stream: FastImportStream
  private var random = SeededRandom(seed: 0x70_726F_6D70_7467)
  private var prompts: [PromptFile] = []
  /// Indices into `prompts` of the files in the current tree.
  private var live: [Int] = []
  private var policies: [PolicyFile] = []
  private var runbookLatency = 2500
  /// Seconds since the epoch; history starts on 2024-01-01.
  private var time = 1_704_067_200

  init(shape: RepositoryShape, stream: FastImportStream) {
    self.shape = shape
    self.stream = stream
  }

  /// Writes the whole history and tags its landmarks (``BenchTag``).
  mutating func write() throws(BenchError) {
    let first = try writeInitialCommit()
    var blockBase = first
    var blockOne = first
    var blockHead = first
    var last = first
    for index in 0..<shape.randomCommits {
      if index == shape.blockStart {
        blockBase = last
        (blockOne, blockHead) = try writeBlock()
        last = blockHead
      }
      last = try writeRandomCommit()
    }
    stream.reset("refs/tags/\(BenchTag.first)", to: first)
    stream.reset("refs/tags/\(BenchTag.blockBase)", to: blockBase)
    stream.reset("refs/tags/\(BenchTag.blockOne)", to: blockOne)
    stream.reset("refs/tags/\(BenchTag.blockHead)", to: blockHead)
    stream.reset("refs/tags/\(BenchTag.last)", to: last)
    try stream.finish()
  }

  private mutating func writeInitialCommit() throws(BenchError) -> Int {
    let mark = try stream.commit(time: time, message: "Import \(shape.promptCount) prompts")
    try stream.modify(Runbook.path, Runbook.text(latencyMilliseconds: runbookLatency))
    try stream.modify("fallbacks/static.md", "We could not answer right now; a person will follow up.\n")
    for name in PolicyFile.names {
      let policy = PolicyFile(name: name, random: &random)
      policies.append(policy)
      try stream.modify(policy.path, policy.text)
    }
    let perArea = RepositoryShape.promptsPerArea
    let perTeam = perArea * RepositoryShape.areasPerTeam
    for number in 0..<shape.promptCount {
      let path = Self.path(number, team: number / perTeam, area: number % perTeam / perArea)
      let prompt = PromptFile(path: path, number: number, random: &random)
      prompts.append(prompt)
      live.append(number)
      try stream.modify(path, prompt.text)
    }
    return mark
  }

  /// 100 commits, each modifying one prompt no other commit of the block touches.
  private mutating func writeBlock() throws(BenchError) -> (first: Int, last: Int) {
    var chosen = Set<Int>()
    while chosen.count < RepositoryShape.blockLength {
      chosen.insert(random.pick(live))
    }
    var marks: [Int] = []
    for index in chosen.sorted() {
      let what = prompts[index].edit(random: &random)
      marks.append(try commit("\(Self.folder(of: prompts[index].path)): \(what) (reviewed batch)"))
      try stream.modify(prompts[index].path, prompts[index].text)
    }
    return (marks[0], marks[marks.count - 1])
  }

  private mutating func writeRandomCommit() throws(BenchError) -> Int {
    let roll = Double.random(in: 0..<1, using: &random)
    switch roll {
    case ..<0.010: return try movePrompt()
    case ..<0.015: return try deletePrompt()
    case ..<0.020: return try addPrompt()
    case ..<0.045:
      let index = Int.random(in: 0..<policies.count, using: &random)
      let what = policies[index].edit(random: &random)
      let mark = try commit("policies: \(what) in \(policies[index].name)")
      try stream.modify(policies[index].path, policies[index].text)
      return mark
    case ..<0.047:
      runbookLatency += random.pick([-500, -250, 250, 500])
      let mark = try commit("runbook: latency objective \(runbookLatency) ms")
      try stream.modify(Runbook.path, Runbook.text(latencyMilliseconds: runbookLatency))
      return mark
    default: return try editPrompts()
    }
  }

  /// Edits one prompt most of the time, two or three now and then.
  private mutating func editPrompts() throws(BenchError) -> Int {
    let count = random.chance(0.7) ? 1 : (random.chance(0.67) ? 2 : 3)
    var chosen = Set<Int>()
    while chosen.count < count { chosen.insert(random.pick(live)) }
    var edits: [(index: Int, what: String)] = []
    for index in chosen.sorted() {
      edits.append((index, prompts[index].edit(random: &random)))
    }
    let first = edits[0]
    let message =
      "\(Self.folder(of: prompts[first.index].path)): \(first.what)"
      + (edits.count > 1 ? " and \(edits.count - 1) more" : "")
    let mark = try commit(message)
    for edit in edits {
      try stream.modify(prompts[edit.index].path, prompts[edit.index].text)
    }
    return mark
  }

  /// Moves a prompt to another area, edited on the way half the time, as a rename git detects.
  private mutating func movePrompt() throws(BenchError) -> Int {
    let index = random.pick(live)
    let old = prompts[index].path
    let name = old.split(separator: "/").last.map(String.init) ?? "prompt.prompty"
    var folder = old
    while folder == old {
      let team = Int.random(in: 0..<shape.teams, using: &random)
      let area = Int.random(in: 0..<RepositoryShape.areasPerTeam, using: &random)
      folder = "\(Self.folder(team: team, area: area))/\(name)"
    }
    prompts[index].path = folder
    let edited = random.chance(0.5)
    let what = edited ? " and \(prompts[index].edit(random: &random))" : ""
    let mark = try commit("Move \(name) to \(Self.folder(of: folder))\(what)")
    stream.rename(old, to: folder)
    if edited { try stream.modify(folder, prompts[index].text) }
    return mark
  }

  private mutating func deletePrompt() throws(BenchError) -> Int {
    let position = Int.random(in: 0..<live.count, using: &random)
    let path = prompts[live[position]].path
    live.swapAt(position, live.count - 1)
    live.removeLast()
    let mark = try commit("Retire \(path)")
    stream.delete(path)
    return mark
  }

  private mutating func addPrompt() throws(BenchError) -> Int {
    let number = prompts.count
    let team = Int.random(in: 0..<shape.teams, using: &random)
    let area = Int.random(in: 0..<RepositoryShape.areasPerTeam, using: &random)
    let prompt = PromptFile(path: Self.path(number, team: team, area: area), number: number, random: &random)
    prompts.append(prompt)
    live.append(number)
    let mark = try commit("Add \(prompt.path)")
    try stream.modify(prompt.path, prompt.text)
    return mark
  }

  private mutating func commit(_ message: String) throws(BenchError) -> Int {
    time += Int.random(in: 600...7200, using: &random)
    return try stream.commit(time: time, message: message + "\n")
  }

  static func path(_ number: Int, team: Int, area: Int) -> String {
    // One prompt in ten is a .prompt.md, as repositories mix both conventions.
    let suffix = number % 10 == 9 ? "prompt.md" : "prompty"
    return "\(folder(team: team, area: area))/prompt-\(String(format: "%05d", number)).\(suffix)"
  }

  static func folder(team: Int, area: Int) -> String {
    "prompts/team-\(String(format: "%03d", team))/area-\(area)"
  }

  static func folder(of path: String) -> String {
    path.split(separator: "/").dropLast().joined(separator: "/")
  }
}
