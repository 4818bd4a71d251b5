#!/usr/bin/env bash
# Build the studio's editor bundle (gridpolicy/studio/static/studio.js) from gridpolicy/studio/web/
# with the machine's node and npm: CodeMirror 6 and esbuild from the npm registry at the versions
# pinned in package-lock.json. The bundle is committed; its first line records the sha256 of the
# sources it was built from, and tests/test_studio.py fails when the sources change without a rebuild.
set -euo pipefail
cd "$(dirname "$0")/../gridpolicy/studio/web"
if ! command -v npm >/dev/null 2>&1; then
  echo "build-studio: 需要 node 与 npm（apt-get install nodejs npm）— node and npm are needed" >&2
  exit 1
fi
digest=$(cat package.json package-lock.json src/*.js | sha256sum | cut -d' ' -f1)
npm ci --no-audit --no-fund --loglevel=error
npx esbuild src/main.js --bundle --minify --format=iife --target=es2020 --legal-comments=none \
  --banner:js="/* gridpolicy studio bundle; sources sha256:${digest}; CodeMirror 6 (MIT) */" \
  --outfile=../static/studio.js
echo "build-studio: ../static/studio.js (sources sha256:${digest})"
