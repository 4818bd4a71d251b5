"""The shared decision log of service replicas: a `decisions` table in PostgreSQL, written
through a psycopg 3 connection pool (the `postgres` extra). Same columns as the SQLite log;
the JSON input and output are kept as text, so every store reads back the same entries."""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ..logfile import LogError, OnCorrupt
from .entry import COLUMNS, READ_COLUMNS, LogEntry, Query, Row
from .sqlite import entries, where_clause

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
  seq BIGSERIAL PRIMARY KEY,
  decision_id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  digest TEXT NOT NULL,
  item_id TEXT,
  matter TEXT,
  tier TEXT,
  outcome TEXT,
  latency_ms DOUBLE PRECISION NOT NULL,
  at_param TEXT,
  input TEXT NOT NULL,
  output TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_item ON decisions (item_id);
CREATE INDEX IF NOT EXISTS decisions_matter ON decisions (matter);
CREATE INDEX IF NOT EXISTS decisions_tier ON decisions (tier);
CREATE INDEX IF NOT EXISTS decisions_digest ON decisions (digest);
CREATE INDEX IF NOT EXISTS decisions_at ON decisions (at);
"""
_INSERT = f"INSERT INTO decisions ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
_SCHEMA_LOCK = 0x67726964  # replicas starting together create the table once
POOL_SIZE = 8


def shown(url: str) -> str:
    """`url` without its password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


class PostgresStore:
    """A PostgreSQL decision log at `url` (``postgresql://user@host:port/db``)."""

    def __init__(self, url: str, *, readonly: bool = False, durability: str = "full", pool_size: int = POOL_SIZE):
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise LogError("PostgreSQL 决定日志需要安装 postgres 扩展：pip install 'gridpolicy[postgres]'",
                           "a PostgreSQL decision log needs the postgres extra: pip install 'gridpolicy[postgres]'",
                           errno.ENOPKG) from None
        self.name = shown(url)
        self.readonly = readonly
        self._errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        settings = "SET default_transaction_read_only = on" if readonly else \
            f"SET synchronous_commit = {'on' if durability == 'full' else 'off'}"

        def configure(conn: Any) -> None:
            conn.execute(settings)
            conn.commit()

        try:
            self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, configure=configure, open=True,
                                        timeout=10, name="gridpolicy-log")
            self._pool.wait(timeout=10)
            if not readonly:
                with self._pool.connection() as conn:
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
                    for statement in filter(str.strip, SCHEMA.split(";")):
                        conn.execute(statement)
        except Exception as exc:
            pool = getattr(self, "_pool", None)
            if pool is not None:
                pool.close()
            raise LogError(f"无法连接 PostgreSQL 决定日志 {self.name}：{_first_line(exc)}",
                           f"cannot open the PostgreSQL decision log {self.name}: {_first_line(exc)}",
                           errno.ECONNREFUSED) from None

    def write(self, rows: Sequence[Row]) -> None:
        if self.readonly:
            raise LogError("决定日志以只读方式打开", "the decision log is open read-only", errno.EBADF)
        values = [r.values() for r in rows]
        try:
            with self._pool.connection() as conn, conn.cursor() as cur:  # one transaction, committed on exit
                cur.executemany(_INSERT, values)
        except self._errors as exc:
            raise LogError(f"PostgreSQL 决定日志写入失败：{_first_line(exc)}",
                           f"the PostgreSQL decision log write failed: {_first_line(exc)}", errno.EIO) from exc

    def scan(self, q: Query, on_corrupt: OnCorrupt) -> Iterator[LogEntry]:
        where, args = where_clause(q, "%s")
        sql = f"SELECT seq, {READ_COLUMNS} FROM decisions" + (" WHERE " + " AND ".join(where) if where else "")
        yield from self._rows(sql + " ORDER BY seq", args, on_corrupt)

    def get(self, decision_id: str, on_corrupt: OnCorrupt) -> LogEntry | None:
        return next(self._rows(f"SELECT seq, {READ_COLUMNS} FROM decisions WHERE decision_id=%s", [decision_id],
                               on_corrupt), None)

    def _rows(self, sql: str, args: list[Any], on_corrupt: OnCorrupt) -> Iterator[LogEntry]:
        """Rows streamed through a server-side cursor (constant memory however long the log)."""
        with self._pool.connection() as conn, conn.transaction(), conn.cursor(name="gridpolicy_scan") as cur:
            cur.itersize = 256
            cur.execute(sql, args)
            yield from entries(cur, on_corrupt)

    def close(self) -> None:
        self._pool.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
