"""`Policy`: a loaded, compiled policy that decides items. A facade over the runtime's parts:
item validation (`items`), matters (`matters`), deadlines (`deadlines`), deciding (`decide`),
admission of new matters (`admit`) and evaluation formulas (`formulas`).

`Policy` is immutable and thread-safe (decisions share no mutable state but bounded caches of
frozen parts) and picklable (it pickles its checked model and recompiles on the other side).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..contract import (
    AdmitResult,
    Decision,
    EscalationStep,
    Evaluation,
    GateRef,
    Handlers,
    Hold,
    Item,
    ItemError,
    ReleaseRef,
    Stage,
)
from ..diagnostics import Diagnostic
from ..encoder import DecisionEncoder
from ..engine.index import RouteIndex
from ..engine.program import Program
from ..lifecycle.engine import CaseEngine
from ..lifecycle.state import CaseState
from ..model import (
    Classification,
    Criterion,
    Department,
    EventClass,
    Exit,
    Field,
    Formula,
    Grade,
    Header,
    Matter,
    MatterList,
    PolicyModel,
    Role,
    Route,
    Tier,
)
from .admit import Admission
from .deadlines import Deadlines
from .decide import Decider
from .formulas import Formulas
from .items import ItemValidator
from .matters import Matters
from .reasons import Refs, make


class Policy:
    """A checked and compiled policy. Create with `gridpolicy.load` or `gridpolicy.loads`."""

    def __init__(self, model: PolicyModel, warnings: tuple[Diagnostic, ...] = (), index: RouteIndex | None = None,
                 release: ReleaseRef | None = None):
        self.model = model
        self.release = release  # the sealed release these rules came from (`gridpolicy release`), if any
        self.warnings = warnings
        self.program = Program(model, index)
        self.timezone = ZoneInfo(model.header.timezone)
        self.items = ItemValidator(model)
        self._matters = Matters(model)
        refs = Refs(model, release)
        self.deadlines = Deadlines(model, refs, self.program.compiler)
        self.decider = decider = Decider(model, self.program, self.items, self._matters, self.deadlines, refs)
        self._admission = Admission(self.program, self.items, self._matters)
        self._formulas = Formulas(model, self.program, self.items)
        self._decide = decider.decide
        self._encoder = DecisionEncoder()
        self._cases: CaseEngine | None = None

    def with_index(self, index: RouteIndex) -> Policy:
        """The same policy routing with another index of its routes (for tests and tools)."""
        return Policy(self.model, self.warnings, index, self.release)

    def as_release(self, release: ReleaseRef) -> Policy:
        """The same rules stamped as a sealed release: decisions name it in `policy`."""
        return Policy(self.model, self.warnings, self.program.index, release)

    def __reduce__(self) -> tuple[Any, ...]:
        # One bytes object, unpickled by `_unpickle` with the collector paused (a worker that
        # receives a large policy would otherwise scan its objects again and again).
        from ..cache import dumps

        return (_unpickle, (dumps((self.model, self.warnings, self.program.index)), self.release))

    def __repr__(self) -> str:
        h = self.model.header
        return f"<Policy {h.id} {h.version!r} {self.model.digest[:12]}>"

    # ---- the inspectable model ---------------------------------------------------------

    @property
    def header(self) -> Header:
        return self.model.header

    @property
    def digest(self) -> str:
        return self.model.digest

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return self.model.tiers

    @property
    def roles(self) -> tuple[Role, ...]:
        return self.model.roles

    @property
    def departments(self) -> tuple[Department, ...]:
        return self.model.departments

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.model.fields

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.model.criteria

    @property
    def lists(self) -> tuple[MatterList, ...]:
        return self.model.lists

    @property
    def matters(self) -> tuple[Matter, ...]:
        return self.model.matters

    @property
    def exits(self) -> tuple[Exit, ...]:
        return self.model.exits

    @property
    def routes(self) -> tuple[Route, ...]:
        return self.model.routes

    @property
    def formulas(self) -> tuple[Formula, ...]:
        return self.model.formulas

    @property
    def grades(self) -> tuple[Grade, ...]:
        return self.model.grades

    def find_matter(self, query: str) -> Matter | None:
        """A matter by code, Chinese name or alias."""
        return self._matters.find(query)

    def find_class(self, query: str) -> EventClass | None:
        """A class of the event catalogue by id, code, Chinese name or alias (a spelling a
        listed matter takes names that matter, not a class)."""
        return self._matters.find_class(query)

    @property
    def classifications(self) -> tuple[Classification, ...]:
        return self.model.classifications

    def matter_status(self, matter: Matter, day: dt.date) -> str:
        """in_force | not_yet_in_force | exited | expired, as of `day`."""
        return self._matters.status(matter, day)

    # ---- items and decisions ------------------------------------------------------------

    def validate(self, item: Item | Mapping[str, Any]) -> tuple[dict[str, Any], dt.datetime]:
        """Check an item against the envelope and the schema. Returns the field values
        (defaults filled in) and the report time. Raises `ItemError` naming each bad field."""
        return self.items.validate(item)

    def route(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> Decision:
        """Decide one item as of `at` (default: its `reported_at`)."""
        fields = self._decide(item, at)
        fields["handlers"] = make(Handlers, fields["handlers"])
        steps = fields["escalation"]
        if steps:
            fields["escalation"] = [make(EscalationStep, step) for step in steps]
        stages = fields["stages"]
        if stages:
            fields["stages"] = [make(Stage, stage) for stage in stages]
        if fields["hold"] is not None:
            fields["hold"] = make(Hold, fields["hold"])
        if fields["gate"] is not None:
            fields["gate"] = make(GateRef, fields["gate"])
        return make(Decision, fields)

    def route_json(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> bytes:
        """`route(item, at)` as UTF-8 JSON: the bytes of `route(item, at).model_dump_json()`,
        written without building the `Decision` (for hosts that pass decisions on as JSON)."""
        return self._encoder.encode_fields(self._decide(item, at))

    def match(self, item: Item | Mapping[str, Any], at: dt.datetime | None = None) -> tuple[str, str] | None:
        """Only the routing step of `route`: (deciding route id, tier code), or None when a
        task is refused. Validates the item like `route`; builds no `Decision`."""
        return self.decider.match(item, at)

    def route_many(self, items: Iterable[Item | Mapping[str, Any]], at: dt.datetime | None = None
                   ) -> Iterator[Decision | ItemError]:
        """Decide items lazily, in order, holding one at a time (constant memory); a bad item
        yields its `ItemError` in its place."""
        route = self.route
        for item in items:
            try:
                yield route(item, at)
            except ItemError as exc:
                yield exc

    # ---- case lifecycle ------------------------------------------------------------------

    def step(self, case: Mapping[str, Any], at: dt.datetime | None = None) -> CaseState:
        """Where a case stands as of `at` (default: its last event's time): the item's first
        decision plus its events, under the policy's `lifecycle` rules. `case` is
        `{"item": {...}, "events": [{"type": ..., "at": ..., ...}, ...]}`, events in time order.
        Pure and deterministic; raises `gridpolicy.lifecycle.CaseError` naming each bad field."""
        engine = self._cases
        if engine is None:
            engine = self._cases = CaseEngine(self, self.model.lifecycles)
        return engine.step(case, at)

    # ---- admission of new matters, formulas ----------------------------------------------

    def admit(self, proposal: Mapping[str, Any]) -> AdmitResult:
        """Whether a proposed new matter passes the exclusion criteria. `proposal` holds the
        matter's `name` (and optional `code`) and values for the schema's fields."""
        return self._admission.admit(proposal)

    @property
    def formula_runtime(self) -> Formulas:
        """The formulas compiled: order, raw values, range checks and grades (for the grouped
        evaluation in gridpolicy.evaluation)."""
        return self._formulas

    def evaluate(self, formula: str, data: Mapping[str, Any]) -> Evaluation:
        """Compute a formula over `data` (its inputs) and look up its grade."""
        return self._formulas.evaluate(formula, data)


def _unpickle(data: bytes, release: ReleaseRef | None = None) -> Policy:
    """A pickled `Policy` (see `Policy.__reduce__`): its model and index, compiled again."""
    import gc

    from ..cache import loads

    enabled = gc.isenabled()
    gc.disable()  # compiling makes many long-lived objects too
    try:
        model, warnings, index = loads(data)
        return Policy(model, warnings, index, release)
    finally:
        if enabled:
            gc.enable()
