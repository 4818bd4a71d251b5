"""Stages `grades` and `formulas`: evaluation formulas over case data and their grade tables."""

from __future__ import annotations

import dataclasses

from ..diagnostics import WARNING
from ..model import Band, Field, Formula, Grade, Input, Meta
from ..syntax.nodes import Attr, Binary, Call, Decl, Expr, ListLit, Name, Span, Unary
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
        ids = {b.id: b for b in bands}
        award = tuple(a for name, span, _ in p.names("award")
                      if (a := ctx.ref(name, span, ids, ("档次", "band"))) is not None)
        out.append(Grade(d.ident, d.title, tuple(bands), p.meta(), d.span, award))
    ctx.model["grades"] = tuple(out)


def check_formulas(ctx: Context) -> None:
    decls = ctx.decls("formula")
    grades: dict[str, Grade] = {g.id: g for g in ctx.model["grades"]}
    named = [d.ident for d in decls if d.id is not None]
    out = []
    refs: dict[str, list[tuple[str, Span]]] = {}
    grouping: dict[str, Props] = {}
    for d in ctx.unique(decls, {}, ("公式", "formula")):
        p = Props(d, ctx.rep)
        inputs = [check_input(ctx, i) for i in
                  ctx.unique([c for c in d.children if c.kind == "input"], {}, ("输入", "input"))]
        ctx.record_types = {i.id: {n: ctx.field_type(t) for n, t in zip(i.fields, i.field_types, strict=False)
                                   if t is not None} for i in inputs if i.type == "records"}
        # Another formula's name reads its value (computed over the same data); inputs shadow it.
        scope = {n: Ty("number", None, "formula") for n in named}
        scope.update({i.id: (Ty("records", i.fields, i.id) if i.type == "records" else Ty("number", None, i.id))
                      for i in inputs})
        prop = p.require("value")
        if prop is None or (arg := p.one(prop)) is None:
            continue
        value, ty = Typer(ctx, scope, "formula").infer(arg.value)
        if ty.kind not in ("number", "any"):
            ctx.type_error(arg.value, "数字", "a number")
        local = {i.id for i in inputs} | {f for i in inputs for f in i.fields}
        refs[d.ident] = [(n.id, n.span) for n in _names(value) if n.id in scope and n.id not in local]
        for n, span in refs[d.ident]:
            if n == d.ident:
                ctx.rep.report("GP060", span, f"公式“{n}”引用了自身的值", f"formula '{n}' uses its own value")
        rnd = p.literal("round", "number")
        g = p.name("grade")
        grade = ctx.ref(*g, grades, ("等级", "grade")) if g else None
        rng = range_of(ctx, p, "range")
        if g and grade and rng and grades[grade].bands and grades[grade].bands[-1].threshold > rng[0]:
            ctx.rep.report("GP054", g[1], f"等级“{grade}”的最低档 {grades[grade].bands[-1].threshold} "
                           f"高于公式下限 {rng[0]}，部分分数没有等级",
                           f"grade '{grade}' starts at {grades[grade].bands[-1].threshold}, above the "
                           f"formula's minimum {rng[0]}: some scores get no grade", severity=WARNING)
        uses = tuple(dict.fromkeys(n for n, _ in refs[d.ident] if n != d.ident))
        out.append(Formula(d.ident, d.title, tuple(inputs), value, ctx.text_of(arg.value.span),
                           int(rnd) if rnd is not None else None, grade, rng, p.meta(), d.span, None, uses))
        grouping[d.ident] = p
    if not _check_cycles(ctx, refs):  # `by` may use the records of the formulas used (no cycles)
        by_id = {f.id: f for f in out}
        out = [dataclasses.replace(f, by=check_by(ctx, grouping[f.id], _records_inputs(f, by_id))) for f in out]
    ctx.model["formulas"] = tuple(out)


def _records_inputs(f: Formula, by_id: dict[str, Formula]) -> list[Input]:
    """The inputs of `f` and of every formula it uses."""
    seen: dict[str, Formula] = {}

    def visit(g: Formula) -> None:
        if g.id not in seen:
            seen[g.id] = g
            for u in g.uses:
                if u in by_id:
                    visit(by_id[u])
    visit(f)
    return [i for g in seen.values() for i in g.inputs]


def check_input(ctx: Context, i: Decl) -> Input:
    ip = Props(i, ctx.rep)
    t = ip.name("type")
    itype = t[0] if t else "number"
    if t is not None and itype not in ("number", "records"):
        ctx.rep.unknown(t[1], "输入类型", "input type", itype, ("number", "records"))
    fields, types = record_fields(ctx, ip)
    rng = range_of(ctx, ip, "range")
    default = ip.literal("default", "number")
    if default is not None and itype != "number":
        ctx.rep.report("GP023", ip.span("default"), "只有数字输入（参数）可以写 default",
                       "only a number input (a parameter) takes a default")
        default = None
    elif default is not None and rng is not None and not rng[0] <= default <= rng[1]:
        ctx.rep.report("GP023", ip.span("default"), f"默认值 {default} 超出范围 {rng[0]} .. {rng[1]}",
                       f"the default {default} is outside the range {rng[0]} .. {rng[1]}")
    time = ip.name("time")
    time_field = None
    if time is not None:
        if itype != "records":
            ctx.rep.report("GP061", time[1], "只有记录输入可以写 time（时间字段）",
                           "only a records input takes a time field")
        elif time[0] not in fields:
            ctx.rep.unknown(time[1], "记录字段", "record field", time[0], fields, code="GP061")
        elif (ft := types[fields.index(time[0])]) is None or ft.type not in ("date", "datetime"):
            ctx.rep.report("GP061", time[1], f"时间字段“{time[0]}”应声明为 date 或 datetime，如 {time[0]} -> date",
                           f"the time field '{time[0]}' must be declared date or datetime, "
                           f"e.g. {time[0]} -> date")
        else:
            time_field = time[0]
    return Input(i.ident, i.title, itype, rng, fields, ip.meta(), i.span, types,
                 float(default) if default is not None else None, time_field)


# Groups computed from a record's grid through the grid registry.
REGISTRY_GROUPS = ("community", "street")


def check_by(ctx: Context, p: Props, inputs: list[Input]) -> str | None:
    """`by FIELD`: a field every records input has (or community/street, from their `grid`)."""
    by = p.name("by")
    if by is None:
        return None
    name, span = by
    tables = [i for i in inputs if i.type == "records"]
    if not tables:
        ctx.rep.report("GP061", span, "分组（by）需要记录输入", "grouping (by) needs a records input")
        return None
    for i in tables:
        if name in i.fields or (name in REGISTRY_GROUPS and "grid" in i.fields):
            continue
        known = [*i.fields, *(REGISTRY_GROUPS if "grid" in i.fields else ())]
        ctx.rep.unknown(span, f"输入“{i.id}”的分组字段", f"grouping field of input '{i.id}'", name, known,
                        code="GP061")
        return None
    return name


def _names(e: Expr) -> list[Name]:
    """Every name in `e`, with the input names of `weighted(name: weight)`, in reading order."""
    if isinstance(e, Name):
        return [e]
    if isinstance(e, Binary):
        return _names(e.left) + _names(e.right)
    if isinstance(e, Unary):
        return _names(e.operand)
    if isinstance(e, Attr):
        return _names(e.obj)
    if isinstance(e, ListLit):
        return [n for i in e.items for n in _names(i)]
    if isinstance(e, Call):
        return [n for a in e.args for n in _names(a)] + [Name(w.span, k) for k, w in e.kwargs]
    return []


def _check_cycles(ctx: Context, refs: dict[str, list[tuple[str, Span]]]) -> bool:
    """GP060 at the reference that closes a cycle of formulas using each other's values;
    whether there was one."""
    found = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    path: list[str] = []

    def visit(f: str) -> None:
        state[f] = 1
        path.append(f)
        for g, span in refs.get(f, ()):
            if g == f:
                found.append(f)  # reported where it is typed
                continue
            if state.get(g) == 1:
                found.append(g)
                loop = " → ".join([*path[path.index(g):], g])
                ctx.rep.report("GP060", span, f"公式循环引用：{loop}", f"formulas use each other in a cycle: {loop}")
            elif g not in state:
                visit(g)
        path.pop()
        state[f] = 2

    for f in refs:
        if f not in state:
            visit(f)
    return bool(found)


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
