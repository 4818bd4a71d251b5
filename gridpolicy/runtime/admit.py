"""Admission of new matters: whether a proposed matter passes the exclusion criteria, and
which listed matters it resembles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contract import AdmitResult, ItemError, ItemErrorDetail, Named
from ..engine.program import Program
from .items import ItemValidator, short
from .matters import Matters
from .reasons import criterion_reason


class Admission:
    def __init__(self, program: Program, items: ItemValidator, matters: Matters):
        self._criteria = program.criteria
        self._items = items
        self._matters = matters

    def admit(self, proposal: Mapping[str, Any]) -> AdmitResult:
        """Whether a proposed new matter passes the exclusion criteria. `proposal` holds the
        matter's `name` (and optional `code`) and values for the schema's fields."""
        errors: list[ItemErrorDetail] = []
        values = self._items.defaults()
        for key, raw in proposal.items():
            if key in ("code", "name", "note"):
                continue
            f = self._items.fields.get(key)
            if f is None:
                errors.append(ItemErrorDetail(path=str(key), message_zh=f"未知字段“{short(key)}”",
                                              message_en=f"unknown field '{short(key)}'"))
                continue
            ok, value = self._items.coerce(f, raw)
            if ok:
                values[key] = value
            else:
                errors.append(ItemErrorDetail(path=str(key), message_zh=value[0], message_en=value[1]))
        if errors:
            raise ItemError(errors)
        values["kind"] = "task"
        caught = [criterion_reason(c) for c, fn in self._criteria if fn(values)]
        similar: list[Named] = []
        for query in (proposal.get("name"), proposal.get("code")):
            m = self._matters.find(query) if isinstance(query, str) else None
            if m is not None and all(s.code != m.code for s in similar):
                similar.append(Named(code=m.code, name=m.name))
        return AdmitResult(admitted=not caught, criteria=caught, similar=similar)
