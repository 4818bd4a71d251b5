"""The decision log: every decision with its id, time, policy digest, input, output and latency.

Where it is kept is the target's business (`gridpolicy.logstore`): a SQLite file (the embedded
default), a JSON lines file (``.jsonl`` / ``.ndjson``), or a PostgreSQL database
(``postgresql://…``, the shared log of service replicas). Every decision reaches the log on
one path: `decide` makes a `Decided` (the decision, timed, with its id), the caller answers
from it, and `DecisionLog.write` makes it durable — the server, `LoggedPolicy` and
`record`/`record_many` all go through it.

Group commit: decisions written from many threads at once share one transaction (one fsync).
A writer that finds the log busy joins the next group; the group's leader waits at most
`group_wait` seconds for as many companions as the previous group had (a lone sequential
writer never waits), then writes. `write` returns only once its own decisions are durable
under the log's `durability` (`logstore.DURABILITY`: ``full``, the default, survives a power
cut; ``normal`` survives the process being killed).

    >>> from gridpolicy.decisionlog import DecisionLog, LoggedPolicy
    >>> logged = LoggedPolicy(gridpolicy.load("rules/"), DecisionLog("decisions.sqlite"))
    >>> d = logged.route({"id": "A-1", "kind": "issue"}); d.decision_id
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import orjson
from pydantic import Field

from .clock import parse_timestamp
from .contract import AdmitResult, Decision, Evaluation, PolicyRef
from .encoder import encode_decision_bytes
from .lifecycle.state import CaseState
from .logfile import Corrupt, LogError, OnCorrupt
from .logstore import Durability, Store, is_postgres, open_store
from .logstore.entry import LogEntry, Query, Row
from .pii import KEY_ENV, KEY_SUFFIX, Masker, load_key
from .runtime import Policy

log = logging.getLogger("gridpolicy.decisionlog")

Kind = Literal["route", "admit", "evaluate", "case_state"]
T = TypeVar("T")
GROUP_WAIT = 0.002  # seconds a group's leader waits for companions at most

__all__ = ["COMPARED", "GROUP_WAIT", "Change", "DecisionLog", "Decided", "Kind", "LogEntry", "LogError",
           "LoggedDecision", "LoggedPolicy", "Query", "decide", "log_key", "new_decision_id", "replay", "summary"]


class LoggedDecision(Decision):
    """A decision with the id it was logged under (quote it to trace the decision later)."""

    decision_id: str = Field(description="Id of this decision in the decision log.")


def new_decision_id(now: float | None = None) -> str:
    """A UUID version 7: time-ordered (milliseconds) and random; sorts by creation time."""
    ms = int((time.time() if now is None else now) * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | secrets.randbits(12) << 64 | 0b10 << 62 | secrets.randbits(62)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(slots=True)
class Decided:
    """A decision made and not yet logged: what `DecisionLog.write` takes.

    `output` is the result (a Decision, AdmitResult, Evaluation, CaseState, or its JSON form);
    `answer` may hold the output's JSON as it was answered, so the log does not encode it again."""

    kind: Kind
    input: Any
    output: Any
    policy: PolicyRef
    latency_ms: float
    at_param: dt.datetime | None = None
    decision_id: str = field(default_factory=new_decision_id)
    answer: bytes | None = None

    def output_json(self) -> bytes:
        """The output's JSON (`answer` when it is there)."""
        if self.answer is not None:
            return self.answer
        out = self.output
        if isinstance(out, Decision):
            self.answer = encode_decision_bytes(out)
        elif hasattr(out, "model_dump_json"):
            self.answer = out.model_dump_json().encode()
        else:
            self.answer = orjson.dumps(out)
        return self.answer


def decide(kind: Kind, input: Any, fn: Callable[[], T], *, policy: PolicyRef | Callable[[T], PolicyRef] | None = None,
           at: dt.datetime | None = None) -> tuple[T, Decided]:
    """Run `fn` (a decision), timed; the result and its `Decided` (policy: the result's own
    `policy` unless given, or computed from the result)."""
    t0 = time.perf_counter()
    result = fn()
    latency = (time.perf_counter() - t0) * 1000
    ref = policy(result) if callable(policy) else policy
    if ref is None:
        ref = result.policy  # type: ignore[attr-defined]
    return result, Decided(kind, input, result, ref, latency, at)


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else getattr(value, key, None)


def _columns(out: Any) -> tuple[Any, Any, Any, Any]:
    """item_id, matter, tier and outcome of an output (a model or its JSON form)."""
    m, t = _get(out, "matter"), _get(out, "tier")
    matter = (_get(m, "code") or _get(m, "query")) if m is not None and not isinstance(m, str) else None
    tier = _get(t, "code") if t is not None and not isinstance(t, str) else None
    values = (_get(out, "item_id") or _get(out, "case_id"), matter, tier, _get(out, "outcome") or _get(out, "status"))
    return tuple(v if isinstance(v, str) else None for v in values)  # type: ignore[return-value]


def log_key(target: str | os.PathLike[str], *, create: bool = True) -> bytes | None:
    """The masking key of the log at `target` (`gridpolicy.pii.load_key`): a file log's key
    file is beside it; a PostgreSQL log has no file beside it, so its key must be in
    $GRIDPOLICY_LOG_KEY (LogError when `create` and it is not)."""
    if is_postgres(target):
        key = load_key(Path(os.devnull), create=False) if os.environ.get(KEY_ENV, "").strip() else None
        if key is None and create:
            raise LogError(f"PostgreSQL 决定日志的脱敏需要密钥：设置环境变量 {KEY_ENV}（或关闭脱敏）",
                           f"masking a PostgreSQL decision log needs a key: set ${KEY_ENV} (or turn masking off)")
        return key
    return load_key(Path(target), create=create)


def _echo(masker: Masker, value: str | None, found: dict[str, str]) -> str | None:
    if value is None:
        return None
    echoed = masker.mask_echoes(value, found)
    return echoed if echoed is not None else masker.mask_text(value)


class DecisionLog:
    """An append-only decision log at `target`: a file path (SQLite, or JSON lines for
    .jsonl/.ndjson) or a ``postgresql://`` URL. Thread-safe; `write` (and `record`) return
    only once the entries are durable (see the module docstring for group commit and
    `durability`).

    Personal data in inputs and outputs is masked before it is written (`masking=True`, the
    default: see `gridpolicy.pii`; the key is $GRIDPOLICY_LOG_KEY or `<log>.key`, which a
    PostgreSQL log needs in the environment); pass a `Masker` to declare more fields, or
    `masking=False` to log inputs verbatim. A new log file is created 0600. `readonly=True`
    opens an existing log for reading only (read-only media too): nothing is created, locked or
    repaired. Entries that cannot be read are skipped and reported to `on_corrupt` (and
    counted in `corrupt`)."""

    def __init__(self, target: str | os.PathLike[str], *, readonly: bool = False,
                 masking: Masker | bool = True, on_corrupt: OnCorrupt | None = None,
                 durability: Durability = "full", group_wait: float = GROUP_WAIT):
        self.postgres = is_postgres(target)
        self.target = target
        self.path = Path("postgresql") if self.postgres else Path(target)
        self.readonly = readonly
        self.durability = durability
        self.group_wait = group_wait
        self.corrupt = 0  # entries skipped by reads so far
        self.last_error: BaseException | None = None  # of the last write; None when it succeeded
        self._on_corrupt = on_corrupt
        self._cond = threading.Condition(threading.Lock())  # group commit
        self._pending: list[Decided] = []
        self._next = 1  # the group that pending entries will be written in
        self._done = 0  # the last group written
        self._writing = False
        self._last_group = 1
        self._failed: dict[int, BaseException] = {}
        if readonly and not self.postgres and not self.path.is_file():
            raise LogError(f"找不到决定日志 {self.path}", f"no such decision log: {self.path}", errno.ENOENT)
        if readonly:
            self.masker: Masker | None = None
            self._masker_loaded = False
        else:
            key = self._load_key(create=True) if masking is True else None
            self.masker = (Masker(key) if key is not None else None) if masking is True else (masking or None)
            self._masker_loaded = True
        self.store: Store = open_store(target, readonly=readonly, durability=durability)
        self.name = self.store.name
        self.repaired = getattr(self.store, "repaired", 0)  # bytes of a torn JSON line cut off at open

    def _load_key(self, create: bool) -> bytes | None:
        return log_key(self.target, create=create)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing ------------------------------------------------------------------------------

    def record(self, kind: Kind, input: Any, output: Any, policy: PolicyRef, latency_ms: float,
               *, decision_id: str | None = None, at_param: dt.datetime | None = None) -> str:
        """Log one decision durably and return its id."""
        return self.record_many([(kind, input, output, policy, latency_ms, decision_id, at_param)])[0]

    def record_many(self, rows: Sequence[tuple[Kind, Any, Any, PolicyRef, float, str | None, dt.datetime | None]]
                    ) -> list[str]:
        """Log several decisions in one durable write (one transaction / one fsync)."""
        decided = [Decided(kind, inp, out, policy, latency, at_param, did or new_decision_id())
                   for kind, inp, out, policy, latency, did, at_param in rows]
        self.write(decided)
        return [d.decision_id for d in decided]

    def write(self, decided: Sequence[Decided]) -> None:
        """Log decisions durably (group commit); raises what the store raised if they are not."""
        if self.readonly:
            raise LogError("决定日志以只读方式打开", "the decision log is open read-only", errno.EBADF)
        if decided:
            self._commit(list(decided))

    def rows(self, decided: Sequence[Decided]) -> list[Row]:
        """The rows the store writes for `decided`: masked, encoded, stamped with the time."""
        now = dt.datetime.now(dt.UTC).isoformat()
        masker = self.masker
        out = []
        for d in decided:
            item_id, matter, tier, outcome = _columns(d.output)
            output = d.output_json().decode()
            inp = d.input
            if masker is not None:
                found: dict[str, str] = {}
                inp = masker.mask(inp, found)
                if found:
                    echoed = masker.mask_echoes(output, found)
                    output = echoed if echoed is not None else \
                        orjson.dumps(masker.mask(orjson.loads(output))).decode()
                    item_id, matter = (_echo(masker, v, found) for v in (item_id, matter))
            out.append(Row(d.decision_id, now, d.kind, d.policy, item_id, matter, tier, outcome,
                           round(d.latency_ms, 3), d.at_param.isoformat() if d.at_param else None,
                           orjson.dumps(inp, option=orjson.OPT_NON_STR_KEYS).decode(), output))
        return out

    def _commit(self, decided: list[Decided]) -> None:
        """Group commit (see the module docstring). Returns once `decided` are durable."""
        with self._cond:
            self._pending.extend(decided)
            mine = self._next
            while self._done < mine:
                if self._writing:
                    self._cond.wait()
                    continue
                self._writing = True
                if self.group_wait > 0 and len(self._pending) < self._last_group:
                    deadline = time.monotonic() + self.group_wait
                    while len(self._pending) < self._last_group and (left := deadline - time.monotonic()) > 0:
                        self._cond.wait(left)
                batch, self._pending = self._pending, []
                number, self._next = self._next, self._next + 1
                self._last_group = max(1, len(batch))
                self._cond.release()
                error: BaseException | None = None
                try:
                    self.store.write(self.rows(batch))
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

    # ---- reading ------------------------------------------------------------------------------

    def query(self, q: Query | None = None, *, limit: int | None = None) -> Iterator[LogEntry]:
        """Logged entries matching `q`, oldest first, read as a stream. With a `q.trace` value
        the masked forms of that value are looked for too (needs the log's key)."""
        q = q or Query()
        if q.item is not None or q.trace is not None:
            q = self._unmasked(q)
        n = 0
        for e in self.store.scan(q, self._report):
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
            key = self._load_key(create=False)
            self.masker = Masker(key) if key else None
            self._masker_loaded = True
        return self.masker

    def get(self, decision_id: str) -> LogEntry | None:
        """One entry by its decision id."""
        return self.store.get(decision_id, self._report)

    def __iter__(self) -> Iterator[LogEntry]:
        return self.query()

    def _report(self, c: Corrupt) -> None:
        self.corrupt += 1
        if self._on_corrupt is not None:
            self._on_corrupt(c)
        else:
            log.warning("%s: %s", self.name, c.render())


class LoggedPolicy:
    """A policy whose every decision is written to a decision log before it is returned."""

    def __init__(self, policy: Policy, log: DecisionLog):
        self.policy = policy
        self.log = log

    def _ref(self, _result: object = None) -> PolicyRef:
        p = self.policy
        return PolicyRef(name=p.header.name, version=p.header.version, digest=p.digest)

    def route(self, item: Mapping[str, Any], at: dt.datetime | None = None) -> LoggedDecision:
        """`Policy.route`, logged; the result carries its `decision_id`."""
        decision, d = decide("route", _plain(item), lambda: self.policy.route(item, at), at=at)
        self.log.write([d])
        return LoggedDecision(**dict(decision), decision_id=d.decision_id)

    def admit(self, proposal: Mapping[str, Any]) -> tuple[str, AdmitResult]:
        """`Policy.admit`, logged; returns (decision id, result)."""
        result, d = decide("admit", _plain(proposal), lambda: self.policy.admit(proposal), policy=self._ref)
        self.log.write([d])
        return d.decision_id, result

    def step(self, case: Mapping[str, Any], at: dt.datetime | None = None) -> tuple[str, CaseState]:
        """`Policy.step`, logged as a `case_state` entry; returns (decision id, state)."""
        state, d = decide("case_state", _plain(case), lambda: self.policy.step(case, at), at=at)
        self.log.write([d])
        return d.decision_id, state

    def evaluate(self, formula: str, data: Mapping[str, Any]) -> tuple[str, Evaluation]:
        """`Policy.evaluate`, logged; returns (decision id, evaluation)."""
        result, d = decide("evaluate", {"formula": formula, "data": _plain(data)},
                           lambda: self.policy.evaluate(formula, data), policy=self._ref)
        self.log.write([d])
        return d.decision_id, result


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


def _codes(value: Any) -> list[Any]:
    return [_d(x).get("code") for x in value] if isinstance(value, list) else []


def summary(decision: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a decision (JSON form) that matter to the people it routes: the one summary
    `replay` and `diff --items` compare (a malformed or missing part reads as missing)."""
    handlers = _d(decision.get("handlers"))
    steps = decision.get("escalation")
    lead = _d(handlers.get("lead"))
    reasons = decision.get("reasons")
    routes = [_d(r).get("id") for r in reasons if _d(r).get("kind") == "route"] if isinstance(reasons, list) else []
    stages = decision.get("stages")
    return {
        "outcome": decision.get("outcome"),
        "tier": _d(decision.get("tier")).get("code"),
        "department": _d(handlers.get("department")).get("code"),
        "roles": _codes(handlers.get("roles")),
        # a lead that is only the tier itself is already compared as `tier`
        "lead": f"{lead.get('kind')}:{lead.get('code')}" if lead and lead.get("kind") != "tier" else None,
        "assisting": _codes(handlers.get("assisting")),
        "unit": _d(handlers.get("unit")).get("code"),
        "deadline": decision.get("deadline"),
        "time_limit": _d(decision.get("time_limit")).get("text_zh"),
        "escalation": [(_d(_d(s).get("tier")).get("code"), _d(s).get("due")) for s in steps]
        if isinstance(steps, list) else [],
        "matter_status": _d(decision.get("matter")).get("status"),
        "route": routes[-1] if routes and decision.get("outcome") != "refuse" else None,
        "stages": [f"{_d(s).get('code')} {_d(s).get('deadline')}" for s in stages] if isinstance(stages, list) else [],
        "referral": _d(_d(decision.get("referral")).get("channel")).get("code"),
        "next_review": _d(decision.get("hold")).get("next_review"),
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
                at = parse_timestamp(e.at_param)
                if at is None:
                    raise ValueError(f"at_param {e.at_param!r} is not a timestamp with an offset")
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
