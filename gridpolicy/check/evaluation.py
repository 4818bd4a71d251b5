"""Stages `grades` and `formulas`: evaluation formulas over case data and their grade tables."""

from __future__ import annotations

from ..diagnostics import WARNING
from ..model import Band, Field, Formula, Grade, Input, Meta
from ..syntax.nodes import Binary, Name, Span
from .context import Context
from .props import Props, const_number
from .typer import Typer
from .types import Ty
from .values import range_of


def check_grades(ctx: Context) -> None:
    decls = ctx.decls("grade")
    out = []
    for d in ctx.unique(decls, {}, ("等级", "grade")):
        p = Props(d, ctx.rep)
        bands: list[Band] = []
        p.require("band")
        for arg in (a for prop in p.by_key.get("band", []) for a in prop.args):
            n = const_number(arg.value)
            if n is None or not isinstance(arg.target, Name):
                ctx.rep.report("GP023", arg.span, "档次写法：分数线 -> 名称 \"中文名\"，如 90 -> five \"五星\"",
                               "a band is written: threshold -> name \"label\", e.g. 90 -> five \"five stars\"")
                continue
            if bands and n >= bands[-1].threshold:
                ctx.rep.report("GP054", arg.value.span,
                               f"分数线 {n} 应低于上一档 {bands[-1].threshold}（从高到低排列）",
                               f"threshold {n} must be below the previous band's {bands[-1].threshold} "
                               "(list bands from highest to lowest)")
            bands.append(Band(n, arg.target.id, arg.label or arg.target.id))
        out.append(Grade(d.ident, d.title, tuple(bands), p.meta(), d.span))
    ctx.model["grades"] = tuple(out)


def check_formulas(ctx: Context) -> None:
    decls = ctx.decls("formula")
    grades: dict[str, Grade] = {g.id: g for g in ctx.model["grades"]}
    out = []
    for d in ctx.unique(decls, {}, ("公式", "formula")):
        p = Props(d, ctx.rep)
        inputs: list[Input] = []
        for i in ctx.unique([c for c in d.children if c.kind == "input"], {}, ("输入", "input")):
            ip = Props(i, ctx.rep)
            t = ip.name("type")
            itype = t[0] if t else "number"
            if t is not None and itype not in ("number", "records"):
                ctx.rep.unknown(t[1], "输入类型", "input type", itype, ("number", "records"))
            fields, types = record_fields(ctx, ip)
            inputs.append(Input(i.ident, i.title, itype, range_of(ctx, ip, "range"), fields,
                                ip.meta(), i.span, types))
        scope = {i.id: (Ty("records", i.fields, i.id) if i.type == "records" else Ty("number", None, i.id))
                 for i in inputs}
        prop = p.require("value")
        if prop is None or (arg := p.one(prop)) is None:
            continue
        value, ty = Typer(ctx, scope, "formula").infer(arg.value)
        if ty.kind not in ("number", "any"):
            ctx.type_error(arg.value, "数字", "a number")
        rnd = p.literal("round", "number")
        g = p.name("grade")
        grade = ctx.ref(*g, grades, ("等级", "grade")) if g else None
        rng = range_of(ctx, p, "range")
        if g and grade and rng and grades[grade].bands and grades[grade].bands[-1].threshold > rng[0]:
            ctx.rep.report("GP054", g[1], f"等级“{grade}”的最低档 {grades[grade].bands[-1].threshold} "
                           f"高于公式下限 {rng[0]}，部分分数没有等级",
                           f"grade '{grade}' starts at {grades[grade].bands[-1].threshold}, above the "
                           f"formula's minimum {rng[0]}: some scores get no grade", severity=WARNING)
        out.append(Formula(d.ident, d.title, tuple(inputs), value, ctx.text_of(arg.value.span),
                           int(rnd) if rnd is not None else None, grade, rng, p.meta(), d.span))
    ctx.model["formulas"] = tuple(out)


PLAIN_TYPES = ("number", "text", "date", "datetime", "bool")


def record_fields(ctx: Context, p: Props) -> tuple[tuple[str, ...], tuple[Field | None, ...]]:
    """`fields result -> followup, score -> 0 .. 100, day -> date, note`: each record field
    and its type — a schema field (its values, Chinese labels accepted), a plain type, or a
    number range; a field with no `->` is untyped."""
    prop = p.get("fields")
    names: list[str] = []
    types: list[Field | None] = []
    if prop is None:
        return (), ()
    schema = dict(ctx.fields)
    for arg in prop.args:
        if not isinstance(arg.value, Name):
            ctx.rep.report("GP023", arg.span, "“fields”的值应为字段名（不加引号），可写 名称 -> 类型",
                           "'fields' takes field names (without quotes), optionally name -> type")
            continue
        name = arg.value.id
        names.append(name)
        target = arg.target
        if target is None:
            types.append(schema.get(name))
            continue
        if isinstance(target, Name) and target.id in schema:
            types.append(schema[target.id])
        elif isinstance(target, Name) and target.id in PLAIN_TYPES:
            types.append(_plain(name, target.id, None, target.span))
        elif isinstance(target, Binary) and target.op == "..":
            lo, hi = const_number(target.left), const_number(target.right)
            if lo is None or hi is None or lo > hi:
                ctx.rep.report("GP023", target.span, "取值范围应为 下限 .. 上限，例如 0 .. 100",
                               "a range is LOW .. HIGH, e.g. 0 .. 100")
                types.append(None)
            else:
                types.append(_plain(name, "number", (lo, hi), target.span))
        else:
            known = (*schema, *PLAIN_TYPES)
            shown = target.id if isinstance(target, Name) else ctx.text_of(target.span)
            ctx.rep.unknown(target.span, "记录字段类型", "record field type", shown, known)
            types.append(None)
    return tuple(names), tuple(types)


def _plain(name: str, kind: str, rng: tuple[float, float] | None, span: Span) -> Field:
    return Field(name, name, kind, (), None, False, rng, Meta(), span)
