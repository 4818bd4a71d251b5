"""The checked policy model: the one typed view that the runtime, docs and tools read.

Everything here is immutable and picklable. Conditions keep their syntax tree (`Expr`) and
their source text, so the docs can print them and the compiler can compile them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .syntax.nodes import Duration, Expr, Span

if TYPE_CHECKING:
    from .lifecycle.model import Lifecycle

# The item envelope: the fields every item has whatever the schema (a schema cannot redefine them).
ENVELOPE = ("id", "kind", "matter", "reported_at", "grid")


@dataclass(frozen=True, slots=True)
class Meta:
    """What every declaration carries for the docs: notes, marked assumptions, source."""

    note: str = ""
    assumptions: tuple[str, ...] = ()
    source: str = ""  # a citation ("出处"), e.g. the article or a regulation


@dataclass(frozen=True, slots=True)
class Header:
    id: str
    name: str
    version: str
    authority: tuple[str, ...]
    effective: dt.date | None
    routing: str  # "first" (first match wins) | "unique" (order must not matter)
    timezone: str
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Tier:
    id: str
    name: str
    level: int
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    tier: str
    short: str
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    category: str  # leader | staff | auxiliary | other
    assigned_by: str | None  # department id
    tier: str | None
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Field:
    """A typed field that items carry beyond the fixed envelope."""

    id: str
    name: str
    type: str  # enum | set | number | text | bool | date | datetime | tier | department | role
    values: tuple[tuple[str, str], ...]  # (code, label) for enum/set
    default: Any
    required: bool
    range: tuple[float, float] | None
    meta: Meta
    span: Span

    @property
    def value_codes(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.values)


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    name: str
    condition: Expr
    text: str
    basis: str
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    name: str
    effective: dt.date | None
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Matter:
    code: str
    name: str
    list: str
    aliases: tuple[str, ...]
    batch: str | None
    effective: dt.date | None  # own date, else the batch's
    expires: dt.date | None  # temporary admission: not in force from this date on
    handlers: tuple[str, ...]
    owner: str | None
    basis: str
    traits: tuple[tuple[str, Any], ...]
    meta: Meta
    span: Span

    @property
    def temporary(self) -> bool:
        return self.expires is not None


@dataclass(frozen=True, slots=True)
class MatterList:
    id: str
    name: str
    admission: bool  # tasks pushed to grids must be on an admission list
    authority: tuple[str, ...]
    batches: tuple[Batch, ...]
    matters: tuple[Matter, ...]
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Exit:
    id: str
    name: str
    matter: str
    list: str
    date: dt.date
    approved_by: str
    ref: str
    reason: str
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Escalation:
    after: Duration  # counted from the deadline (how long overdue)
    tier: str | None
    department: str | None
    label: str


@dataclass(frozen=True, slots=True)
class Route:
    id: str
    name: str
    condition: Expr | None  # None: matches every item
    text: str
    tier: Expr | None  # a tier-valued expression; None: the department's tier
    handlers: tuple[str, ...]  # role ids; "matter" means the matter's own handlers
    department: Expr | None  # department-valued expression
    limit: Duration | None
    escalation: tuple[Escalation, ...]
    cont: bool  # contributes and lets matching go on
    dispatch: str
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Input:
    id: str
    name: str
    type: str  # number | records
    range: tuple[float, float] | None
    fields: tuple[str, ...]
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Band:
    threshold: float
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Grade:
    id: str
    name: str
    bands: tuple[Band, ...]  # highest threshold first
    meta: Meta
    span: Span

    def band_for(self, value: float) -> Band | None:
        for band in self.bands:
            if value >= band.threshold:
                return band
        return None


@dataclass(frozen=True, slots=True)
class Formula:
    id: str
    name: str
    inputs: tuple[Input, ...]
    value: Expr
    text: str
    round: int | None
    grade: str | None
    range: tuple[float, float] | None
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Calendar:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True, slots=True)
class Catalog:
    id: str
    name: str
    entries: tuple[tuple[str, str], ...]
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class GridPlace:
    """Where a grid sits, from the grid registry: conditions read `grid.community`, `grid.street`."""

    code: str
    name: str
    community: str
    street: str


@dataclass(frozen=True, slots=True)
class PolicyModel:
    header: Header
    tiers: tuple[Tier, ...]  # lowest level first
    roles: tuple[Role, ...]
    departments: tuple[Department, ...]
    fields: tuple[Field, ...]
    criteria: tuple[Criterion, ...]
    lists: tuple[MatterList, ...]
    exits: tuple[Exit, ...]
    routes: tuple[Route, ...]
    formulas: tuple[Formula, ...]
    grades: tuple[Grade, ...]
    calendar: Calendar
    catalogs: tuple[Catalog, ...]
    files: tuple[str, ...]
    digest: str
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    grids: tuple[GridPlace, ...] = ()  # from the grid registry beside the rules, if any
    lifecycles: tuple[Lifecycle, ...] = ()  # case lifecycle rules (gridpolicy.lifecycle)

    @property
    def matters(self) -> tuple[Matter, ...]:
        return tuple(m for lst in self.lists for m in lst.matters)
