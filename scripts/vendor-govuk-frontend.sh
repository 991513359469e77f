#!/usr/bin/env bash
# Refreshes the vendored GOV.UK Frontend files served by the web app.
#
# Usage: scripts/vendor-govuk-frontend.sh [VERSION]
#
# Pathways is a council service, not a GOV.UK one: the GDS Transport font and the
# crown are licensed for GOV.UK services only, so the fonts and images are not copied
# and the stylesheet's font stack is rewritten to Arial (the Design System's advice
# for services off GOV.UK).
set -euo pipefail
version="${1:-6.6.0}"
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/crates/web/static/govuk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null && tar xzf "govuk-frontend-$version.tgz")
dist="$work/package/dist/govuk"
mkdir -p "$out"
# Drop @font-face rules and the GDS Transport family; drop the crest image rule's URL.
sed -E \
  -e 's/@font-face\{[^}]*\}//g' \
  -e 's/"?GDS Transport"?,//g' \
  -e 's#url\(/assets/images/govuk-crest.svg\)#none#g' \
  "$dist/govuk-frontend.min.css" > "$out/govuk-frontend.min.css"
cp "$dist/govuk-frontend.min.js" "$out/govuk-frontend.min.js"
cat > "$out/VERSION" <<EOV
govuk-frontend $version (MIT licence, Crown copyright), vendored by scripts/vendor-govuk-frontend.sh
EOV
echo "vendored govuk-frontend $version into crates/web/static/govuk"
