"""The case so far, while the engine applies its events: plain mutable records.

`Run` holds what the events did; `snapshot` turns it into the `CaseState` as of a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from ..contract import TimeLimit
from ..syntax.nodes import Duration
from .model import Lifecycle
from .state import CaseReason, CaseReturn, Extension, Notice, make

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class Stage:
    code: str
    started: dt.datetime
    deadline: dt.datetime | None
    limit: Duration | None
    done: dt.datetime | None = None
    # (from, deadline) for each deadline in force in turn; notices run from each
    segments: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)
    extensions: int = 0

    def __post_init__(self) -> None:
        self.segments.append((self.started, self.deadline))

    @property
    def original(self) -> dt.datetime | None:
        return self.segments[0][1]

    def set_deadline(self, at: dt.datetime, deadline: dt.datetime | None) -> None:
        self.deadline = deadline
        self.segments.append((at, deadline))

    def copy(self) -> Stage:
        return Stage(self.code, self.started, self.deadline, self.limit, self.done, list(self.segments), self.extensions)


@dataclass(slots=True)
class Run:
    """The case so far, while events are applied."""

    lifecycle: Lifecycle | None
    handler: dict[str, Any]
    stages: list[Stage]
    base: str  # open | arbitration | held | merged | closed | reopened
    route_limit: Duration | None
    current: Stage | None = None  # the running stage
    handling: Stage | None = None  # the handle or redo stage the handler works in
    pending_ext: Extension | None = None
    approved_ext: int = 0
    extensions: list[Extension] = field(default_factory=list)
    returns: list[CaseReturn] = field(default_factory=list)
    redos: int = 0
    satisfaction: str | None = None
    counted: bool = True
    merged_into: str | None = None
    hold: dict[str, Any] | None = None
    held_at: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)  # held spans
    reasons: list[CaseReason] = field(default_factory=list)  # of the first routing and the lifecycle
    # what each event did: (index, type, at, text_zh, text_en, source, reason id or None)
    notes: list[tuple[Any, ...]] = field(default_factory=list)
    ladder: tuple[Any, ...] = ()  # the overdue ladder: `tables.Rung`s
    summary: Any = None  # `snapshot.Summary` of the run once no more events are applied to it

    def copy(self) -> Run:
        """An independent copy, to go on applying events to (the lifecycle and frozen parts shared)."""
        stages = {id(s): s.copy() for s in self.stages}
        exts = {id(e): copy_model(e) for e in self.extensions}
        c = Run(self.lifecycle, dict(self.handler), list(stages.values()), self.base, self.route_limit,
                current=stages.get(id(self.current)), handling=stages.get(id(self.handling)),
                pending_ext=exts.get(id(self.pending_ext)), approved_ext=self.approved_ext,
                extensions=list(exts.values()), returns=[copy_model(r) for r in self.returns], redos=self.redos,
                satisfaction=self.satisfaction, counted=self.counted, merged_into=self.merged_into,
                hold=dict(self.hold) if self.hold is not None else None, held_at=list(self.held_at),
                reasons=list(self.reasons), notes=list(self.notes), redo_notices=list(self.redo_notices),
                ladder=self.ladder)
        return c
    redo_notices: list[Notice] = field(default_factory=list)


def copy_model(model: M) -> M:
    """A shallow copy of a model the engine built (its fields are replaced, never changed in place):
    what a state hands out shares nothing the engine changes or remembers."""
    return make(type(model), dict(model.__dict__))


def set_fields(model: BaseModel, **fields: Any) -> None:
    """Update fields of a model the engine built (every field already set): no validation."""
    model.__dict__.update(fields)


_LIMITS: dict[tuple[float, str], TimeLimit] = {}


def limit_of(d: Duration) -> TimeLimit:
    """The (shared, frozen) `TimeLimit` of a duration."""
    key = (d.amount, d.unit)
    hit = _LIMITS.get(key)
    if hit is None:
        if len(_LIMITS) > 1000:
            _LIMITS.clear()
        hit = _LIMITS[key] = TimeLimit(amount=d.amount, unit=d.unit, text_zh=d.text_zh)  # type: ignore[arg-type]
    return hit
