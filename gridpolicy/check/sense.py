"""Rules that parse and type-check but make no sense to the people who apply them: located
warnings (GP065–GP067), after every table is filled."""

from __future__ import annotations

from ..syntax.nodes import Decl, Span, Symbol
from .context import Context

_LIMIT_KEYS = ("limit", "时限")
_TIER_KEYS = ("tier", "层级")
_DEPT_KEYS = ("department", "承办部门")


def _prop_span(d: Decl, keys: tuple[str, ...]) -> Span | None:
    return next((p.span for p in d.props if p.key in keys), None)


def check_sense(ctx: Context) -> None:
    _matters_without_a_date(ctx)
    decls = {d.ident: d for d in ctx.decls("route") if d.ident}
    for route in ctx.model.get("routes", ()):
        d = decls.get(route.id)
        if d is None:
            continue
        if route.limit is not None and route.limit.amount == 0:
            ctx.rep.report("GP066", _prop_span(d, _LIMIT_KEYS) or route.span,
                           f"分流规则“{route.id}”的时限为 0：问题一交办就超期",
                           f"route '{route.id}' has a time limit of 0: every case is overdue as soon as it is assigned",
                           hint=("写上实际的时限，例如 `limit 5 workdays`；不计时限请删去这一行。",
                                 "give the real limit, e.g. `limit 5 workdays`; delete the line for no limit."),
                           severity="warning")
        _tier_below_department(ctx, route, d)


_DATE_KEYS = ("batch", "批次", "effective", "生效日期")


def _matters_without_a_date(ctx: Context) -> None:
    written = {c.ident for d in ctx.decls("list") for c in d.children
               if c.kind == "matter" and any(p.key in _DATE_KEYS for p in c.props)}
    for lst in ctx.model.get("lists", ()):
        if not lst.admission:
            continue
        for m in lst.matters:
            if m.batch is None and m.effective is None and m.code not in written:  # not a bad reference
                ctx.rep.report("GP065", m.span,
                               f"准入事项 {m.code}「{m.name}」既没有批次（batch）也没有生效日期（effective）："
                               "不知道网格从哪天起承接，理由会写成“— 起施行”",
                               f"admission matter {m.code} '{m.name}' has neither a batch nor an effective date: "
                               "nobody can tell from which day grids take it on",
                               hint=("加上 `batch b1`（所属批次）或 `effective 2026-07-01`。",
                                     "add `batch b1` (its batch) or `effective 2026-07-01`."),
                               severity="warning")


def _tier_below_department(ctx: Context, route: object, d: Decl) -> None:
    tier, dept = getattr(route, "tier", None), getattr(route, "department", None)
    if not isinstance(tier, Symbol) or not isinstance(dept, Symbol) or tier.value not in ctx.tiers:
        return
    dept_id = ctx.department_names.resolve(str(dept.value))
    department = ctx.departments.get(dept_id) if dept_id else None
    if department is None or department.tier not in ctx.tiers:
        return
    if ctx.tier_level(department.tier) > ctx.tier_level(tier.value):
        ctx.rep.report("GP067", _prop_span(d, _TIER_KEYS) or route.span,  # type: ignore[attr-defined]
                       f"分流规则“{d.ident}”交给“{tier.value}”层级，却由 {department.tier} 层级的部门“{department.id}”"
                       f"（{department.name}）承办：二者只能取其一",
                       f"route '{d.ident}' assigns tier '{tier.value}' but department '{department.id}' "
                       f"({department.name}) of tier '{department.tier}' handles it: choose one",
                       hint=(f"部门承办时删去 `tier {tier.value}`（层级取部门的 {department.tier}）；"
                             "由网格处理时删去 department，部门写成 assisting。",
                             f"delete `tier {tier.value}` when the department handles it (its tier is "
                             f"{department.tier}); for a grid case, delete department and name it in assisting."),
                       severity="warning")
