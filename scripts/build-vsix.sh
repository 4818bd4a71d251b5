#!/usr/bin/env bash
# Package the VS Code extension (editors/vscode) as a .vsix with the standard npm tooling:
# vscode-languageclient bundled by esbuild into dist/extension.js, packaged by @vscode/vsce, at the
# versions pinned in package-lock.json. Usage: scripts/build-vsix.sh [FOLDER] (default editors/vscode);
# writes FOLDER/gridpolicy.vsix. Install it with `code --install-extension gridpolicy.vsix`.
set -euo pipefail
folder="${1:-$(dirname "$0")/../editors/vscode}"
cd "$folder"
if ! command -v npm >/dev/null 2>&1; then
  echo "build-vsix: 需要 node 与 npm（apt-get install nodejs npm）— node and npm are needed" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
npm run --silent package
echo "build-vsix: $(pwd)/gridpolicy.vsix"
