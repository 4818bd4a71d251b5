#!/usr/bin/env bash
# Put Mermaid's browser bundle beside the docs, so diagrams render without a CDN.
# Material for MkDocs uses a global `mermaid` when one is loaded (extra_javascript) and
# only otherwise fetches it from a CDN, which the published site must not depend on.
# The bundle comes from the npm registry via `npm pack` (no dependencies are installed).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${MERMAID_VERSION:-11.17.2}"
DEST=docs/javascripts/vendor/mermaid.min.js
STAMP=docs/javascripts/vendor/.mermaid-$VERSION
if [[ -f "$DEST" && -f "$STAMP" ]]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-mermaid: npm 不可用，流程图将不显示 — npm is not available; diagrams will not render" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "mermaid@$VERSION" --silent >/dev/null)
tar -xzf "$tmp"/mermaid-"$VERSION".tgz -C "$tmp" package/dist/mermaid.min.js
mkdir -p "$(dirname "$DEST")"
rm -f docs/javascripts/vendor/.mermaid-*
cp "$tmp"/package/dist/mermaid.min.js "$DEST"
touch "$STAMP"
echo "fetch-mermaid: mermaid $VERSION -> $DEST"
