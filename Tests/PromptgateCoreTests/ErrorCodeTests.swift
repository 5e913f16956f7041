import Foundation
import Git
import PromptgateCore
import TestSupport
import Testing

/// Callers tell failures apart by `PromptgateError.code`, never by wording, and the exit code
/// follows from the code. Each case here is a real failure on a scratch repository.
@Suite struct ErrorCodeTests {
  private func event(_ slot: Ledger.Slot, _ name: String) -> LedgerEvent {
    LedgerEvent(
      kind: .release, sequence: slot.sequence, time: "2026-10-01T10:00:00Z", actor: "Omar <omar@example.com>",
      environment: "staging",
      release: LedgerEvent.Release(
        commit: String(repeating: name, count: 40), tree: String(repeating: name, count: 40)),
      repository: "root", details: [:])
  }

  private func failure(_ body: () throws -> Void) -> PromptgateError? {
    do {
      try body()
      return nil
    } catch {
      return error as? PromptgateError
    }
  }

  @Test func everyCodeHasOneKindAndTheExitCodeFollowsIt() {
    for code in PromptgateError.Code.allCases {
      let error = PromptgateError(code, "x")
      #expect(error.kind == code.kind)
      let expected: Int32 =
        switch code.kind {
        case .input: 2
        case .blocked: 1
        case .conflict: 3
        }
      #expect(error.exitCode == expected, "\(code)")
    }
    #expect(PromptgateError.Code.lockHeld.kind == .input, "a stale lock needs a person, not a retry")
    #expect(PromptgateError.Code.ledgerRewritten.kind == .blocked)
  }

  @Test func theConstructorsOfKindsStillGiveTheirGeneralCode() {
    #expect(PromptgateError.input("x").code == .invalidInput)
    #expect(PromptgateError(.blocked, "x").code == .refused)
    #expect(PromptgateError(.conflict, "x").code == .concurrentWrite)
  }

  @Test func aFolderOutsideAnyRepositoryIsNotARepository() throws {
    let folder = try makeTemporaryFolder(prefix: "promptgate-norepo")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let error = failure { _ = try RepositoryLookup.open(at: folder) }
    #expect(error?.code == .notARepository)
    #expect(error?.exitCode == 2)
  }

  @Test func anUnknownRevisionIsNotFound() throws {
    let scratch = try ScratchRepository()
    let repository = try RepositoryLookup.open(at: scratch.path)
    #expect(failure { _ = try RepositoryLookup.commit("v9.9", in: repository) }?.code == .notFound)
    try scratch.write("README", "x\n")
    try scratch.commit("root")
    #expect(failure { _ = try RepositoryLookup.commit("no-such-branch", in: repository) }?.code == .notFound)
  }

  @Test func aLockLeftOnTheLedgerIsLockHeld() throws {
    let scratch = try ScratchRepository()
    try scratch.write("README", "x\n")
    try scratch.commit("root")
    let ledger = Ledger(try RepositoryLookup.open(at: scratch.path))
    try ledger.append(independent: true) { slot in (event(slot, "a"), nil) }
    try scratch.write(".git/refs/promptgate/ledger.lock", "")
    let error = failure { try ledger.append(independent: true) { slot in (event(slot, "b"), nil) } }
    #expect(error?.code == .lockHeld, "\(error?.message ?? "no error")")
  }

  @Test func aLedgerRewrittenUnderThisCloneIsLedgerRewritten() throws {
    let scratch = try ScratchRepository()
    try scratch.write("README", "x\n")
    try scratch.commit("root")
    let ledger = Ledger(try RepositoryLookup.open(at: scratch.path))
    let first = try ledger.append(independent: true) { slot in (event(slot, "a"), nil) }
    try ledger.append(independent: true) { slot in (event(slot, "b"), nil) }
    // An insider resets the ledger to its first event, dropping the second.
    try scratch.git("update-ref", "refs/promptgate/ledger", first.commit.hex)
    let error = failure { try ledger.append(independent: true) { slot in (event(slot, "c"), nil) } }
    #expect(error?.code == .ledgerRewritten, "\(error?.message ?? "no error")")
    #expect(error?.exitCode == 1)
  }
}
