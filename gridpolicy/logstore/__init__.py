"""Where a decision log lives. One interface (`Store`), three stores chosen by the target:

- a ``postgresql://`` (or ``postgres://``) URL: `PostgresStore`, the shared log of service
  replicas (psycopg 3 with a connection pool; the `postgres` extra);
- a ``.jsonl`` / ``.ndjson`` file: `JsonlStore`, one entry a line;
- any other file: `SqliteStore`, the embedded default.

All three hold the same `decisions` table (`entry.COLUMNS`), so `gridpolicy log` and
`replay` read any of them. Durability (`DURABILITY`): ``full`` — a write returns once the
rows are on stable storage (fsync; PostgreSQL `synchronous_commit=on`); ``normal`` — once the
operating system (or the PostgreSQL server) holds them: they survive the process being killed
but not a power cut (SQLite `synchronous=NORMAL` in WAL mode, no fsync of the JSON lines file,
PostgreSQL `synchronous_commit=off`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Literal, Protocol

from ..logfile import OnCorrupt
from .entry import LogEntry, Query, Row

Durability = Literal["full", "normal"]
DURABILITY: tuple[Durability, ...] = ("full", "normal")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class Store(Protocol):
    """A decision log's storage: rows written durably (in one transaction per call), entries
    read back as a stream."""

    name: str  # how messages name the log (a URL's password is never in it)

    def write(self, rows: Sequence[Row]) -> None:
        """Write `rows` (all or none); returns once they are durable."""

    def scan(self, q: Query, on_corrupt: OnCorrupt) -> Iterator[LogEntry]:
        """Entries, oldest first, narrowed by what the store can filter itself (the caller
        still applies `q.matches`); unreadable entries go to `on_corrupt`."""

    def get(self, decision_id: str, on_corrupt: OnCorrupt) -> LogEntry | None:
        """One entry by its id."""

    def close(self) -> None:
        """Release the store (written rows stay)."""


def is_postgres(target: str | os.PathLike[str]) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def open_store(target: str | os.PathLike[str], *, readonly: bool = False, durability: Durability = "full") -> Store:
    """The store for `target` (a file path or a PostgreSQL URL)."""
    if durability not in DURABILITY:
        raise ValueError(f"durability must be one of {', '.join(DURABILITY)}, not {durability!r}")
    if is_postgres(target):
        from .postgres import PostgresStore

        return PostgresStore(str(target), readonly=readonly, durability=durability)
    from pathlib import Path

    path = Path(target)
    if path.suffix.lower() in JSONL_SUFFIXES:
        from .jsonl import JsonlStore

        return JsonlStore(path, readonly=readonly, durability=durability)
    from .sqlite import SqliteStore

    return SqliteStore(path, readonly=readonly, durability=durability)


__all__ = ["DURABILITY", "JSONL_SUFFIXES", "Durability", "LogEntry", "Query", "Row", "Store", "is_postgres",
           "open_store"]
