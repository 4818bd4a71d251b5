"""The compiled program of a policy: every condition, destination and formula of the checked
model as a function, the routing index and the router generated over it.

Plain compiled data with public names: the runtime decides with it and the tools (analysis,
coverage, benchmarks) read it; nothing here holds per-decision state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from ..model import Criterion, Formula, PolicyModel, Route
from ..syntax.nodes import Expr, Symbol
from .codegen import Router, build_router
from .compiler import Compiler, Fn
from .index import RouteIndex, build_index


class CompiledRoute:
    """A route and its compiled parts, each compiled on first use (see `Program.condition`)."""

    __slots__ = ("_i", "_program", "route")

    def __init__(self, program: Program, index: int, route: Route):
        self._program, self._i, self.route = program, index, route

    @property
    def condition(self) -> Fn:
        """True when the route applies."""
        return self._program.condition(self._i)

    @property
    def tier(self) -> Fn | None:
        """The tier it sends to, if computed."""
        return self._program.target(self._i)[0]

    @property
    def department(self) -> Fn | None:
        """The department it sends to, if computed."""
        return self._program.target(self._i)[1]


class Program:
    """`compile_program(model)`: the model compiled. `first(values)` is the routing step:
    (index of the deciding route, indices of the `continue` routes matched before it, or None).

    A route's condition, tier and department are compiled when first used (the router tests
    only the conditions its index cannot settle, so a large policy compiles few of them), once,
    under a lock; compiling is deterministic, so the result does not depend on which thread or
    decision asks first."""

    def __init__(self, model: PolicyModel, index: RouteIndex | None = None,
                 conditions: Callable[[], Sequence[Expr | None]] | None = None):
        # `conditions`: the routes' conditions, for a model whose routes carry none (a cached
        # or unpickled policy's light model, see engine.parts); it needs `index`.
        if conditions is not None and index is None:
            raise ValueError("a model without its conditions needs its routing index")
        self.model = model
        self._conditions = conditions or (lambda: [r.condition for r in model.routes])
        order = [t.id for t in model.tiers]
        self.compiler = compiler = Compiler(
            {t: i + 1 for i, t in enumerate(order)}, {d.id: d.tier for d in model.departments}, order,
            {g.code: {"community": g.community, "street": g.street, "name": g.name} for g in model.grids})
        self.criteria: tuple[tuple[Criterion, Fn], ...] = tuple(
            (c, compiler.condition(c.condition)) for c in model.criteria)
        routes = model.routes
        self.routes: tuple[CompiledRoute, ...] = tuple(CompiledRoute(self, i, r) for i, r in enumerate(routes))
        self.formulas: dict[str, tuple[Formula, Fn]] = {f.id: (f, compiler.compile(f.value)) for f in model.formulas}
        self.defaults: dict[str, Any] = {f.id: f.default for f in model.fields}
        # Matters with traits: the values the exclusion criteria see for the matter itself.
        self.trait_values: dict[str, dict[str, Any]] = {
            m.code: {**self.defaults, "kind": "task", **dict(m.traits)} for m in model.matters if m.traits}
        self._lock = threading.Lock()
        self._compiled: list[Fn | None] = [None] * len(routes)
        self._targets: list[tuple[Fn | None, Fn | None] | None] = [None] * len(routes)
        # The router's table: each entry compiles its route's condition at its first call and
        # puts the compiled function in its own place.
        self._table: list[Fn] = [partial(self._first_call, i) for i in range(len(routes))]
        self.continues: tuple[bool, ...] = tuple(r.cont for r in routes)
        self.route_ids: tuple[str, ...] = tuple(r.id for r in routes)
        self._department_tiers = {d.id: d.tier for d in model.departments}
        self._lowest = model.tiers[0].id if model.tiers else ""
        self.index: RouteIndex = index if index is not None else build_index(model, compiler)
        self.first: Router = build_router(self.index, self._table, self.continues, model.digest[:12])
        # Where a route sends every item when its tier and department are constants.
        self.fixed: tuple[tuple[str, str | None] | None, ...] = tuple(
            self._place(*(p.value if isinstance(p, Symbol) else None for p in (r.tier, r.department)))
            if all(p is None or isinstance(p, Symbol) for p in (r.tier, r.department)) else None for r in routes)

    @property
    def conditions(self) -> tuple[Fn, ...]:
        """Every route's compiled condition, in order (compiles them all)."""
        return tuple(self.condition(i) for i in range(len(self._compiled)))

    def condition(self, index: int) -> Fn:
        """Route `index`'s compiled condition: true when the route applies."""
        fn = self._compiled[index]
        if fn is None:
            with self._lock:
                fn = self._compiled[index]
                if fn is None:
                    fn = self._compiled[index] = self.compiler.condition(self._conditions()[index])
                    self._table[index] = fn
        return fn

    def _first_call(self, index: int, values: dict[str, Any]) -> Any:
        return self.condition(index)(values)

    def target(self, index: int) -> tuple[Fn | None, Fn | None]:
        """Route `index`'s compiled tier and department expressions (None where it has none)."""
        got = self._targets[index]
        if got is None:
            r = self.model.routes[index]
            with self._lock:
                got = self._targets[index]
                if got is None:
                    c = self.compiler
                    got = self._targets[index] = (c.compile(r.tier) if r.tier is not None else None,
                                                  c.compile(r.department) if r.department is not None else None)
        return got

    def with_index(self, index: RouteIndex) -> Program:
        """The same program routing with another index of the same routes."""
        return Program(self.model, index, self._conditions)

    def destination(self, index: int, values: dict[str, Any]) -> tuple[str, str | None]:
        """Where route `index` sends an item: its tier (the route's own, else its department's,
        else the lowest tier) and its department."""
        tier, department = self.target(index)
        return self._place(tier(values) if tier else None, department(values) if department else None)

    def _place(self, tier_id: str | None, dept_id: str | None) -> tuple[str, str | None]:
        if tier_id is None and dept_id is not None:
            tier_id = self._department_tiers[dept_id]
        if tier_id is None:
            tier_id = self._lowest
        return tier_id, dept_id

    def excluded(self, values: dict[str, Any]) -> list[int]:
        """The positions of the exclusion criteria that catch a task with these values."""
        return [k for k, (_, fn) in enumerate(self.criteria) if fn(values)]


def compile_program(model: PolicyModel, index: RouteIndex | None = None) -> Program:
    """Compile a checked model (reusing a cached routing index if given)."""
    return Program(model, index)
