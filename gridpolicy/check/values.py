"""Constants written in rule files, checked against the type they must have: ranges, field
values (defaults and traits), durations."""

from __future__ import annotations

from typing import Any

from ..model import Field
from ..syntax.nodes import Binary, Decl, Duration, Expr, ListLit, Literal, Name, Prop, Span
from . import types as T
from .context import Context
from .props import Props, const_number
from .types import Ty


def range_of(ctx: Context, p: Props, key: str) -> tuple[float, float] | None:
    prop = p.get(key)
    if prop is None:
        return None
    arg = prop.args[0]
    if len(prop.args) == 1 and isinstance(arg.value, Binary) and arg.value.op == "..":
        lo, hi = const_number(arg.value.left), const_number(arg.value.right)
        if lo is not None and hi is not None and lo < hi:
            return (lo, hi)
    ctx.rep.report("GP023", prop.span, f"“{prop.key}”应写成“下限 .. 上限”，如 0 .. 100",
                   f"'{prop.key}' takes 'low .. high', e.g. 0 .. 100")
    return None


def value_of(ctx: Context, f: Field, e: Expr) -> Any:
    """A constant of field `f`'s type, from a default or trait value. Reports errors."""
    ty = ctx.field_type(f)
    if f.type == "set":
        items = e.items if isinstance(e, ListLit) else (e,)
        out = []
        for item in items:
            v = symbol_or_string(ctx, item, Ty("enum", ty.domain, f.id) if ty.domain else T.TEXT)
            if v is not None:
                out.append(v)
        return frozenset(out)
    if f.type in ("enum", "tier", "department", "role"):
        return symbol_or_string(ctx, e, ty)
    if f.type == "number":
        n = const_number(e)
        if n is None:
            ctx.type_error(e, "数字", "a number")
        elif f.range and not f.range[0] <= n <= f.range[1]:
            ctx.rep.report("GP040", e.span, f"{n} 超出范围 {f.range[0]} .. {f.range[1]}",
                           f"{n} is outside the range {f.range[0]} .. {f.range[1]}")
        return n
    if f.type == "bool":
        if isinstance(e, Literal) and e.kind == "bool":
            return e.value
        ctx.type_error(e, "true/false", "true or false")
        return None
    if f.type in ("text", "date", "datetime"):
        kind = "string" if f.type == "text" else f.type
        if isinstance(e, Literal) and e.kind == kind:
            return e.value
        ctx.type_error(e, T.TYPE_NAMES_ZH[f.type], f.type)
    return None


def symbol_or_string(ctx: Context, e: Expr, ty: Ty) -> str | None:
    name = e.id if isinstance(e, Name) else e.value if isinstance(e, Literal) and e.kind == "string" else None
    if name is None:
        ctx.type_error(e, T.zh(ty), ty.kind)
        return None
    if ty.domain is not None and name not in ty.domain:
        ctx.rep.unknown(e.span, f"{T.zh(ty)}取值", f"{ty.kind} value", name, ty.domain)
        return None
    return name


def traits_of(ctx: Context, d: Decl) -> tuple[tuple[str, Any], ...]:
    """A matter's or class's `traits { field value ... }` blocks: (field, checked value) pairs."""
    traits: list[tuple[str, Any]] = []
    for t in d.children:
        for key, props in Props(t, ctx.rep).by_key.items():
            prop = props[0]
            if key not in ctx.fields:
                ctx.rep.unknown(prop.span, "字段", "field", key, ctx.fields)
                continue
            if len(prop.args) != 1:
                ctx.rep.report("GP023", prop.span, "特征只能取一个值（集合用 [ ] 括起）",
                               "a trait takes one value (use [ ] for a set)")
                continue
            traits.append((key, value_of(ctx, ctx.fields[key], prop.args[0].value)))
    return tuple(traits)


def default_value(ctx: Context, f: Field, prop: Prop) -> Any:
    if len(prop.args) != 1:
        ctx.rep.report("GP023", prop.span, "默认值只能有一个", "a default takes one value")
        return None
    return value_of(ctx, f, prop.args[0].value)


def check_duration(ctx: Context, d: Duration, span: Span) -> None:
    if d.unit in ("days", "workdays") and not float(d.amount).is_integer():
        ctx.rep.report("GP041", span, "天数和工作日数必须是整数", "days and workdays must be whole numbers")
