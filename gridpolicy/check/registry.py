"""Stage `registry`: the grid registry files beside the rules (registry/*.yaml)."""

from __future__ import annotations

from ..locality import Areas, Locator
from ..model import GridPlace
from ..registry import RegistryError, parse_registry
from ..syntax.nodes import Span
from .context import Context


def check_registries(ctx: Context) -> None:
    """The grid registry files beside the rules, validated (GP015 with file and line)."""
    places: dict[str, GridPlace] = {}
    for name, text in ctx.src.registries.items():
        ctx.rep.add_source(name, text)
        try:
            registry = parse_registry(text, name)
        except RegistryError as exc:
            for p in exc.problems:
                where = f"（{p.path}）" if p.path else ""
                ctx.rep.report("GP015", Span(name, max(p.line, 1), 1, max(p.line, 1), 2),
                               f"网格台账有误{where}：{p.message_zh}",
                               f"grid registry invalid{f' ({p.path})' if p.path else ''}: {p.message_en}")
            continue
        for entry in registry.grids():
            if entry.code in places:
                ctx.rep.report("GP015", Span(name, 1, 1, 1, 2), f"网格编码 {entry.code} 在多个台账文件中出现",
                               f"grid code {entry.code} appears in more than one registry file")
            places[entry.code] = GridPlace(entry.code, entry.grid.name, entry.community.name, entry.street.name,
                                           entry.community.code, entry.street.code)
    ctx.model["grids"] = tuple(places.values())
    check_areas(ctx, places)


def check_areas(ctx: Context, places: dict[str, GridPlace]) -> None:
    """GP082: a department's `area` names units of the registry at its tier's locality, each
    served by one sub-unit of the same parent."""
    depts = [d for d in ctx.departments.values() if d.area and d.parent]
    if not depts:
        return
    if not places:
        for d in depts:
            ctx.rep.report("GP082", _area_span(ctx, d.id),
                           f"部门“{d.id}”的辖区需要网格台账（registry/*.yaml）才能确定；没有台账时由上级部门 {d.parent} 承办",
                           f"department '{d.id}': an area needs the grid registry (registry/*.yaml); without one "
                           f"its parent {d.parent} handles the work", severity="warning")
        return
    areas = Areas(depts, {t.id: t.locality for t in ctx.tiers.values()}, Locator(places.values()))
    for problem in areas.problems:
        d = ctx.departments[problem.department]
        span = _area_span(ctx, d.id, problem.area)
        if problem.kind == "no_locality":
            ctx.rep.report("GP082", span, f"部门“{d.id}”写了辖区，但其层级 {d.tier} 不对应台账中的网格、社区或街道（tier 的 locality）",
                           f"department '{d.id}' has an area, but its tier {d.tier} stands for no registry level "
                           f"(grid, community or street)")
        elif problem.kind == "unknown":
            hint = f"，是否想写“{problem.suggestion}”？" if problem.suggestion else ""
            ctx.rep.report("GP082", span, f"辖区“{problem.area}”不是网格台账中的单位（名称或编码）{hint}",
                           f"area '{problem.area}' is no unit of the grid registry (name or code)"
                           + (f"; did you mean '{problem.suggestion}'?" if problem.suggestion else ""))
        else:
            ctx.rep.report("GP082", span, f"辖区“{problem.area}”已由 {problem.other} 承办：同一上级部门的下属单位辖区不能重叠",
                           f"area '{problem.area}' is already served by {problem.other} (sub-units of one parent "
                           f"may not share an area)")


def _area_span(ctx: Context, dept: str, area: str | None = None) -> Span:
    """Where a department's `area` (or one of its values) is written."""
    for decl in ctx.decls("department"):
        if decl.ident != dept:
            continue
        for prop in decl.props:
            if prop.key in ("area", "辖区"):
                for arg in prop.args:
                    if area is None or getattr(arg.value, "value", None) == area:
                        return arg.span
                return prop.span
        return decl.span
    return Span("<rules>", 1, 1, 1, 2)
