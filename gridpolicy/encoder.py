"""Decisions as JSON text, fast, and byte for byte what `Decision.model_dump_json()` gives.

Decisions share their frozen parts (`Reason`, `Named`, `TierRef`, `TimeLimit`, `MatterRef`,
`PolicyRef`) with the other decisions of a policy. The encoder turns each such part into JSON
once (with pydantic) and reuses the text; orjson writes the rest of a decision (the id,
times, lists) with the same escapes and time format. A decision whose parts a caller
replaced with objects of other types goes to pydantic whole.
"""

from __future__ import annotations

from typing import Any

import orjson

from .contract import Decision, EscalationStep, Handlers, MatterRef, Named, PolicyRef, Reason, TierRef, TimeLimit

_FROZEN = frozenset((Named, TierRef, TimeLimit, MatterRef, Reason, PolicyRef))
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
        self._frags: dict[int, orjson.Fragment | None] = {id(None): None}
        self._held: list[Any] = [None]

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

    def _part(self, obj: Any) -> orjson.Fragment | None:
        """The shared frozen part's JSON (None for None); a part already replaced by its
        JSON stays as it is."""
        frags = self._frags
        key = id(obj)
        if key in frags:
            return frags[key]
        if type(obj) is _Fragment:
            return obj
        if type(obj) not in _FROZEN:
            raise _Unsure
        text = _Fragment(obj.model_dump_json())
        if len(frags) >= self._limit:
            frags.clear()
            self._held.clear()
            frags[id(None)] = None
            self._held.append(None)
        frags[key] = text
        self._held.append(obj)
        return text

    def encode_fields(self, f: dict[str, Any]) -> bytes:
        """A decision given as the dict of its fields (handlers and escalation steps as dicts
        of theirs, the shared parts as models), as `Decision.model_dump_json()` writes it.
        Replaces the parts in `f` with their JSON."""
        frags = self._frags
        try:  # every part seen before: plain lookups
            f["matter"] = frags[id(f["matter"])]
            f["tier"] = frags[id(f["tier"])]
            h = f["handlers"]
            h["department"] = frags[id(h["department"])]
            if h["roles"]:
                h["roles"] = [*map(frags.__getitem__, map(id, h["roles"]))]
            f["time_limit"] = frags[id(f["time_limit"])]
            for step in f["escalation"]:
                step["after"] = frags[id(step["after"])]
                step["tier"] = frags[id(step["tier"])]
                step["department"] = frags[id(step["department"])]
            f["reasons"] = [*map(frags.__getitem__, map(id, f["reasons"]))]
            f["policy"] = frags[id(f["policy"])]
        except KeyError:  # a part not seen yet (some parts may be JSON already)
            part = self._part
            f["matter"] = part(f["matter"])
            f["tier"] = part(f["tier"])
            h = f["handlers"]
            h["roles"] = [part(r) for r in h["roles"]]
            h["department"] = part(h["department"])
            f["time_limit"] = part(f["time_limit"])
            for step in f["escalation"]:
                step["after"], step["tier"], step["department"] = (
                    part(step["after"]), part(step["tier"]), part(step["department"]))
            f["reasons"] = [part(r) for r in f["reasons"]]
            f["policy"] = part(f["policy"])
        return _dumps(f, option=_OPTIONS)

    def _decision(self, f: dict[str, Any]) -> dict[str, Any]:
        """The fields of a `Decision` (its `__dict__`), as `encode_fields` takes them."""
        handlers = f["handlers"]
        if type(handlers) is not Handlers:
            raise _Unsure
        fields = dict(f)
        fields["handlers"] = dict(handlers.__dict__)
        if f["escalation"]:
            fields["escalation"] = [self._step(s) for s in f["escalation"]]
        return fields

    def _step(self, step: Any) -> dict[str, Any]:
        if type(step) is not EscalationStep:
            raise _Unsure
        return dict(step.__dict__)


_DEFAULT = DecisionEncoder()


def encode_decision(decision: Decision) -> str:
    """`decision.model_dump_json()`, faster for the decisions a policy makes."""
    return _DEFAULT.encode(decision)


def encode_decision_bytes(decision: Decision) -> bytes:
    """`decision.model_dump_json().encode()`, faster for the decisions a policy makes."""
    return _DEFAULT.encode_bytes(decision)
