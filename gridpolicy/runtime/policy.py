"""`Policy`: a loaded, compiled policy that decides items. A facade over the runtime's parts:
item validation (`items`), matters (`matters`), deadlines (`deadlines`), deciding (`decide`),
admission of new matters (`admit`) and evaluation formulas (`formulas`).

`Policy` is immutable and thread-safe (decisions share no mutable state but bounded caches of
frozen parts) and picklable (it pickles its checked model and recompiles on the other side).
"""

from __future__ import annotations

import datetime as dt
import threading
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
from ..engine.parts import Parts, joined, split
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

    def __init__(self, model: PolicyModel | Parts, warnings: tuple[Diagnostic, ...] = (),
                 index: RouteIndex | None = None, release: ReleaseRef | None = None):
        # `Parts` (a cached or unpickled policy): built from the model without its routes'
        # conditions, which are unpickled when a condition is first compiled or `model` is read.
        self._parts: Parts | None = model if isinstance(model, Parts) else None
        self._model: PolicyModel | None = None if isinstance(model, Parts) else model
        light = model.light if isinstance(model, Parts) else model
        self._light = light
        self._kept: tuple[Any, ...] | None = None  # the conditions, once unpickled
        self._whole = threading.Lock()
        self.release = release  # the sealed release these rules came from (`gridpolicy release`), if any
        self.warnings = warnings
        self.program = Program(light, index, self._route_conditions if self._parts is not None else None)
        self.timezone = ZoneInfo(light.header.timezone)
        self.items = ItemValidator(light)
        self._matters = Matters(light)
        refs = Refs(light, release)
        self.deadlines = Deadlines(light, refs, self.program.compiler)
        self.decider = decider = Decider(light, self.program, self.items, self._matters, self.deadlines, refs)
        self._admission = Admission(self.program, self.items, self._matters)
        self._formulas = Formulas(light, self.program, self.items)
        self._decide = decider.decide
        self._encoder = DecisionEncoder()
        self._cases: CaseEngine | None = None

    @property
    def model(self) -> PolicyModel:
        """The checked model (for a cached or unpickled policy, completed on first read)."""
        model = self._model
        if model is None:
            with self._whole:
                if self._model is None:
                    self._model = joined(self._light, self._route_conditions())
                model = self._model
        return model

    def _route_conditions(self) -> tuple[Any, ...]:
        kept = self._kept
        if kept is None:
            from ..cache import loads

            assert self._parts is not None
            kept = self._kept = loads(self._parts.conditions)  # equal results if two threads race
        return kept

    def _form(self) -> PolicyModel | Parts:
        return self._parts if self._parts is not None else self.model

    def with_index(self, index: RouteIndex) -> Policy:
        """The same policy routing with another index of its routes (for tests and tools)."""
        return Policy(self._form(), self.warnings, index, self.release)

    def as_release(self, release: ReleaseRef) -> Policy:
        """The same rules stamped as a sealed release: decisions name it in `policy`."""
        return Policy(self._form(), self.warnings, self.program.index, release)

    def __reduce__(self) -> tuple[Any, ...]:
        # One bytes object, unpickled by `_unpickle` with the collector paused (a worker that
        # receives a large policy would otherwise scan its objects again and again); the
        # routes' conditions inside it stay pickled until they are used (engine.parts).
        from ..cache import dumps

        parts = self._parts if self._parts is not None else split(self.model, dumps)
        return (_unpickle, (dumps((parts, self.warnings, self.program.index)), self.release))

    def __repr__(self) -> str:
        h = self._light.header
        return f"<Policy {h.id} {h.version!r} {self._light.digest[:12]}>"

    # ---- the inspectable model ---------------------------------------------------------

    @property
    def header(self) -> Header:
        return self._light.header

    @property
    def digest(self) -> str:
        return self._light.digest

    @property
    def tiers(self) -> tuple[Tier, ...]:
        return self._light.tiers

    @property
    def roles(self) -> tuple[Role, ...]:
        return self._light.roles

    @property
    def departments(self) -> tuple[Department, ...]:
        return self._light.departments

    @property
    def fields(self) -> tuple[Field, ...]:
        return self._light.fields

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self._light.criteria

    @property
    def lists(self) -> tuple[MatterList, ...]:
        return self._light.lists

    @property
    def matters(self) -> tuple[Matter, ...]:
        return self._light.matters

    @property
    def exits(self) -> tuple[Exit, ...]:
        return self._light.exits

    @property
    def routes(self) -> tuple[Route, ...]:
        return self.model.routes

    @property
    def formulas(self) -> tuple[Formula, ...]:
        return self._light.formulas

    @property
    def grades(self) -> tuple[Grade, ...]:
        return self._light.grades

    def find_matter(self, query: str) -> Matter | None:
        """A matter by code, Chinese name or alias."""
        return self._matters.find(query)

    def find_class(self, query: str) -> EventClass | None:
        """A class of the event catalogue by id, code, Chinese name or alias (a spelling a
        listed matter takes names that matter, not a class)."""
        return self._matters.find_class(query)

    @property
    def classifications(self) -> tuple[Classification, ...]:
        return self._light.classifications

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
            engine = self._cases = CaseEngine(self, self._light.lifecycles)
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
    """A pickled `Policy` (see `Policy.__reduce__`): its model's parts and index, compiled again."""
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
