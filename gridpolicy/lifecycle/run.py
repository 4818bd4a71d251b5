"""The case so far, while the engine applies its events: plain mutable records.

`Run` holds what the events did; `snapshot` turns it into the `CaseState` as of a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..contract import TimeLimit
from ..syntax.nodes import Duration
from .model import Lifecycle
from .state import CaseEvent, CaseReason, CaseReturn, Extension, Notice


@dataclass
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


@dataclass
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
    history: list[CaseEvent] = field(default_factory=list)
    reasons: list[CaseReason] = field(default_factory=list)
    redo_notices: list[Notice] = field(default_factory=list)


def set_fields(model: BaseModel, **fields: Any) -> None:
    """Update fields of a model the engine built (every field already set): no validation."""
    model.__dict__.update(fields)


_LIMITS: dict[Duration, TimeLimit] = {}


def limit_of(d: Duration) -> TimeLimit:
    """The (shared, frozen) `TimeLimit` of a duration."""
    hit = _LIMITS.get(d)
    if hit is None:
        if len(_LIMITS) > 1000:
            _LIMITS.clear()
        hit = _LIMITS[d] = TimeLimit(amount=d.amount, unit=d.unit, text_zh=d.text_zh)  # type: ignore[arg-type]
    return hit
