"""Stage `calendar`: holidays and make-up workdays beyond the built-in holiday data, office
hours, the State Council's yearly notices and the warning horizon (see `clocks`)."""

from __future__ import annotations

import datetime as dt

from ..model import Calendar
from ..syntax.nodes import Binary, Expr, Literal
from . import clocks
from .context import Context
from .props import Props


def check_calendar(ctx: Context) -> None:
    decls = ctx.decls("calendar")
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    office: tuple[tuple[dt.time, dt.time], ...] = ()
    notices: tuple = ()
    horizon = None
    for d in decls:
        p = Props(d, ctx.rep)
        for key, into in (("holidays", holidays), ("workdays", workdays)):
            for arg in (a for prop in p.by_key.get(key, []) for a in prop.args):
                into.update(dates(ctx, arg.value))
        office = office or clocks.office_hours(ctx, p)
        notices = notices + clocks.notices(ctx, p)
        horizon = horizon or clocks.horizon(ctx, p)
    both = holidays & workdays
    if both:
        day = min(both)
        ctx.rep.report("GP023", decls[0].span, f"{day} 同时被列为节假日和调休上班日",
                       f"{day} is listed both as a holiday and as a make-up workday")
    ctx.model["calendar"] = Calendar(frozenset(holidays), frozenset(workdays), office, notices, horizon,
                                     decls[0].span if decls else None)


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


def check_horizon(ctx: Context) -> None:
    """GP095 (warning): the policy's dates, or today + `horizon`, past the known years."""
    cal: Calendar | None = ctx.model.get("calendar")
    if cal is None:
        return
    found: list[tuple[dt.date, object]] = []
    header = ctx.model.get("header")
    if header is not None and header.effective is not None:
        found.append((header.effective, header.span))
    for lst in ctx.model.get("lists", ()):
        found += [(b.effective, b.span) for b in lst.batches if b.effective]
        for m in lst.matters:
            found += [(d, m.span) for d in (m.effective, m.expires) if d]
    found += [(e.date, e.span) for e in ctx.model.get("exits", ())]
    clocks.horizon_warnings(ctx, cal, found)  # type: ignore[arg-type]
