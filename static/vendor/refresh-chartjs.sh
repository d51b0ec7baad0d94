#!/usr/bin/env bash
# Vendors Chart.js (the UMD build) into static/vendor/chartjs/ from a pinned npm package, so the
# outcome dashboard never loads a script from a CDN (the CSP allows script-src 'self' only).
#
# Usage: static/vendor/refresh-chartjs.sh          (from anywhere; needs npm and tar)
# Bump CHARTJS_VERSION to upgrade, run, review the diff, commit.
set -euo pipefail

CHARTJS_VERSION="4.6.1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$repo_root/static/vendor/chartjs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Fetching chart.js@$CHARTJS_VERSION"
(cd "$work" && npm pack --silent "chart.js@$CHARTJS_VERSION" >/dev/null)
tar -xzf "$work/chart.js-$CHARTJS_VERSION.tgz" -C "$work"
pkg="$work/package"

rm -rf "$dest"
mkdir -p "$dest"
cp "$pkg/dist/chart.umd.js" "$dest/chart.umd.js"
# Drop the source-map comment: maps are not vendored.
sed -i -E 's#//[#@] sourceMappingURL=.*$##' "$dest/chart.umd.js"
cp "$pkg/LICENSE.md" "$dest/LICENSE.md"

cat >"$dest/SOURCE.md" <<SRC
# Chart.js, vendored

[Chart.js](https://www.chartjs.org) draws the outcome dashboard's charts. Copied from npm by
\`static/vendor/refresh-chartjs.sh\`; do not edit by hand: change the pinned version in the script
and run it again.

| package | version | licence |
|---|---|---|
| \`chart.js\` | $CHARTJS_VERSION | MIT, \`LICENSE.md\` |

- \`chart.umd.js\` ← \`package/dist/chart.umd.js\` (the UMD build; the source-map comment removed)
- \`LICENSE.md\` ← \`package/LICENSE.md\`

\`static/js/charts.js\` (ours) reads each chart's data from a \`<script type="application/json">\`
element beside its table and draws it; pages work without JavaScript, as the tables carry the data.
SRC

echo "Vendored Chart.js into ${dest#"$repo_root"/} ($(du -sh "$dest" | cut -f1))"
