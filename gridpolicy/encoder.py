"""Decisions as JSON text, fast, and byte for byte what `Decision.model_dump_json()` gives.

Decisions share their frozen parts (`Reason`, `Named`, `TierRef`, `TimeLimit`, `MatterRef`,
`PolicyRef`) with the other decisions of a policy. The encoder turns each such part into JSON
once (with pydantic) and reuses the text; orjson writes the rest of a decision (the id,
times, lists) with the same escapes and time format, and takes each part's JSON from the
encoder when it meets the part. A decision whose parts a caller replaced with objects of
other types goes to pydantic whole.
"""

from __future__ import annotations

import threading
from typing import Any

import orjson

from .contract import (
    Decision,
    EscalationStep,
    GateRef,
    Handlers,
    Hold,
    LeadRef,
    MatterRef,
    Named,
    PolicyRef,
    Reason,
    Referral,
    Stage,
    TierRef,
    TimeLimit,
    UnitRef,
)

_FROZEN = frozenset((Named, TierRef, TimeLimit, MatterRef, Reason, PolicyRef, LeadRef, UnitRef, Referral))
_OPTIONS = orjson.OPT_UTC_Z


# orjson escapes strings as pydantic-core does (quote, backslash, control characters) and,
# with OPT_UTC_Z, writes times as it does.
_dumps = orjson.dumps
_Fragment = orjson.Fragment  # JSON text included as it is


class _Unsure(Exception):
    """A value the encoder does not write itself."""


class DecisionEncoder:
    """Encodes decisions; keeps the JSON of up to `limit` shared parts (then starts over)."""

    def __init__(self, limit: int = 50_000):
        self._limit = limit
        # id(part) -> its JSON. Every part whose id is a key is held in `_held`, so no other
        # live object can have that id: a hit is always the same object.
        self._frags: dict[int, orjson.Fragment] = {}
        self._held: list[Any] = []
        self._learning = threading.Lock()  # `_frags` and `_held` change together (decisions run in threads)
        frags = self._frags

        def part(obj: Any) -> orjson.Fragment:  # orjson asks for each object it cannot write
            return frags[id(obj)]
        self._default = part

    @property
    def cached(self) -> int:
        """How many shared parts' JSON the encoder keeps now (at most `limit`)."""
        return len(self._frags)

    @property
    def limit(self) -> int:
        return self._limit

    def holds_what_it_caches(self) -> bool:
        """Whether exactly the cached parts are held alive (no id of a cached part can be reused
        by another object): the invariant that makes a hit by id always the same object."""
        with self._learning:
            return len(self._held) == len(self._frags) and {id(o) for o in self._held} == set(self._frags)

    def encode(self, decision: Decision) -> str:
        """The decision as JSON text (what `decision.model_dump_json()` returns)."""
        return self.encode_bytes(decision).decode()

    def encode_bytes(self, decision: Decision) -> bytes:
        """The decision as UTF-8 JSON (what `decision.model_dump_json().encode()` returns)."""
        if type(decision) is Decision:
            try:
                return self.encode_fields(self._decision(decision.__dict__))
            except (_Unsure, orjson.JSONEncodeError):
                pass
        return decision.model_dump_json().encode()

    def encode_fields(self, f: dict[str, Any]) -> bytes:
        """A decision given as the dict of its fields (handlers and escalation steps as dicts
        of theirs, the shared parts as models), as `Decision.model_dump_json()` writes it.
        orjson writes the dicts, lists, strings and times and asks for each part's JSON."""
        for _ in range(3):  # another thread may start the cache over between learning and writing
            try:
                return _dumps(f, default=self._default, option=_OPTIONS)
            except orjson.JSONEncodeError:  # a part not seen yet
                self._learn(f)
        return _dumps(f, default=self._default, option=_OPTIONS)

    def _learn(self, f: dict[str, Any]) -> None:
        """Keep the JSON of the decision's shared frozen parts (_Unsure: a part of another type)."""
        h = f["handlers"]
        parts = [f["matter"], f["tier"], *h["roles"], h["department"], h["lead"], *h["assisting"], h["unit"],
                 f["time_limit"], *f["reasons"], f["policy"], f["scope"],
                 *(p for s in f["escalation"] for p in (s["after"], s["tier"], s["department"])),
                 *(s["limit"] for s in f["stages"]), f["referral"],
                 f["hold"]["review"] if f["hold"] else None,
                 f["gate"]["exemption"] if f["gate"] else None]
        frags = self._frags
        with self._learning:
            if len(frags) + len(parts) > self._limit:  # start over (before, so that all of them stay)
                frags.clear()
                self._held.clear()
            for obj in parts:
                if obj is not None and id(obj) not in frags:
                    if type(obj) not in _FROZEN:
                        raise _Unsure
                    frags[id(obj)] = _Fragment(obj.model_dump_json())
                    self._held.append(obj)

    def _decision(self, f: dict[str, Any]) -> dict[str, Any]:
        """The fields of a `Decision` (its `__dict__`), as `encode_fields` takes them."""
        handlers = f["handlers"]
        if type(handlers) is not Handlers:
            raise _Unsure
        fields = dict(f)
        fields["handlers"] = dict(handlers.__dict__)
        if f["escalation"]:
            fields["escalation"] = [self._part(s, EscalationStep) for s in f["escalation"]]
        if f["stages"]:
            fields["stages"] = [self._part(s, Stage) for s in f["stages"]]
        if f["hold"] is not None:
            fields["hold"] = self._part(f["hold"], Hold)
        if f["gate"] is not None:
            fields["gate"] = self._part(f["gate"], GateRef)
        return fields

    @staticmethod
    def _part(part: Any, cls: type) -> dict[str, Any]:
        """A per-decision part as the dict of its fields (`_Unsure` for another type)."""
        if type(part) is not cls:
            raise _Unsure
        return dict(part.__dict__)


_DEFAULT = DecisionEncoder()


def encode_decision(decision: Decision) -> str:
    """`decision.model_dump_json()`, faster for the decisions a policy makes."""
    return _DEFAULT.encode(decision)


def encode_decision_bytes(decision: Decision) -> bytes:
    """`decision.model_dump_json().encode()`, faster for the decisions a policy makes."""
    return _DEFAULT.encode_bytes(decision)
