"""The compiled program of a policy: every condition, destination and formula of the checked
model as a function, the routing index and the router generated over it.

Plain compiled data with public names: the runtime decides with it and the tools (analysis,
coverage, benchmarks) read it; nothing here holds per-decision state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Criterion, Formula, PolicyModel, Route
from ..syntax.nodes import Symbol
from .codegen import Router, build_router
from .compiler import Compiler, Fn
from .index import RouteIndex, build_index


@dataclass(frozen=True, slots=True)
class CompiledRoute:
    route: Route
    condition: Fn  # true when the route applies
    tier: Fn | None  # the tier it sends to, if computed
    department: Fn | None  # the department it sends to, if computed


class Program:
    """`compile_program(model)`: the model compiled. `first(values)` is the routing step:
    (index of the deciding route, indices of the `continue` routes matched before it, or None)."""

    def __init__(self, model: PolicyModel, index: RouteIndex | None = None):
        self.model = model
        order = [t.id for t in model.tiers]
        self.compiler = compiler = Compiler(
            {t: i + 1 for i, t in enumerate(order)}, {d.id: d.tier for d in model.departments}, order,
            {g.code: {"community": g.community, "street": g.street, "name": g.name} for g in model.grids})
        self.criteria: tuple[tuple[Criterion, Fn], ...] = tuple(
            (c, compiler.condition(c.condition)) for c in model.criteria)
        self.routes: tuple[CompiledRoute, ...] = tuple(
            CompiledRoute(r, compiler.condition(r.condition),
                          compiler.compile(r.tier) if r.tier is not None else None,
                          compiler.compile(r.department) if r.department is not None else None)
            for r in model.routes)
        self.formulas: dict[str, tuple[Formula, Fn]] = {f.id: (f, compiler.compile(f.value)) for f in model.formulas}
        self.defaults: dict[str, Any] = {f.id: f.default for f in model.fields}
        # Matters with traits: the values the exclusion criteria see for the matter itself.
        self.trait_values: dict[str, dict[str, Any]] = {
            m.code: {**self.defaults, "kind": "task", **dict(m.traits)} for m in model.matters if m.traits}
        self.conditions: tuple[Fn, ...] = tuple(r.condition for r in self.routes)
        self.continues: tuple[bool, ...] = tuple(r.cont for r in model.routes)
        self.route_ids: tuple[str, ...] = tuple(r.id for r in model.routes)
        self._department_tiers = {d.id: d.tier for d in model.departments}
        self._lowest = model.tiers[0].id if model.tiers else ""
        self.index: RouteIndex = index if index is not None else build_index(model, compiler)
        self.first: Router = build_router(self.index, self.conditions, self.continues, model.digest[:12])
        # Where a route sends every item when its tier and department are constants.
        self.fixed: tuple[tuple[str, str | None] | None, ...] = tuple(
            self.destination(i, {}) if all(p is None or isinstance(p, Symbol) for p in (r.tier, r.department))
            else None for i, r in enumerate(model.routes))

    def with_index(self, index: RouteIndex) -> Program:
        """The same program routing with another index of the same routes."""
        return Program(self.model, index)

    def destination(self, index: int, values: dict[str, Any]) -> tuple[str, str | None]:
        """Where route `index` sends an item: its tier (the route's own, else its department's,
        else the lowest tier) and its department."""
        compiled = self.routes[index]
        dept_id = compiled.department(values) if compiled.department else None
        tier_id = compiled.tier(values) if compiled.tier else None
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
