#!/usr/bin/env bash
# The leak check (`make leaks`, also run by `make test`): builds with AddressSanitizer into
# .build-asan and runs the suites that cross a C boundary (listed below) and the CLI under
# LeakSanitizer, which fails on any leak.
# valgrind 3.19 cannot read the DWARF 5 debug info Swift 6 writes, so LeakSanitizer it is.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
flags=(--scratch-path .build-asan -Xswiftc -sanitize=address)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export LSAN_OPTIONS=suppressions=$here/scripts/lsan.supp:print_suppressions=0
# Tests that cannot run sanitized (libfaketime's preload deadlocks with ASan) check this.
export PROMPTGATE_SANITIZED=1
# Swift's crash backtracer reads other threads' stacks, which ASan reports as an overflow, and
# then the crashed test run never ends: a crash must fail the check, not hang it.
export SWIFT_BACKTRACE=enable=no

echo "leak check: building with AddressSanitizer (.build-asan)"
swift build "${flags[@]}" --product promptgatePackageTests >/dev/null
swift build "${flags[@]}" --product promptgate >/dev/null
# Not the whole suite again (the plain run checks behaviour): the suites that cross every C
# boundary, in process or through the sanitized promptgate the CLI tests run.
# - GitTests: every libgit2 wrapper in Sources/Git, in process (repositories, revisions, diffs
#   and renames, object and ref writing, commit signatures, remotes over file:// and git://,
#   http.extraHeader).
# - StructuredDocumentTests, RunbookTests: libyaml through Yams, hostile YAML included.
# - SSHSignatureTests, ECDSACurveTests, CommitSignerTests: BoringSSL through swift-crypto
#   (Ed25519, ECDSA P-256/384/521, RSA verification) and ssh-keygen's child process.
# - ReleaseExportTests: trees and blobs read from libgit2 and written to disk.
# - ErrorCodeTests: the ledger's commits and ref locks.
# - HTTPSRemoteTests, CABundleTests: TLS through libgit2's mbedTLS and the deferred CA bundle
#   (Sources/Git/CertificateAuthorities.swift), redirects and credential callbacks.
# - SSHRemoteTests: libssh2 through libgit2, host keys and ssh-agent credential callbacks.
# - SyncTests: fetch, push with leases, ref transactions.
# - ReleaseTests, AuditTests, CheckCommandTests, DiffCommandTests: the CLI's release, ledger,
#   gate and diff paths end to end in the sanitized binary.
# - ProseDiffCommandTests: libgit2's patch API (git_patch_from_buffers) behind diff --patch.
suites='GitTests|StructuredDocumentTests|RunbookTests|SSHSignatureTests|ECDSACurveTests|CommitSignerTests'
suites+='|ReleaseExportTests|ErrorCodeTests|HTTPSRemoteTests|CABundleTests|SSHRemoteTests|SyncTests'
suites+='|ReleaseTests|AuditTests|CheckCommandTests|DiffCommandTests|ProseDiffCommandTests|ConcurrentHTTPSRemotesTests'
echo "leak check: the suites that cross a C boundary, under LeakSanitizer (the CLI tests run the sanitized promptgate)"
log=.build-asan/lsan-tests.log
swift test "${flags[@]}" --skip-build --filter "$suites" >"$log" 2>&1 ||
  { grep -E -A24 'LeakSanitizer|ERROR|✘' "$log" | head -80; echo "leak check: failed, see $log"; exit 1; }
echo "leak check: promptgate diff under LeakSanitizer"
"$here/scripts/make-demo-repo.sh" .build-asan/demo-repo >/dev/null
for format in text json markdown; do
  .build-asan/debug/promptgate -C .build-asan/demo-repo diff v1.0 v1.2 --format "$format" >/dev/null
done
.build-asan/debug/promptgate -C .build-asan/demo-repo diff v1.0 nope 2>/dev/null && exit 1
[ $? -eq 2 ] || { echo "leak check: the error path did not exit 2 cleanly"; exit 1; }
echo "leak check: no leaks"
