#!/usr/bin/env bash
# Renders a verdict page (by default the one `make demo` saved) to a PNG with Debian's headless
# Chromium, for README: scripts/screenshot.sh [demo-output/verdict.html] [docs/verdict.png]
set -euo pipefail
cd "$(dirname "$0")/.."
page=${1:-demo-output/verdict.html}
png=${2:-docs/verdict.png}
scripts/ensure-apt.sh chromium
case $png in /*) out=$png ;; *) out=$PWD/$png ;; esac
case $page in /*) url=file://$page ;; *) url=file://$PWD/$page ;; esac
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars --window-size=1440,1060 \
  --screenshot="$out" "$url" 2>/dev/null
[ -s "$out" ] || { echo "screenshot: chromium wrote no $out (does its folder exist?)" >&2; exit 1; }
echo "wrote $png"
