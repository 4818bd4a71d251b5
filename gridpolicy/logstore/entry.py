"""What a decision log holds: `LogEntry` (one decision as read back), `Query` (filters), and
`Row` (one decision as written: its columns and its input and output as JSON text). Every store
(SQLite, JSON lines, PostgreSQL) writes rows and reads entries in these shapes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import orjson

from ..clock import parse_timestamp
from ..contract import PolicyRef

# The columns of the `decisions` table, the same in SQLite and PostgreSQL (after `seq`).
COLUMNS = ("decision_id", "at", "kind", "policy_name", "policy_version", "digest", "item_id", "matter", "tier",
           "outcome", "latency_ms", "at_param", "input", "output")
READ_COLUMNS = "decision_id, at, kind, policy_name, policy_version, digest, latency_ms, at_param, input, output"


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One logged decision."""

    decision_id: str
    at: dt.datetime  # when it was logged (UTC)
    kind: str
    policy: PolicyRef
    input: Any
    output: Any
    latency_ms: float
    at_param: str | None = None  # the `at` the caller asked for, if any

    @property
    def item_id(self) -> str | None:
        if not isinstance(self.output, dict):
            return None
        return self.output.get("item_id") or self.output.get("case_id")  # case_id: a case_state entry

    @property
    def matter(self) -> str | None:
        m = self.output.get("matter") if isinstance(self.output, dict) else None
        return m.get("code") or m.get("query") if isinstance(m, dict) else None

    @property
    def tier(self) -> str | None:
        t = self.output.get("tier") if isinstance(self.output, dict) else None
        return t.get("code") if isinstance(t, dict) else None

    @property
    def outcome(self) -> str | None:
        if not isinstance(self.output, dict):
            return None
        return self.output.get("outcome") or self.output.get("status")  # status: a case_state entry

    def to_dict(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "at": self.at.isoformat(), "kind": self.kind,
                "policy": self.policy.model_dump(mode="json"), "latency_ms": self.latency_ms, "at_param": self.at_param,
                "input": self.input, "output": self.output}


@dataclass(frozen=True, slots=True)
class Query:
    """Filters for `DecisionLog.query`; None means any."""

    item: str | None = None
    matter: str | None = None  # code or what the item said
    tier: str | None = None
    digest: str | None = None  # a prefix is enough
    kind: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None  # exclusive
    trace: str | None = None  # entries holding this value (an ID or phone number), masked or not
    items: tuple[str, ...] | None = None  # set by the log: the item id and its masked forms
    texts: tuple[str, ...] = ()  # set by the log: any of these in the input or output

    def matches(self, e: LogEntry) -> bool:
        if self.items is not None:
            if e.item_id not in self.items:
                return False
        elif self.item is not None and e.item_id != self.item:
            return False
        if self.texts and not any(t in json.dumps(x, ensure_ascii=False) for x in (e.input, e.output)
                                  for t in self.texts):
            return False
        if self.matter is not None and self.matter not in _matter_keys(e.output):
            return False
        if self.tier is not None and e.tier != self.tier:
            return False
        if self.digest is not None and not e.policy.digest.startswith(self.digest):
            return False
        if self.kind is not None and e.kind != self.kind:
            return False
        if self.since is not None and e.at < self.since:
            return False
        return not (self.until is not None and e.at >= self.until)


def _matter_keys(output: Any) -> tuple[str, ...]:
    m = output.get("matter") if isinstance(output, dict) else None
    if not isinstance(m, dict):
        return ()
    return tuple(v for v in (m.get("code"), m.get("query"), m.get("name")) if v)


@dataclass(slots=True)
class Row:
    """One decision as a store writes it: the table's columns, input and output as JSON text."""

    decision_id: str
    at: str  # ISO 8601, UTC
    kind: str
    policy: PolicyRef
    item_id: str | None
    matter: str | None
    tier: str | None
    outcome: str | None
    latency_ms: float
    at_param: str | None
    input: str
    output: str

    def values(self) -> tuple[Any, ...]:
        """The values of `COLUMNS`, in order."""
        p = self.policy
        return (self.decision_id, self.at, self.kind, p.name, p.version, p.digest, self.item_id, self.matter,
                self.tier, self.outcome, self.latency_ms, self.at_param, self.input, self.output)

    def line(self, policy_json: bytes) -> bytes:
        """The row as a JSON lines entry (`LogEntry.to_dict`'s shape), with its policy's JSON."""
        return b"".join((b'{"decision_id":', orjson.dumps(self.decision_id), b',"at":', orjson.dumps(self.at),
                         b',"kind":', orjson.dumps(self.kind), b',"policy":', policy_json, b',"latency_ms":',
                         orjson.dumps(self.latency_ms), b',"at_param":', orjson.dumps(self.at_param),
                         b',"input":', self.input.encode(), b',"output":', self.output.encode(), b"}\n"))


def entry_from_dict(d: Any) -> LogEntry:
    """A JSON lines entry, checked (ValueError / TypeError / KeyError when malformed)."""
    if not isinstance(d, dict):
        raise TypeError("an entry is a JSON object")
    return entry(d["decision_id"], d["at"], d["kind"], PolicyRef(**d["policy"]), d["input"], d["output"],
                 d["latency_ms"], d.get("at_param"))


def entry_from_row(row: tuple[Any, ...]) -> LogEntry:
    """A table row of `READ_COLUMNS`, checked."""
    did, at, kind, name, version, digest, latency, at_param, inp, out = row
    return entry(did, at if isinstance(at, str) else at.isoformat(), kind,
                 PolicyRef(name=name, version=version, digest=digest),
                 orjson.loads(inp) if isinstance(inp, str | bytes) else inp,
                 orjson.loads(out) if isinstance(out, str | bytes) else out, latency, at_param)


def entry(did: Any, at: Any, kind: Any, policy: PolicyRef, inp: Any, out: Any, latency: Any,
          at_param: Any) -> LogEntry:
    when = parse_timestamp(at)
    if not isinstance(did, str) or not isinstance(kind, str) or when is None:
        raise ValueError("decision_id, kind or at is malformed")
    if not isinstance(latency, int | float) or (at_param is not None and not isinstance(at_param, str)):
        raise ValueError("latency_ms or at_param is malformed")
    return LogEntry(did, when, kind, policy, inp, out, latency, at_param)
