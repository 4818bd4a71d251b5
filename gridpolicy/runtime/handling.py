"""Who handles and where: the scope an item's grids span, the concrete unit at the decision's
tier (from the grid registry), the one lead and the assisting departments of a decision.

The rules of who leads are in `gridpolicy.handling`; the registry levels in
`gridpolicy.locality`. This module binds them to one policy and keeps the frozen parts
(`LeadRef`, `UnitRef`, `Named`) shared between decisions, with bounded caches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contract import Item, ItemError, ItemErrorDetail, LeadRef, Named, Reason, TierRef, UnitRef
from ..engine.compiler import MatterState
from ..engine.program import Program
from ..handling import who_handles
from ..locality import LOCALITIES, UNIT_LOCALITIES, Areas, Locator
from ..model import PolicyModel
from .reasons import make

CACHE_LIMIT = 100_000
Handlers = tuple[LeadRef, list[Named], UnitRef | None]


class Handling:
    """One policy's locality and handler tables."""

    def __init__(self, model: PolicyModel, program: Program, tier_refs: dict[str, TierRef],
                 dept_refs: dict[str, Named]):
        self.locator = Locator(model.grids, model.header.district_code)
        self.reject_unknown = model.header.unknown_grid == "error"
        self.tier_locality = {t.id: t.locality for t in model.tiers}
        # The tier that stands for each registry level (the lowest, if several do).
        self.tier_of_locality: dict[str, str] = {}
        for t in model.tiers:
            if t.locality is not None:
                self.tier_of_locality.setdefault(t.locality, t.id)
        self.scope_field = next((f.id for f in model.fields if f.computed == "grids"), None)
        # The scope of an item in one known grid (None when no scope is computed).
        self.grid_tier = self.tier_of_locality.get("grid") if self.scope_field else None
        self.department_fields = tuple(f.id for f in model.fields if f.type == "department")
        self.tier_names = {t.id: t.name for t in model.tiers}
        self.dept_tiers = {d.id: d.tier for d in model.departments}
        self.dept_names = {d.id: d.name for d in model.departments}
        self.dept_refs = dept_refs
        self.tier_refs = tier_refs
        # Per route: its compiled `assisting` expressions (empty for most routes).
        self.assisting = tuple(tuple(program.compiler.compile(e) for e in r.assisting) for r in model.routes)
        # Per class: the departments that assist it (its owner, then its own assisting departments).
        self.class_assisting = {c.id: tuple(dict.fromkeys((*((c.owner,) if c.owner else ()), *c.assisting)))
                                for c in model.classes}
        # Departments chosen by locality: parent -> its sub-units by the registry unit they serve.
        self.areas = Areas(model.departments, self.tier_locality, self.locator)
        self.local_parents = frozenset(self.areas.by_parent)
        self.depts = {d.id: d for d in model.departments}
        self._area_reasons: dict[tuple[str, str, str], Reason] = {}
        self._who: dict[tuple[Any, ...], Handlers] = {}
        self._grid_reasons: dict[str, Reason] = {}
        self._scope_reasons: dict[tuple[str, ...], Reason] = {}
        self.places = self.locator.places

    # ---- scope and grids ------------------------------------------------------------------

    def locate(self, values: dict[str, Any], item: Item | Mapping[str, Any], reasons: list[Reason]) -> None:
        """Check the item's grid codes against the registry (unknown ones become reasons or an
        `ItemError`) and, for a scope field computed from grids that the item leaves out, set it
        from the grids the item touches."""
        grid, grids = values["grid"], values["grids"]
        if not grids:  # the common case, one grid or none: no extent to compute
            if grid is None:
                return
            if grid not in self.places:
                self.unknown((grid,), reasons, grid, [])
            elif self.grid_tier is not None and not _given(item, self.scope_field):  # type: ignore[arg-type]
                values[self.scope_field] = self.grid_tier  # type: ignore[index]
            return
        codes = ([grid] if grid is not None else []) + grids
        extent = self.locator.extent(codes)
        if extent.unknown:
            self.unknown(extent.unknown, reasons, grid, grids or [])
        field = self.scope_field
        if field is None or extent.locality is None or _given(item, field):
            return
        tier = self.tier_of_locality.get(extent.locality)
        if tier is None:
            return
        values[field] = tier
        if grids:
            reasons.append(self.scope_reason(extent.locality, tier, len(extent.known) + len(extent.outside)))

    def unknown(self, codes: tuple[str, ...], reasons: list[Reason], grid: str | None, grids: list[str]) -> None:
        if self.reject_unknown:
            raise ItemError([ItemErrorDetail(
                path="grid" if c == grid else f"grids[{grids.index(c)}]",
                message_zh=f"网格编码 {c} 不在网格台账中" + (f"，是否想写 {g}？" if (g := self.locator.suggest(c)) else ""),
                message_en=f"grid code {c} is not in the grid registry" + (f"; did you mean {g}?" if g else ""))
                for c in codes])
        for code in codes:
            reason = self._grid_reasons.get(code)
            if reason is None:
                guess = self.locator.suggest(code)
                reason = make(Reason, {
                    "kind": "grid", "id": code,
                    "text_zh": f"网格编码 {code} 不在网格台账中，无法确定属地单位" + (f"；是否想写 {guess}？" if guess else ""),
                    "text_en": f"grid code {code} is not in the grid registry: no local unit can be named"
                               + (f"; did you mean {guess}?" if guess else ""),
                    "source": ""})
                if len(self._grid_reasons) >= CACHE_LIMIT:
                    self._grid_reasons.clear()
                self._grid_reasons[code] = reason
            reasons.append(reason)

    def scope_reason(self, locality: str, tier: str, count: int) -> Reason:
        key = (locality, tier, str(count))
        reason = self._scope_reasons.get(key)
        if reason is None:
            how = {"grid": "属于同一网格", "community": "属于同一社区", "street": "分属同一街道的不同社区",
                   "district": "分属不同街道", "city": "涉及外区网格"}[locality]
            reason = self._scope_reasons[key] = make(Reason, {
                "kind": "grid", "id": "grids",
                "text_zh": f"所涉 {count} 个网格{how}，涉及范围推算为“{self.tier_names[tier]}”",
                "text_en": f"the {count} grids touched span one {locality}: scope computed as '{tier}'",
                "source": ""})
        return reason

    # ---- departments chosen by locality ---------------------------------------------------------

    def localize(self, dept: str, values: dict[str, Any], reasons: list[Reason]) -> str:
        """The sub-unit of `dept` that serves the item's grids (its 派出所 of the street), with a
        reason saying which, or why none could be chosen (then `dept` itself handles it)."""
        grid, grids = values["grid"], values["grids"]
        codes = ([grid] if grid is not None else []) + (grids or [])
        child, why, key = self.areas.choose(dept, codes)
        cache_key = (dept, child or why, key)
        reason = self._area_reasons.get(cache_key)
        if reason is None:
            reason = self._area_reason(dept, child, why, key, codes)
            if len(self._area_reasons) >= CACHE_LIMIT:
                self._area_reasons.clear()
            self._area_reasons[cache_key] = reason
        reasons.append(reason)
        return child or dept

    def _area_reason(self, dept: str, child: str | None, why: str, key: str, codes: list[str]) -> Reason:
        parent = self.depts[dept]
        locality = self.areas.by_parent[dept][0]
        where = LOCALITIES[locality]
        if child is not None:
            sub = self.depts[child]
            place = next(self.locator.places[c] for c in codes if c in self.locator.places)
            unit = self.locator.unit(place.code, locality)
            name = unit.name if unit else key
            return make(Reason, {
                "kind": "department", "id": child,
                "text_zh": f"{name}属{sub.name}辖区：{parent.name}的工作由{sub.name}承办",
                "text_en": f"{key} ({name}) is in the area of {child}: the work of {dept} there goes to {child}",
                "source": str(sub.span)})
        zh = {"no_grid": "事项未写网格", "unknown_grid": "事项的网格不在网格台账中",
              "several": f"所涉网格分属多个{where}", "uncovered": f"所在{where}（{key}）没有写明由哪个下属单位承办（辖区 area）"}[why]
        en = {"no_grid": "the item names no grid", "unknown_grid": "the item's grid is not in the registry",
              "several": f"the grids touched span several units at the {locality} level",
              "uncovered": f"no sub-unit's area covers {locality} {key}"}[why]
        return make(Reason, {
            "kind": "department", "id": dept,
            "text_zh": f"{zh}，无法按属地确定{parent.name}的下属单位，由{parent.name}承办并指派",
            "text_en": f"{en}: no sub-unit of {dept} can be chosen by locality; {dept} handles and assigns it",
            "source": str(parent.span)})

    # ---- who handles -------------------------------------------------------------------------

    def handlers(self, route: int, tier: str, dept: str | None, state: MatterState,
                 values: dict[str, Any]) -> Handlers:
        """The lead, the assisting departments (a list of its own) and the unit of a decision."""
        fns = self.assisting[route]
        route_assisting = tuple(d for fn in fns if (d := fn(values)) is not None) if fns else ()
        fields = self.department_fields
        if not fields:
            item_depts: tuple[str, ...] = ()
        elif len(fields) == 1:
            one = values.get(fields[0])
            item_depts = () if one is None else (one,)
        else:
            item_depts = tuple(d for f in fields if (d := values.get(f)) is not None)
        grid = values["grid"]
        if grid is None and values["grids"]:
            grid = values["grids"][0]
        locality = self.tier_locality.get(tier)
        unit_code = grid if locality in UNIT_LOCALITIES and grid in self.places else None
        # The matter's code determines its owner and class (a state without a code is unlisted).
        key = (route, tier, dept, state.code, unit_code, route_assisting, item_depts)
        hit = self._who.get(key)
        if hit is None:
            hit = self._compute(tier, dept, state, unit_code, locality, route_assisting, item_depts)
            if len(self._who) >= CACHE_LIMIT:
                self._who.clear()
            self._who[key] = hit
        lead, assisting, unit = hit
        return lead, list(assisting), unit

    def _compute(self, tier: str, dept: str | None, state: MatterState, grid: str | None, locality: str | None,
                 route_assisting: tuple[str, ...], item_depts: tuple[str, ...]) -> Handlers:
        unit = self.locator.unit(grid, locality) if grid is not None and locality is not None else None
        owner = state.owner if state.owner in self.dept_tiers else None
        who = who_handles(
            tier=tier, tier_name=self.tier_names[tier], tier_has_units=locality in UNIT_LOCALITIES,
            route_department=dept, owner=owner, owner_tier=self.dept_tiers.get(owner) if owner else None,
            unit=unit, route_assisting=route_assisting,
            matter_assisting=self.class_assisting.get(state.klass, ()) if state.klass else (),
            item_departments=item_depts, department_name=self.dept_names)
        lead = who.lead
        lead_ref = make(LeadRef, {"kind": lead.kind, "code": lead.code, "name": lead.name})
        unit_ref = None if unit is None else make(UnitRef, {"locality": unit.locality, "code": unit.code,
                                                            "name": unit.name})
        return lead_ref, [self.dept_refs[d] for d in who.assisting], unit_ref


def _given(item: Item | Mapping[str, Any], key: str) -> bool:
    """Whether the item itself gives a value for `key` (not its default)."""
    if type(item) is dict or isinstance(item, Mapping):
        return item.get(key) is not None
    return getattr(item, key, None) is not None

