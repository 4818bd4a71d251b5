"""The embedded decision log: one SQLite file in WAL mode (see `logstore` for durability)."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..logfile import Corrupt, OnCorrupt, create_private, read_connection
from .entry import COLUMNS, READ_COLUMNS, LogEntry, Query, Row, entry_from_row

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
  latency_ms REAL NOT NULL,
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
_INSERT = f"INSERT INTO decisions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


class SqliteStore:
    """A SQLite decision log file (created 0600)."""

    def __init__(self, path: Path, *, readonly: bool = False, durability: str = "full"):
        self.path = path
        self.name = str(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if readonly:
            return
        create_private(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={'FULL' if durability == 'full' else 'NORMAL'}")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    def write(self, rows: Sequence[Row]) -> None:
        assert self._db is not None, "read-only"
        values = [r.values() for r in rows]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(_INSERT, values)
                self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                    self._db.execute("ROLLBACK")
                raise

    def scan(self, q: Query, on_corrupt: OnCorrupt) -> Iterator[LogEntry]:
        where, args = where_clause(q, "?")
        sql = f"SELECT seq, {READ_COLUMNS} FROM decisions" + (" WHERE " + " AND ".join(where) if where else "")
        yield from self._rows(sql + " ORDER BY seq", args, on_corrupt)

    def get(self, decision_id: str, on_corrupt: OnCorrupt) -> LogEntry | None:
        return next(self._rows(f"SELECT seq, {READ_COLUMNS} FROM decisions WHERE decision_id=?", [decision_id],
                               on_corrupt), None)

    def _rows(self, sql: str, args: list[Any], on_corrupt: OnCorrupt) -> Iterator[LogEntry]:
        """Rows streamed from a read-only connection of their own (the writer is not held)."""
        db = read_connection(self.path)
        try:
            cur = db.execute(sql, args)
            yield from entries(cur, on_corrupt)
        finally:
            db.close()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def entries(cursor: Any, on_corrupt: OnCorrupt) -> Iterator[LogEntry]:
    """Entries of a cursor over (seq, READ_COLUMNS), fetched in chunks; bad rows reported."""
    while rows := cursor.fetchmany(256):
        for row in rows:
            try:
                yield entry_from_row(row[1:])
            except (ValueError, TypeError, KeyError) as exc:
                on_corrupt(Corrupt(f"row {row[0]}", f"第 {row[0]} 条记录无法读取：{exc}",
                                   f"row {row[0]} cannot be read: {exc}"))


def where_clause(q: Query, mark: str) -> tuple[list[str], list[Any]]:
    """SQL conditions for what of `q` a table can filter (`mark`: the driver's placeholder)."""
    where: list[str] = []
    args: list[Any] = []
    for col, val in (("tier", q.tier), ("kind", q.kind)):
        if val is not None:
            where.append(f"{col}={mark}")
            args.append(val)
    if q.items is not None:
        where.append(f"item_id IN ({','.join([mark] * len(q.items))})")
        args += list(q.items)
    if q.digest is not None:
        where.append(f"substr(digest, 1, {mark})={mark}")
        args += [len(q.digest), q.digest]
    if q.since is not None:
        where.append(f"at>={mark}")
        args.append(q.since.astimezone(dt.UTC).isoformat())
    if q.until is not None:
        where.append(f"at<{mark}")
        args.append(q.until.astimezone(dt.UTC).isoformat())
    if q.texts:
        where.append("(" + " OR ".join(f"strpos(input, {mark}) > 0 OR strpos(output, {mark}) > 0"
                                       if mark == "%s" else f"instr(input, {mark}) OR instr(output, {mark})"
                                       for _ in q.texts) + ")")
        args += [t for t in q.texts for _ in (0, 1)]
    return where, args
