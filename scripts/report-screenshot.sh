#!/usr/bin/env bash
# Regenerates docs/report.png: the demo repository (scripts/make-demo-repo.sh) goes through the
# month of scripts/demo-story.sh, then `report --format html` is rendered by headless Chromium.
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
PROMPTGATE=$bin SHOW=0 "$here/scripts/demo-story.sh" "$repo" "$work"
faketime "2026-12-01 12:00:00" "$bin" -C "$repo" report --period week --format html >"$work/report.html"
chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" --screenshot="$out" \
  --window-size=1280,1700 "file://$work/report.html" >/dev/null 2>&1
echo "report-screenshot: wrote $out"
