#!/usr/bin/env bash
# make demo: builds a demo repository of prompts, policies and a runbook, then tells its story
# through promptgate: what changed (diff), whether it may ship (check), who approved, releases
# to staging and production, a bad release rolled back, a fix, an override, and the report a
# service manager sends. Everything happens in ./demo-repo, which is rebuilt each time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/.build/debug/promptgate"
repo="$here/demo-repo"
work="$here/demo-repo/.git/demo-keys"

"$here/scripts/make-demo-repo.sh" "$repo"
echo "demo: built $repo (tags v1.0, v1.1, v1.2)"
run() { echo; echo "\$ promptgate -C demo-repo $*"; "$bin" -C "$repo" "$@"; }

echo
echo "== 1. What changed between releases: prompt fields, template variables, policy keys"
run diff v1.0 v1.1
run diff v1.1 v1.2

echo
echo "== 2. May v1.2 ship? Judged by its own rules as a first release: it lacks approvals, and"
echo "      production takes only what soaked in staging"
run check v1.2 --env production || echo "(exit $?: blocked, as it should be)"

echo
echo "== 3. A month of releases, approvals, a rollback and an override (each at its own time)"
PROMPTGATE=$bin SHOW=1 "$here/scripts/demo-story.sh" "$repo" "$work"

echo
echo "== 4. Where things stand, what happened, and whether the ledger holds"
run status
run history --env production
run audit verify

echo
echo "== 5. Every move is signed by a role: carol reviews compliance, and may not roll back production"
run rollback --env production --reason "looks wrong to me" --key "$work/carol" \
  || echo "(exit $?: refused, as it should be; nothing was written)"

echo
echo "== 6. The report for the client"
run report --since 2026-11-01 --until 2026-11-30
"$bin" -C "$repo" report --since 2026-11-01 --until 2026-11-30 --period week --format html >"$repo/report.html"
echo
echo "demo: the HTML report (one self-contained file) is $repo/report.html"
echo "demo: the ledger is plain git: git -C demo-repo log --oneline refs/promptgate/ledger"
