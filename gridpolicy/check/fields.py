"""Stage `fields`: the item schema (each field's type, values, default, range)."""

from __future__ import annotations

from dataclasses import replace

from ..model import ENVELOPE, Field
from .context import Context
from .props import Props
from .values import default_value, range_of

FIELD_TYPES = ("enum", "set", "number", "text", "bool", "date", "datetime", "tier", "department", "role")

def check_fields(ctx: Context) -> None:
    decls = ctx.decls("field")
    for d in ctx.unique(decls, ctx.fields, ("字段", "field")):
        if d.ident in ENVELOPE:
            ctx.rep.report("GP030", d.id_span, f"“{d.ident}”是事项的固定字段，不能重新定义",
                           f"'{d.ident}' is part of the fixed item envelope and cannot be redefined")
            continue
        p = Props(d, ctx.rep)
        t = p.name("type", required=True)
        ftype = t[0] if t else "text"
        if t and ftype not in FIELD_TYPES:
            ctx.rep.unknown(t[1], "字段类型", "field type", ftype, FIELD_TYPES)
            ftype = "text"
        values: list[tuple[str, str]] = []
        if ftype in ("enum", "set"):
            for name, span, label in p.names("values"):
                if name in dict(values):
                    ctx.rep.report("GP030", span, f"取值“{name}”重复", f"value '{name}' listed twice")
                values.append((name, label or name))
            if ftype == "enum" and not values:
                ctx.rep.report("GP021", d.id_span, f"选项字段“{d.ident}”需要列出取值（values）",
                               f"enum field '{d.ident}' needs its values")
        elif p.get("values"):
            ctx.rep.report("GP023", p.span("values"), "只有 enum 和 set 字段可以列出取值",
                           "only enum and set fields take values")
        rng = range_of(ctx, p, "range")
        required = bool(p.literal("required", "bool"))
        field = Field(d.ident, d.title, ftype, tuple(values), None, required, rng, p.meta(), d.span,
                      computed=_computed(ctx, p, ftype))
        default_prop = p.get("default")
        if default_prop is not None:
            field = replace(field, default=default_value(ctx, field, default_prop))
        elif ftype == "set":
            field = replace(field, default=frozenset())
        ctx.fields[d.ident] = field
    ctx.model["fields"] = tuple(ctx.fields.values())


COMPUTED_FROM = {"grids": "grids", "所涉网格": "grids"}


def _computed(ctx: Context, p: Props, ftype: str) -> str:
    """`from grids`: a tier field computed from the grids an item touches (see `locality`)."""
    src = p.name("from")
    if src is None:
        return ""
    if src[0] not in COMPUTED_FROM:
        ctx.rep.unknown(src[1], "“取自”的来源", "source of 'from'", src[0], list(COMPUTED_FROM))
        return ""
    if ftype != "tier":
        ctx.rep.report("GP023", src[1], "只有 tier（层级）类型的字段可以取自所涉网格",
                       "only a tier field can be computed from the grids (from grids)")
        return ""
    return COMPUTED_FROM[src[0]]
