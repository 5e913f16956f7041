#!/usr/bin/env bash
# make demo: builds a demo repository of prompts, policies and a runbook, then shows promptgate
# reading it. Everything happens in ./demo-repo, which is rebuilt each time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/.build/debug/promptgate"
repo="$here/demo-repo"

"$here/scripts/make-demo-repo.sh" "$repo"
echo "demo: built $repo (tags v1.0, v1.1, v1.2)"
echo
echo "\$ promptgate -C demo-repo diff v1.0 v1.1"
"$bin" -C "$repo" diff v1.0 v1.1
echo
echo "\$ promptgate -C demo-repo diff v1.1 v1.2"
"$bin" -C "$repo" diff v1.1 v1.2
echo
echo "\$ promptgate -C demo-repo diff v1.1 v1.2 --format json   (first lines)"
"$bin" -C "$repo" diff v1.1 v1.2 --format json | head -n 20
