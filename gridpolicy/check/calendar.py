"""Stage `calendar`: holidays and make-up workdays beyond the built-in holiday data."""

from __future__ import annotations

import datetime as dt

from ..model import Calendar
from ..syntax.nodes import Binary, Expr, Literal
from .context import Context
from .props import Props


def check_calendar(ctx: Context) -> None:
    decls = ctx.decls("calendar")
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for d in decls:
        p = Props(d, ctx.rep)
        for key, into in (("holidays", holidays), ("workdays", workdays)):
            for arg in (a for prop in p.by_key.get(key, []) for a in prop.args):
                into.update(dates(ctx, arg.value))
    both = holidays & workdays
    if both:
        day = min(both)
        ctx.rep.report("GP023", decls[0].span, f"{day} 同时被列为节假日和调休上班日",
                       f"{day} is listed both as a holiday and as a make-up workday")
    ctx.model["calendar"] = Calendar(frozenset(holidays), frozenset(workdays))


def dates(ctx: Context, e: Expr) -> list[dt.date]:
    if isinstance(e, Literal) and e.kind == "date":
        return [e.value]
    if isinstance(e, Binary) and e.op == ".." and isinstance(e.left, Literal) and isinstance(
            e.right, Literal) and e.left.kind == e.right.kind == "date":
        a, b = e.left.value, e.right.value
        if b < a or (b - a).days > 366:
            ctx.rep.report("GP023", e.span, "日期区间无效（应从早到晚，且不超过一年）",
                           "invalid date range (must run forward, at most a year)")
            return []
        return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
    ctx.type_error(e, "日期或日期区间（2026-10-01 .. 2026-10-08）", "a date or date range")
    return []
