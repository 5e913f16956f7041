#!/usr/bin/env bash
# A month in the life of the demo repository, told through the real CLI: reviewers sign
# approvals with SSH keys, releases go to staging and production, production blocks an
# unapproved change, a bad release is rolled back with an incident, a fix answers it, staging
# rolls back a greeting, the service manager signs a break-glass override, and a failing evaluation
# blocks a prompt change until the fixed one passes. Every command
# runs at a chosen time (libfaketime), so the report has real durations.
#
# Usage: scripts/demo-story.sh <repo> <work folder>    (the repo from scripts/make-demo-repo.sh)
# Environment: PROMPTGATE (the binary), SHOW=1 to print each command and what it said.
set -euo pipefail
repo=${1:?usage: demo-story.sh <repo> <work folder>}
work=${2:?usage: demo-story.sh <repo> <work folder>}
bin=${PROMPTGATE:?set PROMPTGATE to the promptgate binary}
show=${SHOW:-0}
for tool in faketime ssh-keygen git; do
  command -v "$tool" >/dev/null 2>&1 || { echo "demo-story: needs $tool (apt-get install $tool)" >&2; exit 2; }
done
mkdir -p "$work"
export TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
# Dev Eloper writes the changes; Omar (git's configured user here) runs promptgate.
git -C "$repo" config user.name "Omar Ops"
git -C "$repo" config user.email omar@example.com

say() { [ "$show" = 1 ] && printf '\n# %s\n' "$*" || true; }

at() { # at <UTC time> <promptgate arguments...>: runs promptgate as if it were then
  local when=$1 status=0
  shift
  # -f: the clock stands still at that time, so a slow start on a busy machine adds no seconds.
  faketime -f "$when" "$bin" -C "$repo" --no-color "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
  if [ "$show" = 1 ]; then
    local shown="$*"
    printf '\n$ promptgate %s    # at %s\n' "${shown//$work\//keys/}" "$when"
    # release prints its whole gate report; the demo shows the verdict (and why, when blocked).
    case "$status:$1" in
      1:release) grep -E '^(blocked|  ✗ )' "$work/stdout" ;;
      0:release) grep -E '^(released|overridden|dry run)' "$work/stdout" ;;
      *) cat "$work/stdout" ;;
    esac
    cat "$work/stderr"
  fi
  # A blocked release is part of the story (exit 1); anything else is a failure of this script.
  if [ "$status" -ne 0 ] && ! { [ "$status" -eq 1 ] && [ "${EXPECT_BLOCKED:-}" = 1 ]; }; then
    echo "demo-story: promptgate $* (at $when) exited $status: $(head -n 1 "$work/stderr")" >&2
    exit 1
  fi
}
commit() { # commit <date> <message>: prints the new commit id
  git -C "$repo" add -A
  GIT_AUTHOR_NAME="Dev Eloper" GIT_AUTHOR_EMAIL=dev@example.com GIT_AUTHOR_DATE="$1" \
    GIT_COMMITTER_NAME="Dev Eloper" GIT_COMMITTER_EMAIL=dev@example.com GIT_COMMITTER_DATE="$1" \
    git -C "$repo" commit -q -m "$2"
  git -C "$repo" rev-parse --short HEAD
}
approve() { # approve <time> <rev> <env> <reviewer> <checkpoint>
  at "$1" approve "$2" --env "$3" --checkpoint "$5" --key "$work/$4"
}

# Every signature promptgate makes is in the namespace `promptgate`: priya owns the prompts,
# carol reviews compliance, sam (service manager) may sign break-glass overrides, omar (AI
# operations, the rollback owner) rolls back, and ci is the pipeline's release-bot, whose key
# CI keeps as a secret and signs every release with.
mkdir -p "$repo/.promptgate"
for name in priya carol sam omar ci; do
  rm -f "$work/$name" "$work/$name.pub"
  ssh-keygen -q -t ed25519 -N "" -C "$name@example.com" -f "$work/$name"
  echo "$name@example.com namespaces=\"promptgate\" $(cut -d' ' -f1,2 "$work/$name.pub")"
done >"$repo/.promptgate/allowed_signers"

say "The first governed release: the reviewers' keys, priya as prompt owner, the release-bot."
sed -i 's/prompt-owner: \[alice@example.com\]/prompt-owner: [priya@example.com]/' "$repo/runbook.yaml"
sed -i 's/^  override_roles: \[service-manager\]/  override_roles: [service-manager]\n  release_roles: [release-bot, ai-operations-engineer]/' "$repo/runbook.yaml"
# The client the service is run for, and its SLOs for what the helpdesk measures.
sed -i 's/^  name: support-assistant/  name: support-assistant\n  client: Example Telecom/' "$repo/runbook.yaml"
sed -i 's/^  slo: { latency_p95_ms: 2500, error_rate: 0.02 }/  slo: { latency_p95_ms: 2500, error_rate: 0.02, resolution_rate: 0.85, csat: 4.2 }/' "$repo/runbook.yaml"
sed -i 's/^  ai-operations-engineer: \[omar@example.com\]/  ai-operations-engineer: [omar@example.com]\n  release-bot: [ci@example.com]/' "$repo/runbook.yaml"
first=$(commit "2026-11-01T12:00:00Z" "Reviewers: priya owns the prompts; their signing keys; the release-bot")
approve "2026-11-02 09:00:00" "$first" staging priya prompt-review
approve "2026-11-02 09:20:00" "$first" staging carol compliance-review
at "2026-11-02 10:00:00" release "$first" --env staging --key "$work/ci"
approve "2026-11-03 09:00:00" "$first" production priya prompt-review
approve "2026-11-03 11:30:00" "$first" production carol compliance-review
at "2026-11-03 14:00:00" release "$first" --env production --key "$work/ci"

say "A prompt change: staging first; production blocks it until approved; then it goes wrong."
sed -i 's/version: 1.1.0/version: 1.2.0/; s/their plan is {{ plan_tier }}./their plan is {{ plan_tier }}; quote its monthly price./' \
  "$repo/prompts/support/billing.prompty"
prices=$(commit "2026-11-08T16:00:00Z" "Billing: quote the plan's monthly price")
approve "2026-11-09 09:00:00" "$prices" staging priya prompt-review
at "2026-11-09 09:30:00" release "$prices" --env staging --key "$work/ci"
EXPECT_BLOCKED=1 at "2026-11-10 10:00:00" release "$prices" --env production --key "$work/ci"
approve "2026-11-10 11:00:00" "$prices" production priya prompt-review
at "2026-11-10 11:30:00" release "$prices" --env production --key "$work/ci"
at "2026-11-10 15:40:00" rollback --env production --key "$work/omar" --incident INC-1042 --incident-start 2026-11-10T15:05:00Z \
  --reason "billing answers quoted last year's plan prices"

say "The fix answers the incident, named by a commit trailer: released to both, approvals a day apart."
sed -i 's/version: 1.2.0/version: 1.3.0/; s/quote its monthly price./never quote prices, link the price list./' \
  "$repo/prompts/support/billing.prompty"
fix=$(commit "2026-11-15T17:00:00Z" "Billing: link the price list instead of quoting

Incident: INC-1042")
approve "2026-11-16 09:00:00" "$fix" staging priya prompt-review
at "2026-11-16 10:00:00" release "$fix" --env staging --key "$work/ci"
approve "2026-11-17 08:30:00" "$fix" production priya prompt-review
at "2026-11-17 11:00:00" release "$fix" --env production --key "$work/ci"

say "A greeting change that staging catches: rolled back six hours after it went in."
sed -i 's/version: 1.1.0/version: 1.2.0/; s/Hello, how can I help you today?/Hello! Welcome to Example Telecom support, how can I help you today?/' \
  "$repo/prompts/support/welcome.prompt.md"
greeting=$(commit "2026-11-22T15:00:00Z" "Welcome: a longer greeting")
approve "2026-11-23 09:00:00" "$greeting" staging priya prompt-review
at "2026-11-23 10:00:00" release "$greeting" --env staging --key "$work/ci"
at "2026-11-23 16:00:00" rollback --env staging --key "$work/omar" --incident INC-1051 --reason "greeting too long for the Dutch widget"

say "A routing change for a launch: it skipped staging and compliance has not reviewed it, production blocks it, and the service manager signs a break-glass override (a compliance exception in the report)."
sed -i 's/"de": "tier-1-de"/"de": "tier-1-de", "fr": "tier-1-fr"/' "$repo/policies/routing.json"
routing=$(commit "2026-11-24T08:00:00Z" "Routing: French queue for the launch")
EXPECT_BLOCKED=1 at "2026-11-25 09:00:00" release "$routing" --env production --key "$work/ci"
at "2026-11-25 09:20:00" release "$routing" --env production --override --key "$work/sam" \
  --reason "French launch today; compliance review booked for Monday"

say "Evidence: the runbook now wants a passing promptfoo evaluation (95%) for every prompt change; CI's evidence-bot signs the results, bound to the content they were run on."
rm -f "$work/evidence-bot" "$work/evidence-bot.pub"
ssh-keygen -q -t ed25519 -N "" -C "evidence-bot@example.com" -f "$work/evidence-bot"
echo "evidence-bot@example.com namespaces=\"promptgate\" $(cut -d' ' -f1,2 "$work/evidence-bot.pub")" \
  >>"$repo/.promptgate/allowed_signers"
sed -i 's/^    steps: \["promptgate rollback --env production --reason ..."\]/&\n  evidence:\n    - { kind: evaluation, min_pass_rate: 0.95, paths: ["prompts\/**"] }/' "$repo/runbook.yaml"
sed -i 's/^  release_roles: \[release-bot, ai-operations-engineer\]/&\n  evidence_roles: [evidence-bot]/' "$repo/runbook.yaml"
sed -i 's/^  release-bot: \[ci@example.com\]/&\n  evidence-bot: [evidence-bot@example.com]/' "$repo/runbook.yaml"
rules=$(commit "2026-11-26T09:00:00Z" "Evidence: prompt changes need a passing evaluation; the evidence-bot's key

Staging's next release after its rollback: it answers that incident too.

Incident: INC-1051")
approve "2026-11-26 10:00:00" "$rules" staging priya prompt-review
approve "2026-11-26 10:20:00" "$rules" staging carol compliance-review
at "2026-11-26 11:00:00" release "$rules" --env staging --key "$work/ci"

promptfoo_results() { # promptfoo_results <file> <passed> <failed>: promptfoo's output (results version 3)
  local file=$1 passed=$2 failed=$3 i rows="" ok
  for ((i = 0; i < passed + failed; i++)); do
    if ((i < passed)); then ok=true; else ok=false; fi
    rows+="${rows:+,}{\"promptIdx\":0,\"testIdx\":$i,\"provider\":{\"id\":\"openai:gpt-4o-mini\"},"
    rows+="\"success\":$ok,\"failureReason\":$([ "$ok" = true ] && echo 0 || echo 1),\"score\":$([ "$ok" = true ] && echo 1 || echo 0),\"latencyMs\":640}"
  done
  printf '{"evalId":"eval-demo","results":{"version":3,"timestamp":"2026-11-27T09:00:00.000Z","prompts":[{"label":"prompts/support/billing.prompty","provider":"openai:gpt-4o-mini"}],"results":[%s],"stats":{"successes":%d,"failures":%d,"errors":0,"tokenUsage":{"total":0},"durationMs":8400}},"config":{},"metadata":{"promptfooVersion":"0.118.3"}}\n' \
    "$rows" "$passed" "$failed" >"$file"
}

say "A prompt change whose evaluation fails: 17 of 20 is below 95%, so staging blocks it; the fixed prompt passes and goes in."
sed -i 's/version: 1.3.0/version: 1.4.0/; s/never quote prices, link the price list./never quote prices; link the price list and offer to explain the invoice line by line./' \
  "$repo/prompts/support/billing.prompty"
invoice=$(commit "2026-11-27T08:00:00Z" "Billing: offer to explain the invoice")
approve "2026-11-27 08:30:00" "$invoice" staging priya prompt-review
promptfoo_results "$work/evaluation-invoice.json" 17 3
at "2026-11-27 09:00:00" evidence record "$invoice" --kind evaluation --file "$work/evaluation-invoice.json" --key "$work/evidence-bot"
EXPECT_BLOCKED=1 at "2026-11-27 09:30:00" release "$invoice" --env staging --key "$work/ci"
sed -i 's/version: 1.4.0/version: 1.4.1/; s/offer to explain the invoice line by line./offer to explain the invoice, one line at a time, in plain words./' \
  "$repo/prompts/support/billing.prompty"
invoice=$(commit "2026-11-27T13:00:00Z" "Billing: explain the invoice in plain words")
approve "2026-11-27 13:30:00" "$invoice" staging priya prompt-review
promptfoo_results "$work/evaluation-invoice.json" 20 0
at "2026-11-27 14:00:00" evidence record "$invoice" --kind evaluation --file "$work/evaluation-invoice.json" --key "$work/evidence-bot"
at "2026-11-27 14:30:00" release "$invoice" --env staging --key "$work/ci"

say "The month closes: the helpdesk's and the monitoring's figures for November come in, signed by the service manager, who then holds the monthly service review."
cat >"$work/november.csv" <<'CSV'
environment,period_start,period_end,metric,value,source,unit
production,2026-11-01,2026-11-30,resolution_rate,87.4,helpdesk export,%
production,2026-11-01,2026-11-30,csat,4.4,helpdesk survey,
production,2026-11-01,2026-11-30,escalations,41,helpdesk export,
production,2026-11-01,2026-11-30,requests,18250,monitoring,
production,2026-11-01,2026-11-30,latency_p95_ms,2140,monitoring,ms
production,2026-11-01,2026-11-30,error_rate,2.4,monitoring,%
staging,2026-11-01,2026-11-30,latency_p95_ms,1980,monitoring,ms
staging,2026-11-01,2026-11-30,error_rate,1.1,monitoring,%
CSV
at "2026-12-01 09:00:00" metrics import "$work/november.csv" --key "$work/sam"
at "2026-12-01 10:00:00" review --period 2026-11 --key "$work/sam" \
  --summary "Resolution and satisfaction above target; error rate 2.4% over its 2% SLO; INC-1042 recovered in 35 minutes, over the 30-minute target, and answered by the price-list fix" \
  --action "Alert on error_rate above 2% for 10 minutes" --action "Rehearse the production rollback so it stays under 30 minutes" \
  --action "Compliance review of the French routing override"
