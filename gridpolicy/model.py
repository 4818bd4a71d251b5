"""The checked policy model: the one typed view that the runtime, docs and tools read.

Everything here is immutable and picklable. Conditions keep their syntax tree (`Expr`) and
their source text, so the docs can print them and the compiler can compile them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .syntax.nodes import Call, Duration, Expr, Span, Symbol

if TYPE_CHECKING:
    from .lifecycle.model import Lifecycle

# The item envelope: the fields every item has whatever the schema (a schema cannot redefine them).
ENVELOPE = ("id", "kind", "matter", "reported_at", "grid", "grids")


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
    district_code: str = ""  # a grid code outside the registry without this prefix is outside the district
    unknown_grid: str = "reason"  # an unknown grid code: "reason" (decide and say so) | "error" (input error)


@dataclass(frozen=True, slots=True)
class Tier:
    id: str
    name: str
    level: int
    meta: Meta
    span: Span
    locality: str | None = None  # the registry level it stands for: grid | community | street | district | city


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    tier: str
    short: str
    meta: Meta
    span: Span
    kind: str = "government"  # party | government | vertical | utility | channel | other
    parent: str | None = None  # department id (派出所 -> 公安分局)
    # The registry units (names or codes, at its tier's locality) this sub-unit of `parent`
    # serves: work for the parent about an item there goes to it (派出所 of a street).
    area: tuple[str, ...] = ()


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
    computed: str = ""  # "grids": a tier field computed from the grids an item touches, unless given

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
    expires: dt.date | None  # temporary admission: the last day in force (valid through it)
    handlers: tuple[str, ...]
    owner: str | None
    basis: str
    traits: tuple[tuple[str, Any], ...]
    meta: Meta
    span: Span

    @property
    def temporary(self) -> bool:
        return self.expires is not None

    @property
    def ends(self) -> dt.date | None:
        """The first day a temporary admission is no longer in force: the day after `expires`
        (截止日期 is inclusive: in force through the end of that day in the policy's zone)."""
        return None if self.expires is None else self.expires + dt.timedelta(days=1)


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


ESCALATION_KINDS = ("transfer", "remind", "supervise", "bulletin", "interview")


@dataclass(frozen=True, slots=True)
class Escalation:
    after: Duration  # counted from the deadline (how long overdue)
    tier: str | None
    department: str | None
    label: str
    # transfer (移交: the target takes the case) or a notice while the handler keeps it:
    # remind 催办, supervise 督办, bulletin 通报, interview 约谈
    kind: str = "transfer"

    @property
    def transfers(self) -> bool:
        return self.kind == "transfer"


@dataclass(frozen=True, slots=True)
class Limit:
    """A time limit: a constant `Duration`, or an expression over the item (`expr`, typed by
    the checker: a duration literal, `if(cond, a, b)`, `number * duration`, `a + b`)."""

    const: Duration | None
    expr: Expr | None
    text: str  # as written

    @property
    def constant(self) -> bool:
        return self.expr is None


@dataclass(frozen=True, slots=True)
class Stage:
    """A named stage of a staged limit, counted from the report."""

    code: str
    name: str
    limit: Limit
    span: Span


@dataclass(frozen=True, slots=True)
class Referral:
    """Where a requester is sent instead of a grid or 12345 ticket (转介渠道)."""

    id: str
    name: str
    kind: str  # emergency | court | appeal | petition | market | property | department | hotline | other
    contact: str
    department: str | None
    meta: Meta
    span: Span


REFERRAL_KINDS = ("emergency", "court", "appeal", "petition", "market", "property", "department", "hotline", "other")
OUTCOMES = ("handle", "refuse", "redirect", "hold")


@dataclass(frozen=True, slots=True)
class Exemption:
    """An exception to the admission gate (e.g. a command centre's emergency instruction),
    admitting a task for `period` from its report."""

    id: str
    name: str
    condition: Expr
    text: str
    period: Duration
    basis: str
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Gate:
    """The admission gate: which items it applies to, which lists admit them, which exclusion
    criteria apply, where a refused requester goes."""

    id: str
    name: str
    applies: Expr | None  # None: tasks (kind == task)
    applies_text: str
    lists: tuple[str, ...]  # admission lists that admit
    criteria: tuple[str, ...]  # criterion ids that apply
    referral: str | None
    reason: str
    exemptions: tuple[Exemption, ...]
    meta: Meta
    span: Span


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
    assisting: tuple[Expr, ...] = ()  # department-valued expressions (协办)
    # When & outcome (defaults keep older constructions valid):
    limit_spec: Limit | None = None  # the limit as declared (`limit` is its value when constant)
    stages: tuple[Stage, ...] = ()  # a staged limit: `limit` is the last stage's when constant
    outcome: str = "handle"  # handle | refuse | redirect | hold
    referral: str | None = None  # referral id: where the requester should go
    reason: str = ""  # what to tell the requester
    review: Duration | None = None  # hold: review interval
    # `refer if(condition, X, Y)`: the channel depends on the item (typed; channels are `Symbol`s)
    referral_expr: Expr | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        """Every referral channel the route can give, in order (constant or item-dependent)."""
        if self.referral:
            return (self.referral,)

        def walk(e: Expr | None) -> list[str]:
            if isinstance(e, Symbol):
                return [e.value]
            if isinstance(e, Call):
                return walk(e.args[1]) + walk(e.args[2])
            return []
        return tuple(dict.fromkeys(walk(self.referral_expr)))


@dataclass(frozen=True, slots=True)
class Input:
    id: str
    name: str
    type: str  # number | records
    range: tuple[float, float] | None
    fields: tuple[str, ...]
    meta: Meta
    span: Span
    # For records: each field's type, aligned with `fields` (a schema field, or a plain type
    # such as number 0 .. 100), or None where the rules give none.
    field_types: tuple[Field | None, ...] = ()
    default: float | None = None  # a number input (a parameter) used when the data omits it
    time: str | None = None  # records: the date/datetime field periods and monthly trends read


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
    award: tuple[str, ...] = ()  # the bands that confer the award this grade table stands for

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
    by: str | None = None  # the record field results are grouped by unless the caller says otherwise
    uses: tuple[str, ...] = ()  # formulas whose values this one reads, in first-use order


@dataclass(frozen=True, slots=True)
class CalendarNotice:
    """A year's holiday arrangement declared in the policy (the State Council's yearly notice):
    that year's rest days and make-up working days are exactly the calendar's for it."""

    year: int
    title: str
    ref: str
    span: Span


@dataclass(frozen=True, slots=True)
class Calendar:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    # Office periods of working days (local time), for `workhours` limits; () if not declared.
    office_hours: tuple[tuple[dt.time, dt.time], ...] = ()
    notices: tuple[CalendarNotice, ...] = ()
    horizon: Duration | None = None  # `check` warns when today + horizon passes the known years
    span: Span | None = None  # the (first) calendar block


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
    community_code: str = ""  # the community's code within its street
    street_code: str = ""


@dataclass(frozen=True, slots=True)
class EventClass:
    """A minor class (小类) of the event catalogue: what an item's `matter` may name besides a
    listed matter."""

    id: str
    name: str
    code: str  # the standard's code ("" if none), e.g. "0102"; also a lookup key
    major: str  # major class id
    classification: str  # classification id
    type: str  # event | component
    aliases: tuple[str, ...]
    owner: str | None  # department id
    assisting: tuple[str, ...]  # department ids (协办)
    handlers: tuple[str, ...]  # role ids
    register: str  # 立案条件, for the pages
    close: str  # 结案条件, for the pages
    traits: tuple[tuple[str, Any], ...]  # item values the class implies unless the item gives them
    meta: Meta
    span: Span
    # The class's own time limit, or its stages (`limit` is then the last stage's): what a
    # route that declares none gives an item of this class.
    limit: Limit | None = None
    stages: tuple[Stage, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """Every spelling an item may use for this class."""
        return tuple(dict.fromkeys(k for k in (self.id, self.code, self.name, *self.aliases) if k))


@dataclass(frozen=True, slots=True)
class MajorClass:
    """A major class (大类), e.g. 市容环境."""

    id: str
    name: str
    code: str
    classification: str
    classes: tuple[EventClass, ...]
    meta: Meta
    span: Span


@dataclass(frozen=True, slots=True)
class Classification:
    """One catalogue (事件/部件分类), e.g. the events of CJ/T 214 or a hotline's categories."""

    id: str
    name: str
    type: str  # event | component: the type of its classes
    standard: str  # the standard it follows, e.g. "GB/T 30428.2-2013"
    majors: tuple[MajorClass, ...]
    meta: Meta
    span: Span

    @property
    def classes(self) -> tuple[EventClass, ...]:
        return tuple(c for m in self.majors for c in m.classes)


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
    classifications: tuple[Classification, ...] = ()  # the event catalogue
    referrals: tuple[Referral, ...] = ()
    gates: tuple[Gate, ...] = ()  # at most one; () means the implicit gate (see runtime)

    @property
    def matters(self) -> tuple[Matter, ...]:
        return tuple(m for lst in self.lists for m in lst.matters)

    @property
    def majors(self) -> tuple[MajorClass, ...]:
        return tuple(m for c in self.classifications for m in c.majors)

    @property
    def classes(self) -> tuple[EventClass, ...]:
        """Every minor class of the catalogue, in declaration order."""
        return tuple(k for c in self.classifications for k in c.classes)
