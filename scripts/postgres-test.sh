#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, from Debian's packages (scripts/install-postgres.sh).
#
#   scripts/postgres-test.sh start PORT   -> prints the directory, then the URL, one a line
#   scripts/postgres-test.sh stop DIR     -> stops that server and removes its directory
#
# The cluster lives in a new temporary directory, listens on 127.0.0.1:PORT only (and a socket
# in that directory), and trusts local connections as user `gridpolicy`. PostgreSQL refuses to
# run as root, so under root it runs as the system user `gridpolicy-pg` (created if missing).
set -euo pipefail
cmd=${1:?start PORT | stop DIR}
bindir=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' | sort -V | tail -1)")
if [[ ! -x "$bindir/pg_ctl" ]]; then
  echo "postgres-test: 找不到 PostgreSQL 服务器（先运行 scripts/install-postgres.sh）— no PostgreSQL server found" >&2
  exit 3
fi
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u gridpolicy-pg -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port=${2:?PORT}
    if [[ "$(id -u)" == 0 ]] && ! id gridpolicy-pg >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin gridpolicy-pg
    fi
    dir=$(mktemp -d /tmp/gridpolicy-pg.XXXXXX)
    chmod 0700 "$dir"
    [[ "$(id -u)" == 0 ]] && chown gridpolicy-pg "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U gridpolicy -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 4; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=60 -c shared_buffers=32MB" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 5; }
    echo "$dir"
    echo "postgresql://gridpolicy@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?DIR}
    [[ "$dir" == /tmp/gridpolicy-pg.* ]] || { echo "postgres-test: not a test server directory: $dir" >&2; exit 2; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start PORT | stop DIR" >&2; exit 2 ;;
esac
