"""The item's matter: found by code, Chinese name or alias, its status on a day (in force,
not yet, exited, expired), its reference in the decision and the reason that says why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..catalogue import MatterKeys
from ..contract import MatterRef, Named, Reason
from ..engine.compiler import UNLISTED, MatterState
from ..model import EventClass, Matter, PolicyModel
from .reasons import class_reason, make, matter_reason, unknown_reason

NO_MATTER_DAY = dt.date(2000, 1, 1)


class Matters:
    """A policy's matters, with the per-status parts of decisions cached (bounded)."""

    def __init__(self, model: PolicyModel):
        self._by_key: dict[str, Matter] = {}
        for m in model.matters:
            for key in (m.code, m.name, *m.aliases):
                self._by_key.setdefault(key, m)
        # The event catalogue: every spelling of a class that no listed matter takes.
        self._keys = MatterKeys(model.matters, model.classes)
        self._classes: dict[str, EventClass] = {
            k: c for k, c in self._keys.by_key.items() if isinstance(c, EventClass) and k not in self._by_key}
        self._class_parts: dict[str, tuple[MatterState, dict[str, Any], Reason]] = {}
        self._majors = {m.id: m for m in model.majors}
        self._classifications = {c.id: c for c in model.classifications}
        # Class traits: (field, value) pairs an item of the class takes unless it gives them.
        self.class_traits: dict[str, tuple[tuple[str, Any], ...]] = {c.id: c.traits for c in model.classes if c.traits}
        self.class_handlers: dict[str, tuple[str, ...]] = {c.id: c.handlers for c in model.classes}
        self._exits = {e.matter: e for e in model.exits}
        self._lists = {lst.id: lst for lst in model.lists}
        self._parts: dict[tuple[str, str], tuple[MatterState, dict[str, Any], Reason]] = {}
        # (query, matter code or None, status) -> the decision's `MatterRef` and its matter reason
        self._queries: dict[tuple[Any, ...], tuple[MatterRef, Reason | None]] = {}
        self.unlisted = UNLISTED
        # An item without a matter (no query: the day is not read).
        self.none = self.of(None, NO_MATTER_DAY)

    def find(self, query: str) -> Matter | None:
        """A matter by code, Chinese name or alias."""
        return self._by_key.get(query)

    def find_class(self, query: str) -> EventClass | None:
        """A class of the event catalogue by id, code, Chinese name or alias."""
        return self._classes.get(query)

    def state_of(self, query: Any, day: dt.date) -> tuple[Matter | None, MatterState]:
        """The listed matter (None if none) and the state conditions see, without the
        decision's parts (for `match`)."""
        matter = self._by_key.get(query) if query else None
        if matter is not None:
            return matter, self.parts(matter, day)[0]
        klass = self._classes.get(query) if query else None
        if klass is not None:
            return None, self.class_parts(klass)[0]
        return None, UNLISTED

    def status(self, matter: Matter, day: dt.date) -> str:
        """in_force | not_yet_in_force | exited | expired, as of `day`."""
        if matter.effective is not None and day < matter.effective:
            return "not_yet_in_force"
        ex = self._exits.get(matter.code)
        if ex is not None and day >= ex.date:
            return "exited"
        if matter.expires is not None and day > matter.expires:  # valid through `expires`
            return "expired"
        return "in_force"

    def of(self, query: Any, day: dt.date) -> tuple[MatterRef, Reason | None, Matter | None, MatterState]:
        """The item's matter on `day`: its `MatterRef`, the matter reason (None for no query),
        the listed matter (None if unlisted) and its state for the compiled conditions."""
        matter = self._by_key.get(query) if query else None
        if matter is not None:
            state, ref, reason = self.parts(matter, day)
            key: tuple[Any, ...] = (query, matter.code, state.status)
            hit = self._queries.get(key)
            if hit is None:
                hit = self._remember(key, make(MatterRef, {"query": query, **ref}), reason)
            return hit[0], reason, matter, state
        klass = self._classes.get(query) if query else None
        if klass is not None:
            state, ref, reason = self.class_parts(klass)
            key = (query, klass.id)
            hit = self._queries.get(key)
            if hit is None:
                hit = self._remember(key, make(MatterRef, {"query": query, **ref}), reason)
            return hit[0], reason, None, state
        key = (query,)
        hit = self._queries.get(key)
        if hit is None:
            suggestions = self._keys.suggest(str(query)) if query else []
            unlisted = make(MatterRef, {"query": query, "code": None, "name": None, "list": None, "batch": None,
                                        "status": "unlisted", "resolved": None, "classification": None,
                                        "major": None, "type": None, "suggestions": suggestions})
            hit = self._remember(key, unlisted, unknown_reason(query, suggestions) if query else None)
        return hit[0], hit[1], None, self.unlisted

    def _remember(self, key: tuple[Any, ...], ref: MatterRef, reason: Reason | None
                  ) -> tuple[MatterRef, Reason | None]:
        cache = self._queries
        if len(cache) >= 100_000:  # queries come from items: bound the memory they take
            cache.clear()
        hit = cache[key] = (ref, reason)
        return hit

    def parts(self, matter: Matter, day: dt.date) -> tuple[MatterState, dict[str, Any], Reason]:
        """The matter's state on `day`, its reference (without the query) and its reason."""
        status = self.status(matter, day)
        key = (matter.code, status)
        parts = self._parts.get(key)
        if parts is None:
            state = MatterState(matter.code, matter.list, matter.batch, status, matter.owner)
            ref: dict[str, Any] = {"code": matter.code, "name": matter.name, "list": matter.list, "batch": matter.batch,
                   "status": status, "resolved": "list", "classification": None, "major": None, "type": None,
                   "suggestions": []}
            reason = matter_reason(matter, status, self._lists[matter.list], self._exits.get(matter.code))
            parts = self._parts[key] = (state, ref, reason)
        return parts

    def class_parts(self, klass: EventClass) -> tuple[MatterState, dict[str, Any], Reason]:
        """A class's state (status `classified`), its reference (without the query) and reason."""
        parts = self._class_parts.get(klass.id)
        if parts is None:
            major = self._majors[klass.major]
            state = MatterState(klass.id, None, None, "classified", klass.owner, klass.id, klass.major, klass.type)
            ref: dict[str, Any] = {"code": klass.id, "name": klass.name, "list": None, "batch": None, "status": "classified",
                   "resolved": "class", "classification": klass.classification,
                   "major": make(Named, {"code": major.id, "name": major.name}), "type": klass.type,
                   "suggestions": []}
            reason = class_reason(klass, major, self._classifications[klass.classification])
            parts = self._class_parts[klass.id] = (state, ref, reason)
        return parts

    def admitted(self, matter: Matter | None) -> bool:
        """Whether the matter is on an admission list."""
        return matter is not None and self._lists[matter.list].admission
