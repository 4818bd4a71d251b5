#!/usr/bin/env bash
# Install Debian's chromium, chromedriver and a CJK font (so Chinese pages render in the
# screenshots) for the site's browser test (tests/test_site_browser.py).
# Never downloads a browser build of its own. Without root or apt, it says so and the test skips.
set -uo pipefail
if [[ -x /usr/bin/chromium ]] && fc-list 2>/dev/null | grep -qi "cjk"; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: 没有 apt-get，浏览器测试将跳过 — no apt-get; the browser test will be skipped" >&2
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-browser: 需要 root 才能安装 chromium，浏览器测试将跳过 — need root to install chromium; the browser test will be skipped" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
if ! $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji >/dev/null 2>&1; then
  echo "install-browser: chromium 安装失败，浏览器测试将跳过 — could not install chromium; the browser test will be skipped" >&2
fi
exit 0
