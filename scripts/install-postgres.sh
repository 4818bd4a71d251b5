#!/usr/bin/env bash
# Install Debian's PostgreSQL server for the decision-log tests (tests/test_log_postgres.py),
# which start a throwaway server of their own with scripts/postgres-test.sh. Never downloads a
# server build of its own. Without root or apt, it says so and those tests skip.
set -uo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-postgres: 没有 apt-get，PostgreSQL 测试将跳过 — no apt-get; the PostgreSQL tests will be skipped" >&2
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-postgres: 需要 root 才能安装 PostgreSQL，相关测试将跳过 — need root to install PostgreSQL; its tests will be skipped" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
# postgresql-common's postinst would create and start a cluster of its own: not wanted here
echo "create_main_cluster = false" | $SUDO tee -a /etc/postgresql-common/createcluster.conf >/dev/null 2>&1 || true
if ! $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1; then
  echo "install-postgres: PostgreSQL 安装失败，相关测试将跳过 — could not install PostgreSQL; its tests will be skipped" >&2
fi
exit 0
