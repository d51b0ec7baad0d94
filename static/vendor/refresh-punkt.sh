#!/usr/bin/env bash
# Vendors the parts of Punkt (Oslo kommune's design system) that Mestring uses into
# static/vendor/punkt/, from pinned npm packages, so pages never load assets from a CDN.
#
# Usage: static/vendor/refresh-punkt.sh            (from anywhere; needs npm and tar)
# Bump PUNKT_CSS_VERSION / PUNKT_ASSETS_VERSION to upgrade, run, review the diff, commit.
set -euo pipefail

PUNKT_CSS_VERSION="16.8.2"
PUNKT_ASSETS_VERSION="13.16.0"

# Icons the templates use, plus the ones pkt.min.css itself references (checkbox tick,
# indeterminate minus, select chevron, external-link arrow).
ICONS=(
  alert-error alert-information alert-success alert-warning
  calendar check chevron-left chevron-right exit language user
  check-medium chevron-thin-down minus-sign new-window-small
)
FONTS=(
  OsloSans-Regular OsloSans-RegularItalic OsloSans-Light OsloSans-Medium OsloSans-Bold
  OsloIcons
)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$repo_root/static/vendor/punkt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Fetching @oslokommune/punkt-css@$PUNKT_CSS_VERSION and @oslokommune/punkt-assets@$PUNKT_ASSETS_VERSION"
(cd "$work" && npm pack --silent \
  "@oslokommune/punkt-css@$PUNKT_CSS_VERSION" \
  "@oslokommune/punkt-assets@$PUNKT_ASSETS_VERSION" >/dev/null)
mkdir -p "$work/css" "$work/assets"
tar -xzf "$work/oslokommune-punkt-css-$PUNKT_CSS_VERSION.tgz" -C "$work/css"
tar -xzf "$work/oslokommune-punkt-assets-$PUNKT_ASSETS_VERSION.tgz" -C "$work/assets"
css_pkg="$work/css/package"
assets_pkg="$work/assets/package"

rm -rf "$dest"
mkdir -p "$dest/css" "$dest/fonts" "$dest/icons" "$dest/logos"

# The CSS lives in css/ and already refers to fonts as ../fonts/, which matches our layout.
# It also points a few icons at punkt-cdn.oslo.kommune.no; rewrite those to ../icons/.
sed -E 's#https://punkt-cdn\.oslo\.kommune\.no/[0-9.]+/icons/#../icons/#g' \
  "$css_pkg/dist/css/pkt.min.css" >"$dest/css/pkt.min.css"
# Drop the source-map comment, if any: maps are not vendored.
sed -i -E 's#/\*[#@] sourceMappingURL=[^*]*\*/##g' "$dest/css/pkt.min.css"

for font in "${FONTS[@]}"; do
  cp "$assets_pkg/dist/fonts/$font.woff2" "$assets_pkg/dist/fonts/$font.woff" "$dest/fonts/"
done
for icon in "${ICONS[@]}"; do
  cp "$assets_pkg/dist/icons/$icon.svg" "$dest/icons/"
done
cp "$assets_pkg/dist/logos/oslologo.svg" "$assets_pkg/dist/logos/favicon.ico" "$dest/logos/"
cp "$css_pkg/LICENSE" "$dest/LICENSE-punkt-css"
cp "$assets_pkg/LICENSE" "$dest/LICENSE-punkt-assets"

# Every url() in the CSS must be relative and resolve to a vendored file.
status=0
while IFS= read -r ref; do
  case "$ref" in
    data:*) continue ;;
    *://*) echo "error: pkt.min.css still loads a remote asset: $ref" >&2; status=1 ;;
    *) [[ -f "$dest/css/$ref" ]] || { echo "error: pkt.min.css refers to missing $ref" >&2; status=1; } ;;
  esac
done < <(grep -oE 'url\([^)]*\)' "$dest/css/pkt.min.css" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u)
[[ $status -eq 0 ]] || exit "$status"

list_files() { (cd "$dest" && find "$1" -type f | LC_ALL=C sort | sed 's/^/  - `/; s/$/`/'); }

cat >"$dest/SOURCE.md" <<EOF
# Punkt, vendored

Oslo kommune's design system [Punkt](https://punkt.oslo.kommune.no), copied from npm by
\`static/vendor/refresh-punkt.sh\`. Do not edit these files by hand: change the pinned versions or
the file lists in the script and run it again.

| package | version | licence |
|---|---|---|
| \`@oslokommune/punkt-css\` | $PUNKT_CSS_VERSION | MIT, \`LICENSE-punkt-css\` |
| \`@oslokommune/punkt-assets\` | $PUNKT_ASSETS_VERSION | MIT, \`LICENSE-punkt-assets\` |

## From @oslokommune/punkt-css@$PUNKT_CSS_VERSION

- \`css/pkt.min.css\` ← \`package/dist/css/pkt.min.css\` (the whole framework, minified).
  Rewritten: \`https://punkt-cdn.oslo.kommune.no/<version>/icons/\` → \`../icons/\`, so no asset
  comes from a CDN. Its font URLs (\`../fonts/…\`) are unchanged and resolve to \`fonts/\` here.
- \`LICENSE-punkt-css\` ← \`package/LICENSE\`

## From @oslokommune/punkt-assets@$PUNKT_ASSETS_VERSION

- \`fonts/\` ← \`package/dist/fonts/\` (only the faces pkt.min.css declares):
$(list_files fonts)
- \`icons/\` ← \`package/dist/icons/\` (those the templates and the CSS use):
$(list_files icons)
- \`logos/\` ← \`package/dist/logos/\`:
$(list_files logos)
- \`LICENSE-punkt-assets\` ← \`package/LICENSE\`
EOF

echo "Vendored Punkt into ${dest#"$repo_root"/} ($(du -sh "$dest" | cut -f1))"
