#!/usr/bin/env bash
# Regenerates docs/report.png: the demo repository (scripts/make-demo-repo.sh) goes through a
# month of releases told through the real CLI — approvals signed with SSH keys, releases to
# staging and production, a blocked attempt, a bad release rolled back with an incident start,
# a staging rollback — each at a chosen time (libfaketime), then `report --format html` is
# rendered by headless Chromium.
# Usage: scripts/report-screenshot.sh [<png>]   (default docs/report.png)
# Needs: a built promptgate (swift build), git, ssh-keygen, faketime and chromium (Debian packages).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/docs/report.png}
bin=${PROMPTGATE:-$here/.build/debug/promptgate}
for tool in faketime chromium ssh-keygen git; do
  command -v "$tool" >/dev/null 2>&1 || { echo "report-screenshot: needs $tool (apt-get install $tool)" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "report-screenshot: no promptgate at $bin; run swift build first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/demo-repo
"$here/scripts/make-demo-repo.sh" "$repo" >/dev/null
export TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Dev Eloper" GIT_AUTHOR_EMAIL=dev@example.com
export GIT_COMMITTER_NAME="Dev Eloper" GIT_COMMITTER_EMAIL=dev@example.com
git -C "$repo" config user.name "Omar Ops"
git -C "$repo" config user.email omar@example.com

# Reviewers' keys: priya owns the prompts, carol reviews compliance, sam (service manager) may
# also sign a break-glass override.
mkdir -p "$repo/.promptgate"
for name in priya carol sam; do
  ssh-keygen -q -t ed25519 -N "" -C "$name@example.com" -f "$work/$name"
  namespaces=promptgate-approval
  [ "$name" = sam ] && namespaces=promptgate-approval,promptgate-override
  echo "$name@example.com namespaces=\"$namespaces\" $(cut -d' ' -f1,2 "$work/$name.pub")"
done >"$repo/.promptgate/allowed_signers"

at() { # at <UTC time> <promptgate arguments...>: runs promptgate as if it were then
  local when=$1
  shift
  faketime "$when" "$bin" -C "$repo" --no-color "$@" >/dev/null 2>"$work/stderr" || {
    local status=$?
    # A blocked release is part of the story (exit 1); anything else is a failure of this script.
    [ "$status" -eq 1 ] && [ "${EXPECT_BLOCKED:-}" = 1 ] && return 0
    echo "report-screenshot: promptgate $* (at $when) exited $status: $(head -n 1 "$work/stderr")" >&2
    exit 1
  }
}
commit() { # commit <date> <message>
  git -C "$repo" add -A
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$repo" commit -q -m "$2"
  git -C "$repo" rev-parse HEAD
}
approve() { # approve <time> <rev> <env> <reviewer> <checkpoint>
  at "$1" approve "$2" --env "$3" --checkpoint "$5" --key "$work/$4"
}

# The first release: the reviewers' keys, and priya as prompt owner.
sed -i 's/prompt-owner: \[alice@example.com\]/prompt-owner: [priya@example.com]/' "$repo/runbook.yaml"
first=$(commit "2026-11-01T12:00:00Z" "Reviewers: priya owns the prompts; their signing keys")
approve "2026-11-02 09:00:00" "$first" staging priya prompt-review
approve "2026-11-02 09:20:00" "$first" staging carol compliance-review
at "2026-11-02 10:00:00" release "$first" --env staging
approve "2026-11-03 09:00:00" "$first" production priya prompt-review
approve "2026-11-03 11:30:00" "$first" production carol compliance-review
at "2026-11-03 14:00:00" release "$first" --env production

# A prompt change: staging first; production is blocked until approved; then it goes wrong.
sed -i 's/version: 1.1.0/version: 1.2.0/; s/their plan is {{ plan_tier }}./their plan is {{ plan_tier }}; quote its monthly price./' \
  "$repo/prompts/support/billing.prompty"
prices=$(commit "2026-11-08T16:00:00Z" "Billing: quote the plan's monthly price")
approve "2026-11-09 09:00:00" "$prices" staging priya prompt-review
at "2026-11-09 09:30:00" release "$prices" --env staging
EXPECT_BLOCKED=1 at "2026-11-10 10:00:00" release "$prices" --env production
approve "2026-11-10 11:00:00" "$prices" production priya prompt-review
at "2026-11-10 11:30:00" release "$prices" --env production
at "2026-11-10 15:40:00" rollback --env production --incident INC-1042 --incident-start 2026-11-10T15:05:00Z \
  --reason "billing answers quoted last year's plan prices"

# The fix answers the incident: released to both, approvals a day apart.
sed -i 's/version: 1.2.0/version: 1.3.0/; s/quote its monthly price./never quote prices, link the price list./' \
  "$repo/prompts/support/billing.prompty"
sed -i 's/incidents: \[\]/incidents: ["INC-1042"]/' "$repo/runbook.yaml"
fix=$(commit "2026-11-15T17:00:00Z" "Billing: link the price list instead of quoting (INC-1042)")
approve "2026-11-16 09:00:00" "$fix" staging priya prompt-review
approve "2026-11-16 09:40:00" "$fix" staging carol compliance-review
at "2026-11-16 10:00:00" release "$fix" --env staging
approve "2026-11-17 08:30:00" "$fix" production priya prompt-review
approve "2026-11-17 09:10:00" "$fix" production carol compliance-review
at "2026-11-17 11:00:00" release "$fix" --env production

# A greeting change that staging catches: rolled back six hours after it went in.
sed -i 's/version: 1.1.0/version: 1.2.0/; s/Hello, how can I help you today?/Hello! Welcome to Example Telecom support, how can I help you today?/' \
  "$repo/prompts/support/welcome.prompt.md"
greeting=$(commit "2026-11-22T15:00:00Z" "Welcome: a longer greeting")
approve "2026-11-23 09:00:00" "$greeting" staging priya prompt-review
at "2026-11-23 10:00:00" release "$greeting" --env staging
at "2026-11-23 16:00:00" rollback --env staging --incident INC-1051 --reason "greeting too long for the Dutch widget"

# A routing change for a launch: compliance review is not in yet, so production blocks it and
# the service manager signs a break-glass override: a compliance exception in the report.
sed -i 's/"de": "tier-1-de"/"de": "tier-1-de", "fr": "tier-1-fr"/' "$repo/policies/routing.json"
routing=$(commit "2026-11-24T08:00:00Z" "Routing: French queue for the launch")
EXPECT_BLOCKED=1 at "2026-11-25 09:00:00" release "$routing" --env production
at "2026-11-25 09:20:00" release "$routing" --env production --override --key "$work/sam" \
  --reason "French launch today; compliance review booked for Monday"

faketime "2026-11-26 09:00:00" "$bin" -C "$repo" report --period week --format html >"$work/report.html"
chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" --screenshot="$out" \
  --window-size=1200,1600 "file://$work/report.html" >/dev/null 2>&1
echo "report-screenshot: wrote $out"
