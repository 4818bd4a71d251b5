"""Stage `registry`: the grid registry files beside the rules (registry/*.yaml)."""

from __future__ import annotations

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
