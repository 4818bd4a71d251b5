"""The decision log: every decision with its id, time, policy digest, input, output and latency.

Two stores, chosen by the file name:

- SQLite (default, any other suffix): WAL journal, ``synchronous=FULL``. A record is committed
  (and, with FULL, fsynced to the WAL) before `record` returns, so a decision that was answered is
  on disk even if the process is SIGKILLed or the machine loses power right after. (NORMAL would
  survive SIGKILL too — the WAL write reaches the OS before commit returns — but not a power
  cut; audit records of governance decisions are worth one fsync each.)
- JSON lines (``.jsonl`` / ``.ndjson``): one object a line, written, flushed and fsynced before
  `record` returns.

    >>> from gridpolicy.decisionlog import DecisionLog, LoggedPolicy
    >>> logged = LoggedPolicy(gridpolicy.load("rules/"), DecisionLog("decisions.sqlite"))
    >>> d = logged.route({"id": "A-1", "kind": "issue"}); d.decision_id
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import Field

from .contract import AdmitResult, Decision, Evaluation, PolicyRef
from .lifecycle.state import CaseState
from .logfile import Corrupt, JsonlWriter, LogError, OnCorrupt, create_private, jsonl_lines, read_connection
from .pii import KEY_ENV, KEY_SUFFIX, Masker, load_key
from .runtime import Policy

log = logging.getLogger("gridpolicy.decisionlog")

Kind = Literal["route", "admit", "evaluate", "case_state"]
JSONL_SUFFIXES = (".jsonl", ".ndjson")


class LoggedDecision(Decision):
    """A decision with the id it was logged under (quote it to trace the decision later)."""

    decision_id: str = Field(description="Id of this decision in the decision log.")


def new_decision_id(now: float | None = None) -> str:
    """A UUID version 7: time-ordered (milliseconds) and random; sorts by creation time."""
    ms = int((time.time() if now is None else now) * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | secrets.randbits(12) << 64 | 0b10 << 62 | secrets.randbits(62)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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


class DecisionLog:
    """An append-only decision log at `path` (SQLite, or JSON lines for .jsonl/.ndjson).
    Thread-safe; `record` returns only once the entry is durable.

    Personal data in inputs and outputs is masked before it is written (`masking=True`, the
    default: see `gridpolicy.pii`; the key is $GRIDPOLICY_LOG_KEY or `<log>.key`); pass a
    `Masker` to declare more fields, or `masking=False` to log inputs verbatim. A new log file
    is created 0600. `readonly=True` opens an existing log for reading only (read-only media
    too): nothing is created, locked or repaired. Entries that cannot be read are skipped and
    reported to `on_corrupt` (and counted in `corrupt`)."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False,
                 masking: Masker | bool = True, on_corrupt: OnCorrupt | None = None):
        self.path = Path(path)
        self.readonly = readonly
        self.corrupt = 0  # entries skipped by reads so far
        self.last_error: BaseException | None = None  # of the last write; None when it succeeded
        self._on_corrupt = on_corrupt
        self._lock = threading.Lock()  # the connection / file
        self._cond = threading.Condition(threading.Lock())  # group commit
        self._pending: list[LogEntry] = []
        self._next = 1  # the group that pending entries will be written in
        self._done = 0  # the last group written
        self._writing = False
        self._failed: dict[int, BaseException] = {}
        self._jsonl = self.path.suffix.lower() in JSONL_SUFFIXES
        self._file: JsonlWriter | None = None
        self._db: sqlite3.Connection | None = None
        self.repaired = 0  # bytes of a torn JSON line cut off at open
        if readonly:
            if not self.path.is_file():
                raise LogError(f"找不到决定日志 {self.path}", f"no such decision log: {self.path}", errno.ENOENT)
            self.masker: Masker | None = None
            self._masker_loaded = False
            return
        key = load_key(self.path) if masking is True else None
        self.masker = (Masker(key) if key is not None else None) if masking is True else (masking or None)
        self._masker_loaded = True
        if self._jsonl:
            self._file = JsonlWriter(self.path)
            self.repaired = self._file.repaired
        else:
            create_private(self.path)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
            if self._file is not None:
                self._file.close()

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, kind: Kind, input: Any, output: Any, policy: PolicyRef, latency_ms: float,
               *, decision_id: str | None = None, at_param: dt.datetime | None = None) -> str:
        """Log one decision durably and return its id."""
        return self.record_many([(kind, input, output, policy, latency_ms, decision_id, at_param)])[0]

    def record_many(self, rows: list[tuple[Kind, Any, Any, PolicyRef, float, str | None, dt.datetime | None]]
                    ) -> list[str]:
        """Log several decisions in one durable write (one transaction / one fsync)."""
        if self.readonly:
            raise LogError("决定日志以只读方式打开", "the decision log is open read-only", errno.EBADF)
        now = dt.datetime.now(dt.UTC)
        mask = self.masker.mask if self.masker is not None else None
        entries = []
        for kind, inp, out, policy, latency, did, at_param in rows:
            if hasattr(out, "model_dump"):
                out = out.model_dump(mode="json")
            if mask is not None:
                inp, out = mask(inp), mask(out)
            entries.append(LogEntry(did or new_decision_id(), now, kind, policy, inp, out, round(latency, 3),
                                    at_param.isoformat() if at_param else None))
        self._commit(entries)
        return [e.decision_id for e in entries]

    def _commit(self, entries: list[LogEntry]) -> None:
        """Group commit: entries that arrive while another thread is writing join the next
        write, so concurrent decisions share one fsync. Returns once `entries` are durable."""
        with self._cond:
            self._pending.extend(entries)
            mine = self._next
            while self._done < mine:
                if self._writing:
                    self._cond.wait()
                    continue
                self._writing = True
                batch, self._pending = self._pending, []
                number, self._next = self._next, self._next + 1
                self._cond.release()
                error: BaseException | None = None
                try:
                    self._write(batch)
                except BaseException as exc:  # reported to every writer in the batch
                    error = exc
                finally:
                    self._cond.acquire()
                    self._writing = False
                    self._done = number
                    self.last_error = error  # None once a write succeeds again
                    if error is not None:
                        self._failed[number] = error
                        while len(self._failed) > 64:
                            self._failed.pop(next(iter(self._failed)))
                    self._cond.notify_all()
            if mine in self._failed:
                raise self._failed[mine]

    def _write(self, entries: list[LogEntry]) -> None:
        with self._lock:
            if self._file is not None:
                # every line encoded before anything is written: an entry that cannot be encoded
                # fails the write, it never leaves half a batch in the file
                self._file.append(b"".join(_dumps(e.to_dict()) + b"\n" for e in entries))
                return
            assert self._db is not None
            rows = [(e.decision_id, e.at.isoformat(), e.kind, e.policy.name, e.policy.version, e.policy.digest,
                     e.item_id, e.matter, e.tier, e.outcome, e.latency_ms, e.at_param,
                     _dumps(e.input).decode(), _dumps(e.output).decode()) for e in entries]
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT INTO decisions (decision_id, at, kind, policy_name, policy_version, digest, item_id,"
                    " matter, tier, outcome, latency_ms, at_param, input, output)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
                self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                    self._db.execute("ROLLBACK")
                raise

    # ---- reading ------------------------------------------------------------------------------

    def query(self, q: Query | None = None, *, limit: int | None = None) -> Iterator[LogEntry]:
        """Logged entries matching `q`, oldest first, read as a stream. With a `q.trace` value
        the masked forms of that value are looked for too (needs the log's key)."""
        q = q or Query()
        if q.item is not None or q.trace is not None:
            q = self._unmasked(q)
        n = 0
        for e in self._scan(q):
            if q.matches(e):
                yield e
                n += 1
                if limit is not None and n >= limit:
                    return

    def _unmasked(self, q: Query) -> Query:
        """`q` with the masked forms of its item id and traced value (if the key is at hand)."""
        masker = self._key_masker()
        items: tuple[str, ...] | None = (q.item,) if q.item is not None else None
        texts = q.texts
        if masker is not None:
            if q.item is not None:
                items = (q.item, *masker.tokens_for(q.item))
            if q.trace is not None:
                texts = tuple(masker.tokens_for(q.trace))
        if q.trace is not None and masker is None:
            raise LogError(f"追踪需要日志密钥（环境变量 {KEY_ENV} 或 {self.path.name}{KEY_SUFFIX}）",
                           f"tracing needs the log's key (${KEY_ENV} or {self.path.name}{KEY_SUFFIX})")
        if q.trace is not None:
            texts = (*texts, q.trace)  # an entry logged unmasked
        return dataclasses.replace(q, items=items, texts=texts)

    def _key_masker(self) -> Masker | None:
        if not self._masker_loaded:
            key = load_key(self.path, create=False)
            self.masker = Masker(key) if key else None
            self._masker_loaded = True
        return self.masker

    def get(self, decision_id: str) -> LogEntry | None:
        """One entry by its decision id."""
        if not self._jsonl:
            return next(self._rows(f"SELECT seq, {_COLS} FROM decisions WHERE decision_id=?", [decision_id]), None)
        return next((e for e in self._scan(Query()) if e.decision_id == decision_id), None)

    def __iter__(self) -> Iterator[LogEntry]:
        return self.query()

    def _report(self, c: Corrupt) -> None:
        self.corrupt += 1
        if self._on_corrupt is not None:
            self._on_corrupt(c)
        else:
            log.warning("%s: %s", self.path, c.render())

    def _scan(self, q: Query) -> Iterator[LogEntry]:
        if self._jsonl:
            yield from self._scan_jsonl()
            return
        where: list[str] = []
        args: list[Any] = []
        for col, val in (("tier", q.tier), ("kind", q.kind)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        if q.items is not None:
            where.append(f"item_id IN ({','.join('?' * len(q.items))})")
            args += list(q.items)
        if q.digest is not None:
            where.append("substr(digest, 1, ?)=?")
            args += [len(q.digest), q.digest]
        if q.since is not None:
            where.append("at>=?")
            args.append(q.since.astimezone(dt.UTC).isoformat())
        if q.until is not None:
            where.append("at<?")
            args.append(q.until.astimezone(dt.UTC).isoformat())
        if q.texts:
            where.append("(" + " OR ".join("instr(input, ?) OR instr(output, ?)" for _ in q.texts) + ")")
            args += [t for t in q.texts for _ in (0, 1)]
        sql = f"SELECT seq, {_COLS} FROM decisions" + (" WHERE " + " AND ".join(where) if where else "")
        yield from self._rows(sql + " ORDER BY seq", args)

    def _rows(self, sql: str, args: list[Any]) -> Iterator[LogEntry]:
        """Rows streamed from a read-only connection of their own (the writer is not held)."""
        db = read_connection(self.path)
        try:
            cur = db.execute(sql, args)
            while rows := cur.fetchmany(256):
                for row in rows:
                    try:
                        yield _from_row(row[1:])
                    except (ValueError, TypeError, KeyError) as exc:
                        self._report(Corrupt(f"row {row[0]}", f"第 {row[0]} 条记录无法读取：{exc}",
                                             f"row {row[0]} cannot be read: {exc}"))
        finally:
            db.close()

    def _scan_jsonl(self) -> Iterator[LogEntry]:
        for n, line in jsonl_lines(self.path, self._report):
            try:
                yield _from_dict(orjson.loads(line))
            except (ValueError, TypeError, KeyError) as exc:  # orjson.JSONDecodeError is a ValueError
                self._report(Corrupt(f"line {n}", f"第 {n} 行无法读取：{_short(exc)}",
                                     f"line {n} cannot be read: {_short(exc)}"))


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 200 else text[:200] + "…"


def _dumps(value: Any) -> bytes:
    """JSON as the log has always written it (json.dumps, non-ASCII kept); a lone surrogate
    raises UnicodeEncodeError before anything is written."""
    return json.dumps(value, ensure_ascii=False).encode()


def _from_dict(d: Any) -> LogEntry:
    if not isinstance(d, dict):
        raise TypeError("an entry is a JSON object")
    return _entry(d["decision_id"], d["at"], d["kind"], PolicyRef(**d["policy"]), d["input"], d["output"],
                  d["latency_ms"], d.get("at_param"))


def _entry(did: Any, at: Any, kind: Any, policy: PolicyRef, inp: Any, out: Any, latency: Any,
           at_param: Any) -> LogEntry:
    when = dt.datetime.fromisoformat(at)
    if not isinstance(did, str) or not isinstance(kind, str) or when.tzinfo is None:
        raise ValueError("decision_id, kind or at is malformed")
    if not isinstance(latency, int | float) or (at_param is not None and not isinstance(at_param, str)):
        raise ValueError("latency_ms or at_param is malformed")
    return LogEntry(did, when, kind, policy, inp, out, latency, at_param)


_SCHEMA = """
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
_COLS = "decision_id, at, kind, policy_name, policy_version, digest, latency_ms, at_param, input, output"


def _from_row(row: tuple[Any, ...]) -> LogEntry:
    did, at, kind, name, version, digest, latency, at_param, inp, out = row
    return _entry(did, at, kind, PolicyRef(name=name, version=version, digest=digest), json.loads(inp),
                  json.loads(out), latency, at_param)


class LoggedPolicy:
    """A policy whose every decision is written to a decision log before it is returned."""

    def __init__(self, policy: Policy, log: DecisionLog):
        self.policy = policy
        self.log = log

    def route(self, item: Mapping[str, Any], at: dt.datetime | None = None) -> LoggedDecision:
        """`Policy.route`, logged; the result carries its `decision_id`."""
        t0 = time.perf_counter()
        decision = self.policy.route(item, at)
        latency = (time.perf_counter() - t0) * 1000
        did = self.log.record("route", _plain(item), decision, decision.policy, latency, at_param=at)
        return LoggedDecision(**dict(decision), decision_id=did)

    def admit(self, proposal: Mapping[str, Any]) -> tuple[str, AdmitResult]:
        """`Policy.admit`, logged; returns (decision id, result)."""
        t0 = time.perf_counter()
        result = self.policy.admit(proposal)
        latency = (time.perf_counter() - t0) * 1000
        ref = PolicyRef(name=self.policy.header.name, version=self.policy.header.version, digest=self.policy.digest)
        return self.log.record("admit", _plain(proposal), result, ref, latency), result

    def step(self, case: Mapping[str, Any], at: dt.datetime | None = None) -> tuple[str, CaseState]:
        """`Policy.step`, logged as a `case_state` entry; returns (decision id, state)."""
        t0 = time.perf_counter()
        state = self.policy.step(case, at)
        latency = (time.perf_counter() - t0) * 1000
        return self.log.record("case_state", _plain(case), state, state.policy, latency, at_param=at), state

    def evaluate(self, formula: str, data: Mapping[str, Any]) -> tuple[str, Evaluation]:
        """`Policy.evaluate`, logged; returns (decision id, evaluation)."""
        t0 = time.perf_counter()
        result = self.policy.evaluate(formula, data)
        latency = (time.perf_counter() - t0) * 1000
        ref = PolicyRef(name=self.policy.header.name, version=self.policy.header.version, digest=self.policy.digest)
        return self.log.record("evaluate", {"formula": formula, "data": _plain(data)}, result, ref, latency), result


def _plain(obj: Any) -> Any:
    """JSON-ready form of an input (an `Item` model or a mapping)."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json", exclude_none=True)
    return json.loads(json.dumps(obj, ensure_ascii=False, default=str))


# ---- replay --------------------------------------------------------------------------------

COMPARED = ("outcome", "tier", "department", "roles", "deadline", "time_limit", "escalation", "matter_status")


@dataclass(frozen=True, slots=True)
class Change:
    """What a logged route decision would become under another policy."""

    decision_id: str
    item_id: str | None
    before: dict[str, Any]
    after: dict[str, Any] | None  # None: the item is invalid under the new policy
    error: str | None = None
    compared: tuple[str, ...] = COMPARED  # a case_state entry compares gridpolicy.lifecycle.replay.COMPARED

    @property
    def fields(self) -> list[str]:
        if self.after is None:
            return ["error"]
        return [k for k in self.compared if self.before.get(k) != self.after.get(k)]


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def summary(decision: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a decision (JSON form) that replay compares (a malformed part reads as missing)."""
    handlers = _d(decision.get("handlers"))
    roles = handlers.get("roles")
    steps = decision.get("escalation")
    return {
        "outcome": decision.get("outcome"),
        "tier": _d(decision.get("tier")).get("code"),
        "department": _d(handlers.get("department")).get("code"),
        "roles": [_d(r).get("code") for r in roles] if isinstance(roles, list) else [],
        "deadline": decision.get("deadline"),
        "time_limit": _d(decision.get("time_limit")).get("text_zh"),
        "escalation": [(_d(_d(s).get("tier")).get("code"), _d(s).get("due")) for s in steps]
        if isinstance(steps, list) else [],
        "matter_status": _d(decision.get("matter")).get("status"),
    }


def replay(entries: Iterator[LogEntry] | list[LogEntry], policy: Policy) -> Iterator[tuple[LogEntry, Change | None]]:
    """Re-decide logged route decisions under `policy`, each as of the time it was first
    evaluated. Yields (entry, change) with change None when nothing that matters differs."""
    from .contract import ItemError
    from .lifecycle.replay import COMPARED as CASE_COMPARED
    from .lifecycle.replay import replay_case

    for e in entries:
        if e.kind == "case_state" and isinstance(e.output, dict):
            before, after, error = replay_case(e.input, e.output, e.at_param, policy)
            change = Change(e.decision_id, e.item_id, before, after, error, compared=CASE_COMPARED)
            yield e, (change if change.fields else None)
            continue
        if e.kind != "route" or not isinstance(e.output, dict):
            continue
        before = summary(e.output)
        item = e.input
        at = None
        try:
            if e.at_param:
                at = dt.datetime.fromisoformat(e.at_param)
            elif isinstance(item, dict) and item.get("reported_at") is None and e.output.get("evaluated_at"):
                # reported "now": replay as of the moment it was first decided
                item = {**item, "reported_at": e.output["evaluated_at"]}
            after = summary(policy.route(item, at).model_dump(mode="json"))
        except ItemError as exc:
            yield e, Change(e.decision_id, e.item_id, before, None, str(exc))
            continue
        except (ArithmeticError, ValueError, TypeError, KeyError, RecursionError) as exc:  # a malformed entry
            yield e, Change(e.decision_id, e.item_id, before, None, f"{type(exc).__name__}: {exc}")
            continue
        change = Change(e.decision_id, e.item_id, before, after)
        yield e, (change if change.fields else None)
