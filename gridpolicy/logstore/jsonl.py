"""A decision log as a JSON lines file: one entry a line (see `logfile` for how lines are
written whole and read as a stream)."""

from __future__ import annotations

import errno
from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson

from ..contract import PolicyRef
from ..logfile import Corrupt, JsonlWriter, LogError, OnCorrupt, jsonl_lines
from .entry import LogEntry, Query, Row, entry_from_dict


class JsonlStore:
    """A JSON lines decision log (created 0600, locked against a second writer)."""

    def __init__(self, path: Path, *, readonly: bool = False, durability: str = "full"):
        self.path = path
        self.name = str(path)
        self.repaired = 0
        self._file: JsonlWriter | None = None
        self._policies: dict[int, tuple[PolicyRef, bytes]] = {}
        if readonly:
            return
        self._file = JsonlWriter(path, sync=durability == "full")
        self.repaired = self._file.repaired

    def write(self, rows: Sequence[Row]) -> None:
        if self._file is None:
            raise LogError("决定日志以只读方式打开", "the decision log is open read-only", errno.EBADF)
        # every line encoded before anything is written: a row that cannot be encoded fails
        # the write, it never leaves half a batch in the file
        self._file.append(b"".join(r.line(self._policy_json(r.policy)) for r in rows))

    def _policy_json(self, policy: PolicyRef) -> bytes:
        hit = self._policies.get(id(policy))
        if hit is not None and hit[0] is policy:
            return hit[1]
        if len(self._policies) > 256:
            self._policies.clear()
        data = orjson.dumps(policy.model_dump(mode="json"))
        self._policies[id(policy)] = (policy, data)
        return data

    def scan(self, q: Query, on_corrupt: OnCorrupt) -> Iterator[LogEntry]:
        for n, line in jsonl_lines(self.path, on_corrupt):
            try:
                yield entry_from_dict(orjson.loads(line))
            except (ValueError, TypeError, KeyError) as exc:  # orjson.JSONDecodeError is a ValueError
                on_corrupt(Corrupt(f"line {n}", f"第 {n} 行无法读取：{_short(exc)}",
                                   f"line {n} cannot be read: {_short(exc)}"))

    def get(self, decision_id: str, on_corrupt: OnCorrupt) -> LogEntry | None:
        return next((e for e in self.scan(Query(), on_corrupt) if e.decision_id == decision_id), None)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 200 else text[:200] + "…"
