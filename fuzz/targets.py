"""The fuzz targets, shared by the atheris entry points and the test suite.

Each `check_*` takes arbitrary bytes and returns normally when gridpolicy answered as it
promises (a Policy / Decision, or a PolicyError / ItemError with located, coded details); it
raises anything else, which the fuzzer reports as a crash.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import gridpolicy
from gridpolicy.contract import ItemError
from gridpolicy.diagnostics import CODES, PolicyError

RULES = Path(__file__).resolve().parent.parent / "rules"
FIELDS = ("id", "kind", "matter", "reported_at", "grid", "urgency", "scope", "needs", "source", "followup",
          "handled_tier", "responsible_department", "summary", "people", "x", "__class__")
WORDS = ("issue", "task", "M01", "矛盾纠纷调解", "emergency", "urgent", "normal", "grid", "street", "district",
         "law_enforcement", "professional", "dissatisfied", "2026-03-02T10:00:00+08:00", "2026-03-02T10:00:00",
         "9999-12-31T00:00:00+08:00", "{0.__class__}", "")


def _lines(text: str) -> int:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return max(1, len(text.split("\n")))


def check_load(data: bytes) -> None:
    """Rule text from bytes -> `load`: a Policy, or a PolicyError whose every diagnostic has a
    known code and a line inside the text."""
    text = data.decode("utf-8", errors="replace") + "\n"  # always text, never a path
    try:
        policy = gridpolicy.loads(text)
    except PolicyError as exc:
        if not exc.errors:
            raise AssertionError("PolicyError without an error") from exc
        n = _lines(text)
        for d in exc.diagnostics:
            if d.code not in CODES or d.span.file != "<text>" or not 1 <= d.span.line <= n:
                raise AssertionError(f"diagnostic outside the text: {d.code} {d.span} (lines: {n})") from exc
            d.render()
        return
    policy.route({"id": "f", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"})


@lru_cache(maxsize=1)
def shipped_policy() -> gridpolicy.Policy:
    return gridpolicy.load(RULES)


class _Bytes:
    """A tiny data provider over bytes (the same idea as atheris.FuzzedDataProvider, in pure
    Python so the targets also run without atheris)."""

    def __init__(self, data: bytes):
        self.data, self.i = data, 0

    def byte(self) -> int:
        if self.i >= len(self.data):
            return 0
        self.i += 1
        return self.data[self.i - 1]

    def text(self) -> str:
        n = self.byte() % 48
        chunk = self.data[self.i: self.i + n]
        self.i += n
        return chunk.decode("utf-8", errors="replace")

    def value(self, depth: int = 0) -> Any:
        kind = self.byte() % 11
        if kind == 0:
            return None
        if kind == 1:
            return bool(self.byte() & 1)
        if kind == 2:
            return int.from_bytes(bytes(self.byte() for _ in range(self.byte() % 9)), "big", signed=True) \
                if self.byte() & 1 else (self.byte() - 128)
        if kind == 3:
            return [math.nan, math.inf, -math.inf, 1e15 + 1, -0.0, 0.5, 10 ** 400][self.byte() % 7]
        if kind in (4, 5):
            return WORDS[self.byte() % len(WORDS)]
        if kind == 6:
            return self.text()
        if kind in (7, 8) and depth < 4:
            return [self.value(depth + 1) for _ in range(self.byte() % 4)]
        if kind == 9 and depth < 4:
            return {self.key(): self.value(depth + 1) for _ in range(self.byte() % 4)}
        return WORDS[self.byte() % len(WORDS)]

    def key(self) -> str:
        return FIELDS[self.byte() % len(FIELDS)] if self.byte() % 4 else self.text()


def check_route(data: bytes) -> None:
    """An item from bytes (JSON if the bytes are a JSON object, else built field by field) ->
    `route` on the shipped rules: a Decision, or an ItemError naming a field path."""
    policy = shipped_policy()
    item: Any
    try:
        item = json.loads(data)
    except (ValueError, RecursionError):
        src = _Bytes(data)
        item = {"id": "f", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"} if src.byte() & 1 else {}
        for _ in range(src.byte() % 8):
            item[src.key()] = src.value()
    try:
        first = policy.route(item).model_dump_json()
    except ItemError as exc:
        if not exc.errors or not all(isinstance(e.path, str) for e in exc.errors):
            raise AssertionError("ItemError without field paths") from exc
        json.dumps(exc.to_dict(), ensure_ascii=False)
        return
    if isinstance(item, dict) and "reported_at" in item and policy.route(item).model_dump_json() != first:
        raise AssertionError("the same item gave two different decisions")


def check_registry(data: bytes) -> None:
    """Registry YAML from bytes -> `parse_registry`: a Registry, or a RegistryError whose every
    problem names the file and a line inside the text (0 never), in Chinese and English."""
    from gridpolicy.registry import RegistryError, parse_registry

    text = data.decode("utf-8", errors="replace")
    try:
        parse_registry(text, "grids.yaml")
    except RegistryError as exc:
        n = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", text))  # YAML's line breaks
        if not exc.problems:
            raise AssertionError("RegistryError without a problem") from exc
        for p in exc.problems:
            if p.file != "grids.yaml" or not 1 <= p.line <= n or not p.message_zh or not p.message_en:
                raise AssertionError(f"problem outside the text: {p} (lines: {n})") from exc
            p.render()


LOG_LINES = (
    b'{"decision_id": "a", "at": "2026-03-02T02:00:00+00:00", "kind": "route", "policy": {"name": "p", '
    b'"version": "1", "digest": "d"}, "input": {"id": "x"}, "output": {"item_id": "x"}, "latency_ms": 1.0}',
    b'{"decision_id": "b", "at": "2026-03-02", "kind": "route", "policy": {}, "input": 1, "output": [], '
    b'"latency_ms": "1"}',
    b'{"decision_id": null}', b"[]", b"{", b"\xff", b"", b'"\\ud800"',
)


def check_log(data: bytes) -> None:
    """Bytes as a JSON lines decision log -> `DecisionLog(readonly=True)`: every line is an entry
    or a reported skip, never an exception; queries and replay summaries run on what is read."""
    import tempfile

    from gridpolicy.decisionlog import DecisionLog, Query, summary

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_bytes(data)
        skipped: list[str] = []
        log = DecisionLog(path, readonly=True, on_corrupt=lambda c: skipped.append(c.render()))
        entries = list(log.query(Query(kind="route", tier="grid", matter="M01", digest="d")))
        entries += list(log)
        lines = data.count(b"\n") + (not data.endswith(b"\n") and bool(data))
        if len(entries) > 2 * lines or log.corrupt != len(skipped):
            raise AssertionError("more entries than lines, or an unreported skip")
        for e in entries:
            e.to_dict()
            if isinstance(e.output, dict):
                summary(e.output)
