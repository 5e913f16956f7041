#!/usr/bin/env bash
# Builds the demo repository: a support assistant's prompts, policies and runbook over several
# commits, tagged v1.0 .. v1.2. Usage: scripts/make-demo-repo.sh <folder>
set -euo pipefail
repo=${1:?usage: make-demo-repo.sh <folder>}
rm -rf "$repo"
mkdir -p "$repo"
cd "$repo"
git init -q -b main
export GIT_AUTHOR_NAME="Alice Prompt" GIT_AUTHOR_EMAIL=alice@example.com
export GIT_COMMITTER_NAME="Alice Prompt" GIT_COMMITTER_EMAIL=alice@example.com
commit() { # commit <date> <message>
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git add -A
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -q -m "$2"
}
mkdir -p prompts/support policies fallbacks

cat > runbook.yaml <<'YAML'
version: 1
service:
  name: support-assistant
  scope: ["answer billing questions"]
  out_of_scope: ["legal advice"]
  inputs: { max_chars: 4000, languages: [en, nl] }
  outputs: { format: markdown, max_tokens: 800 }
  escalation:
    - { when: "customer asks for a human", to: tier-2-queue }
reliability:
  slo: { latency_p95_ms: 2500, error_rate: 0.02 }
  fallback: { strategy: static-response, response: fallbacks/static.md }
  rollback:
    owner: ai-operations-engineer
    target: last-good
    triggers: ["error_rate > 0.05 for 10m"]
    max_recovery_minutes: 30
    steps: ["promptgate rollback --env production --reason ..."]
governance:
  data: { classification: confidential, retention_days: 30 }
  checkpoints:
    - { name: prompt-review, role: prompt-owner, approvals: 1, paths: ["prompts/**"] }
    - { name: compliance-review, role: compliance-reviewer, approvals: 1,
        paths: ["policies/**", "runbook.yaml", ".promptgate/**"] }
  separation_of_duties: true
  approval_ttl_days: 14
  override_roles: [service-manager]
environments:                           # in promotion order: production takes what soaked in staging
  - { name: staging }
  - { name: production, after: staging, soak_minutes: 60 }
improvement:
  incidents: []
  review_cadence: monthly
roles:
  prompt-owner: [alice@example.com]
  compliance-reviewer: [carol@example.com]
  service-manager: [sam@example.com]
  ai-operations-engineer: [omar@example.com]
paths: { prompts: ["prompts/**"], policies: ["policies/**"] }
YAML

cat > prompts/support/billing.prompty <<'PROMPT'
---
name: billing-answer
description: Answers billing questions from customers
version: 1.0.0
model:
  api: chat
  configuration: { type: openai, name: gpt-4o-mini }
  parameters: { temperature: 0.7, max_tokens: 600 }
inputs:
  customer_name: { type: string }
  question: { type: string }
---
system:
You are a helpful billing assistant. Address {{ customer_name }} politely.

user:
{{ question }}
PROMPT

cat > prompts/support/greeting.prompt.md <<'PROMPT'
---
version: 1.0.0
model: gpt-4o-mini
temperature: 0.5
---
You greet customers of Example Telecom when a chat opens.
Keep it to two sentences, friendly and plain.
Never promise refunds or discounts in a greeting.
If the customer writes in Dutch, answer in Dutch.

Hello {{ customer_name }}, how can I help you today?
PROMPT

cat > policies/safety.yaml <<'YAML'
blocked_topics: [legal, medical]
limits:
  max_tokens: 800
  max_turns: 12
escalation:
  on_anger: tier-2-queue
YAML

cat > policies/routing.json <<'JSON'
{ "default_queue": "tier-1", "languages": { "en": "tier-1", "nl": "tier-1-nl" } }
JSON

echo "We could not answer right now; a person will follow up by email." > fallbacks/static.md
commit "2026-11-02T09:00:00Z" "Support assistant: first release"
git tag -a v1.0 -m "v1.0"

# v1.1: a cooler model, a new variable, a policy tightened.
sed -i 's/temperature: 0.7/temperature: 0.2/; s/version: 1.0.0/version: 1.1.0/' prompts/support/billing.prompty
sed -i 's/Address {{ customer_name }} politely./Address {{ customer_name }} politely; their plan is {{ plan_tier }}./' \
  prompts/support/billing.prompty
cat >> prompts/support/billing.prompty <<'PROMPT'
PROMPT
sed -i '/^  question:/a\  plan_tier: { type: string, default: basic }' prompts/support/billing.prompty
cat > policies/safety.yaml <<'YAML'
blocked_topics: [legal, medical, crypto]
limits:
  max_tokens: 1200
  max_turns: 12
escalation:
  on_anger: tier-2-queue
  on_fraud: fraud-desk
YAML
commit "2026-11-09T09:00:00Z" "Billing: cooler temperature, plan tier; block crypto advice"
git tag -a v1.1 -m "v1.1"

# v1.2: a prompt renamed, routing changed, the greeting switched model and lost a variable.
git mv prompts/support/greeting.prompt.md prompts/support/welcome.prompt.md
cat > prompts/support/welcome.prompt.md <<'PROMPT'
---
version: 1.1.0
model: gpt-4o
temperature: 0.5
---
You greet customers of Example Telecom when a chat opens.
Keep it to two sentences, friendly and plain.
Never promise refunds or discounts in a greeting.
If the customer writes in Dutch, answer in Dutch.

Hello, how can I help you today?
PROMPT
cat > policies/routing.json <<'JSON'
{ "default_queue": "tier-1", "languages": { "en": "tier-1", "nl": "tier-1-nl", "de": "tier-1-de" } }
JSON
commit "2026-11-16T09:00:00Z" "Welcome prompt on gpt-4o; German routing"
git tag -a v1.2 -m "v1.2"
