#!/usr/bin/env bash
# The leak check (`make leaks`, also run by `make test`): builds with AddressSanitizer into
# .build-asan and runs, under LeakSanitizer, which fails on any leak, a focused set of tests that
# between them cross every C boundary (listed below), in process or through the sanitized
# promptgate the CLI tests run.
# valgrind 3.19 cannot read the DWARF 5 debug info Swift 6 writes, so LeakSanitizer it is.
# Usage: scripts/leak-check.sh [--build-only | --skip-build]
#   make test builds first (--build-only), then runs the check (--skip-build) beside the plain run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build=yes
check=yes
case "${1:-}" in
  "") ;;
  --build-only) check=no ;;
  --skip-build) build=no ;;
  *)
    echo "usage: scripts/leak-check.sh [--build-only | --skip-build]" >&2
    exit 2
    ;;
esac
flags=(--scratch-path .build-asan -Xswiftc -sanitize=address)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export LSAN_OPTIONS=suppressions=$here/scripts/lsan.supp:print_suppressions=0
# Tests that cannot run sanitized (libfaketime's preload deadlocks with ASan) check this.
export PROMPTGATE_SANITIZED=1
# Swift's crash backtracer reads other threads' stacks, which ASan reports as an overflow, and
# then the crashed test run never ends: a crash must fail the check, not hang it.
export SWIFT_BACKTRACE=enable=no

if [ $build = yes ]; then
  echo "leak check: building with AddressSanitizer (.build-asan)"
  # The tests and the promptgate the CLI tests run, in one build.
  swift build "${flags[@]}" --build-tests >/dev/null
fi
[ $check = yes ] || exit 0
# Not the whole suite again (the plain run checks behaviour; a leak needs one run of the path that
# leaks, not many): every test of the suites that cross a C boundary in process, which are cheap,
# and of the CLI suites the tests that reach each C path the sanitized promptgate has, each
# success path and each kind of failure once. Each entry is a suite, or suite/test.
# - GitTests: every libgit2 wrapper in Sources/Git, in process (repositories, revisions, diffs
#   and renames, object and ref writing, commit signatures, remotes over file:// and git://,
#   http.extraHeader; GSSAPI loaded on first use by Sources/CGSSAPI).
# - StructuredDocumentTests, RunbookTests: libyaml through YAMLReader, hostile YAML included.
# - SSHSignatureTests, ECDSACurveTests, CommitSignerTests: BoringSSL through swift-crypto
#   (Ed25519, ECDSA P-256/384/521, RSA verification) and ssh-keygen's child process.
# - ReleaseExportTests: trees and blobs read from libgit2 and written to disk.
# - ErrorCodeTests: the ledger's commits and ref locks, and their failures.
# - HTTPSRemoteTests, CABundleTests, ConcurrentHTTPSRemotesTests: TLS through libgit2's mbedTLS
#   and the deferred CA bundle (Sources/Git/CertificateAuthorities.swift), refused certificates,
#   redirects, credential callbacks and extra headers, two remotes at once.
# - SSHRemoteTests: libssh2 through libgit2, host keys and ssh-agent credential callbacks.
# - SyncTests: fetch and push both ways, a push whose lease fails, a shallow single-branch
#   clone, an unknown and an unreachable remote, a rewritten remote ledger.
# - ReleaseTests: a release through its gates (ledger commit, environment ref, mirror), a
#   rollback with its revert commit, an export, a shallow clone refused.
# - AuditTests: a ledger verified whole, and an edited event found.
# - CheckCommandTests, DiffCommandTests, ProseDiffCommandTests: the gate, diff and patch paths
#   (libgit2's git_patch_from_buffers behind diff --patch) end to end, their errors included.
tests=(
  GitTests. StructuredDocumentTests RunbookTests SSHSignatureTests ECDSACurveTests CommitSignerTests
  ReleaseExportTests ErrorCodeTests
  HTTPSRemoteTests CABundleTests ConcurrentHTTPSRemotesTests SSHRemoteTests
  SyncTests/approvalsInBothClonesReachBoth SyncTests/twoMovesOfOneEnvironmentConflictAndNothingIsWritten
  SyncTests/aSingleBranchShallowCICheckoutSyncs SyncTests/unknownAndUnreachableRemotesSayOneLine
  SyncTests/aRewrittenRemoteLedgerIsRefused
  ReleaseTests/releasesMoveTheEnvironmentOnlyThroughTheirGates
  ReleaseTests/rollbackGoesBackToTheLastGoodReleaseAndTheNextReleaseAnswersIt
  ReleaseTests/exportWritesTheDeployedReleaseWithALockAndTheFallback
  ReleaseTests/statusInAShallowCloneFailsClosedAndSaysWhatToFetch
  AuditTests/anIntactLedgerVerifiesAndLogs AuditTests/anEditedEventIsNamed
  CheckCommandTests DiffCommandTests ProseDiffCommandTests
)
# A test's id is Module.Suite/test(...): GitTests. is the whole module, a suite is matched after
# its module's dot (so DiffCommandTests is not GovernanceDiffCommandTests too).
filters=()
for test in "${tests[@]}"; do
  case "$test" in
    *.) filters+=(--filter "^${test//./\\.}") ;;
    */*) filters+=(--filter "\\.${test%%/*}/${test#*/}\\(") ;;
    *) filters+=(--filter "\\.$test/") ;;
  esac
done
echo "leak check: the tests that cross a C boundary, under LeakSanitizer (the CLI tests run the sanitized promptgate)"
log=.build-asan/lsan-tests.log
swift test "${flags[@]}" --skip-build "${filters[@]}" >"$log" 2>&1 ||
  { grep -E -A24 'LeakSanitizer|ERROR|✘' "$log" | head -80; echo "leak check: failed, see $log"; exit 1; }
# A name that matches nothing would quietly check less: each entry must have run.
for test in "${tests[@]}"; do
  case "$test" in
    *.) pattern="✔ Test " ;;
    */*) pattern="✔ Test ${test#*/}(" ;;
    *) pattern="✔ Suite $test passed" ;;
  esac
  grep -qF "$pattern" "$log" || { echo "leak check: $test ran nothing (renamed?): update scripts/leak-check.sh"; exit 1; }
done
echo "leak check: promptgate diff under LeakSanitizer"
"$here/scripts/make-demo-repo.sh" .build-asan/demo-repo >/dev/null
for format in text json markdown; do
  .build-asan/debug/promptgate -C .build-asan/demo-repo diff v1.0 v1.2 --format "$format" >/dev/null
done
.build-asan/debug/promptgate -C .build-asan/demo-repo diff v1.0 nope 2>/dev/null && exit 1
[ $? -eq 2 ] || { echo "leak check: the error path did not exit 2 cleanly"; exit 1; }
echo "leak check: no leaks"
