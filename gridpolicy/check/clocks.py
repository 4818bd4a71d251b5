"""Clocks: the calendar block's office hours, notices and horizon; time limits (constant or
depending on the item) and staged limits of routes.

GP090 stages not due one after another; GP091 workhours without office hours; GP095 the
calendar's known years end within the policy's dates or the declared horizon (warning);
GP096 invalid office hours.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..calendar import WorkCalendar
from ..clock import UNITS, WHOLE_UNITS, Clock, OfficeHours, stage_counterexample
from ..model import Calendar, CalendarNotice, Limit, Stage
from ..syntax.nodes import Binary, Call, Duration, Expr, Literal, Name, Span
from .context import Context
from .props import Props, const_number
from .typer import Typer
from .types import Ty

IF = ("if", "如果")
_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2}):(\d{2})\s*$")
# Largest amounts, as the parser bounds literals (about two years).
MAX_AMOUNT = {"minutes": 1_054_080, "hours": 17_568, "urgent_hours": 17_568, "urgent_days": 732,
              "days": 732, "workdays": 500, "workhours": 4_000}


# ---- the calendar block ---------------------------------------------------------------


def office_hours(ctx: Context, p: Props) -> tuple[tuple[dt.time, dt.time], ...]:
    """`office_hours "08:30-12:00", "14:30-17:30"` (GP096 for a bad period or an overlap)."""
    periods: list[tuple[dt.time, dt.time, Span]] = []
    for prop in p.by_key.get("office_hours", []):
        for arg in prop.args:
            v = arg.value
            m = _PERIOD.match(v.value) if isinstance(v, Literal) and v.kind == "string" else None
            times = None
            if m:
                h1, m1, h2, m2 = map(int, m.groups())
                if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60:
                    times = dt.time(h1, m1), dt.time(h2, m2)
            if times is None or not times[0] < times[1]:
                ctx.rep.report("GP096", arg.span, "办公时段应写成 \"08:30-12:00\"（开始早于结束）",
                               "an office period is written \"08:30-12:00\" (start before end)")
                continue
            periods.append((*times, arg.span))
    periods.sort()
    for (_, end, _), (start, _, span) in zip(periods, periods[1:]):
        if start < end:
            ctx.rep.report("GP096", span, f"办公时段与前一时段重叠（前一时段到 {end:%H:%M} 结束）",
                           f"office period overlaps the one before it (which ends at {end:%H:%M})")
    return tuple((s, e) for s, e, _ in periods)


def notices(ctx: Context, p: Props) -> tuple[CalendarNotice, ...]:
    """`notice 2027 "国务院办公厅关于2027年部分节假日安排的通知"`: the year's dates listed in this
    block are its whole arrangement."""
    out: list[CalendarNotice] = []
    for prop in p.by_key.get("notice", []):
        for arg in prop.args:
            year = const_number(arg.value)
            if year is None or not float(year).is_integer() or not 1900 <= year <= 2199 or not arg.label:
                ctx.rep.report("GP023", arg.span, "节假日通知写法：年份 \"通知名称\"，如 2027 \"国务院办公厅关于…的通知\"",
                               "a notice is written: year \"title\", e.g. 2027 \"State Council notice …\"")
                continue
            if any(n.year == year for n in out):
                ctx.rep.report("GP022", arg.span, f"{int(year)} 年的节假日通知重复", f"a second notice for {int(year)}")
                continue
            out.append(CalendarNotice(int(year), arg.label, "", arg.span))
    return tuple(out)


def horizon(ctx: Context, p: Props) -> Duration | None:
    value = p.literal("horizon", "duration")
    if value is not None and value.unit not in ("days", "workdays"):
        ctx.rep.report("GP023", p.span("horizon"), "预警期应以天计，如 90 days", "a horizon is in days, e.g. 90 days")
        return None
    return value


def horizon_warnings(ctx: Context, calendar: Calendar, dates: list[tuple[dt.date, Span]],
                     today: dt.date | None = None) -> None:
    """GP095: dates of the policy, or today + the declared horizon, after the last year whose
    holidays are known (chinese_calendar's or a declared notice's)."""
    cal = WorkCalendar(calendar)
    last = cal.last_known_year()
    late = [(d, s) for d, s in dates if d.year > last and not cal.knows(d.year)]
    if late:
        day, span = min(late, key=lambda x: x[0])
        ctx.rep.report("GP095", span, f"日期 {day} 所在年份的节假日安排尚未收录（已知至 {last} 年），该年工作日按周末推算；"
                                      f"国务院通知公布后请在 calendar 中用 notice 写明",
                       f"{day} falls in a year whose holidays are not known (known through {last}): working "
                       f"days there are estimated; declare the State Council's notice in `calendar`",
                       severity="warning")
    if calendar.horizon is not None:
        today = today or dt.date.today()
        until = today + dt.timedelta(days=int(calendar.horizon.amount))
        if until.year > last and not cal.knows(until.year):
            span = next((n.span for n in calendar.notices), None) or _horizon_span(ctx)
            ctx.rep.report("GP095", span, f"预警期内（至 {until}）将超出已知的节假日年份（已知至 {last} 年）",
                           f"within the horizon (until {until}) the calendar runs past the last known year {last}",
                           severity="warning")


def _horizon_span(ctx: Context) -> Span:
    for d in ctx.decls("calendar"):
        for prop in d.props:
            if prop.key in ("horizon", "预警期"):
                return prop.span
    return ctx.decls("calendar")[0].span


# ---- limits -----------------------------------------------------------------------------


class Limits:
    """Reads time limits for one policy, knowing whether office hours were declared."""

    def __init__(self, ctx: Context, typer: Typer):
        self.ctx = ctx
        self.typer = typer
        cal: Calendar | None = ctx.model.get("calendar")
        self.has_office_hours = bool(cal and cal.office_hours)

    def limit(self, p: Props, key: str = "limit") -> Limit | None:
        prop = p.get(key)
        if prop is None or (arg := p.one(prop)) is None:
            return None
        return self.of(arg.value)

    def of(self, e: Expr) -> Limit | None:
        """A limit expression, typed: None (reported) if it is not a duration."""
        typed = self.duration(e)
        if typed is None:
            return None
        text = self.ctx.text_of(e.span)
        if isinstance(typed, Literal):
            return Limit(typed.value, None, text)
        return Limit(None, typed, text)

    def duration(self, e: Expr) -> Expr | None:
        ctx = self.ctx
        if isinstance(e, Literal) and e.kind == "duration":
            self.check_unit(e.value, e.span)
            return e
        if isinstance(e, Call) and e.func in IF:
            if len(e.args) != 3 or e.kwargs:
                ctx.rep.report("GP023", e.span, "写法：if(条件, 时限一, 时限二)", "written: if(condition, limit, other limit)")
                return None
            cond, ty = self.typer.infer(e.args[0])
            self.typer.want(e.args[0], ty, ("bool",))
            a, b = self.duration(e.args[1]), self.duration(e.args[2])
            if a is None or b is None:
                return None
            return Call(e.span, "if", (cond, a, b))
        if isinstance(e, Binary) and e.op == "*":
            for dur, num in ((e.left, e.right), (e.right, e.left)):
                if isinstance(dur, Literal) and dur.kind == "duration":
                    self.check_unit(dur.value, dur.span)
                    n, ty = self.typer.infer(num)
                    self.typer.want(num, ty, ("number",))
                    return Binary(e.span, "*", n, dur)
        if isinstance(e, Binary) and e.op == "+":
            a, b = self.duration(e.left), self.duration(e.right)
            if a is None or b is None:
                return None
            ua, ub = unit_of(a), unit_of(b)
            if ua and ub and ua != ub:
                ctx.rep.report("GP040", e.span, f"不同单位的时限不能相加（{ua} 与 {ub}）",
                               f"limits in different units cannot be added ({ua} and {ub})")
                return None
            return Binary(e.span, "+", a, b)
        if isinstance(e, Name):
            ctx.rep.report("GP040", e.span, "时限应为时长，如 3 workdays；用字段给出时限时写 天数字段 * 1 workday",
                           "a limit is a duration, e.g. 3 workdays; from a field, write field * 1 workday")
            return None
        ctx.type_error(e, "时长（如 3 工作日），或 if(条件, 时长, 时长)", "a duration (e.g. 3 workdays) or if(condition, a, b)")
        return None

    def check_unit(self, d: Duration, span: Span) -> None:
        if d.unit in WHOLE_UNITS and not float(d.amount).is_integer():
            self.ctx.rep.report("GP041", span, "天数和工作日数必须是整数", "days and workdays must be whole numbers")
        if d.unit == "workhours" and not self.has_office_hours:
            self.ctx.rep.report("GP091", span, "工作时需要在 calendar 中声明办公时间（office_hours）",
                                "workhours need office hours declared in the calendar (office_hours)")

    def stages(self, p: Props) -> tuple[Stage, ...]:
        """`stages 3 urgent_hours -> fence "围挡", 8 urgent_hours -> repair "抢修", …`."""
        prop = p.get("stages")
        if prop is None:
            return ()
        out: list[Stage] = []
        for arg in prop.args:
            if not isinstance(arg.target, Name):
                self.ctx.rep.report("GP023", arg.span, "分段时限写法：时长 -> 阶段编码 \"阶段名称\"，如 3 紧急工作时 -> fence \"围挡\"",
                                    "a stage is written: duration -> code \"name\", e.g. 3 urgent_hours -> fence \"fence off\"")
                continue
            if any(s.code == arg.target.id for s in out):
                self.ctx.rep.report("GP030", arg.target.span, f"阶段“{arg.target.id}”重复", f"stage '{arg.target.id}' given twice")
                continue
            limit = self.of(arg.value)
            if limit is not None:
                out.append(Stage(arg.target.id, arg.label or arg.target.id, limit, arg.span))
        return tuple(out)


def declared_times(ctx: Context, p: Props, limits: Limits, what: tuple[str, str] = ("分流规则", "route")
                   ) -> tuple[Limit | None, tuple[Stage, ...]]:
    """A declaration's `limit` or `stages` (a route's or a catalogue class's), checked: GP022 for
    both, GP090 for stages not due one after another. With stages, the limit is the last one's."""
    limit_spec = limits.limit(p)
    stages = limits.stages(p)
    if stages and p.get("limit") is not None:
        ctx.rep.report("GP022", p.span("limit"), f"{what[0]}已写分段时限（stages），不再写 limit：期限取最后一段",
                       f"a {what[1]} with stages takes no 'limit': its deadline is the last stage's")
        limit_spec = None
    check_stage_order(ctx, stages)
    if stages:
        limit_spec = stages[-1].limit
    return limit_spec, stages


def unit_of(e: Expr) -> str | None:
    """The unit of a typed duration expression (None if its branches differ)."""
    if isinstance(e, Literal):
        return e.value.unit
    if isinstance(e, Binary):
        return unit_of(e.right) if e.op == "*" else unit_of(e.left)
    if isinstance(e, Call):
        a, b = unit_of(e.args[1]), unit_of(e.args[2])
        return a if a == b else None
    return None


def constant_values(limit: Limit) -> list[Duration]:
    """The durations a limit can take without reading a number field (both branches of every
    `if`); [] if a number field is involved."""
    if limit.const is not None:
        return [limit.const]

    def walk(e: Expr) -> list[Duration]:
        if isinstance(e, Literal):
            return [e.value]
        if isinstance(e, Call):
            return walk(e.args[1]) + walk(e.args[2])
        if isinstance(e, Binary) and e.op == "+":
            return [Duration(a.amount + b.amount, a.unit) for a in walk(e.left) for b in walk(e.right)]
        return []

    return walk(limit.expr) if limit.expr is not None else []


def check_stage_order(ctx: Context, stages: tuple[Stage, ...]) -> None:
    """GP090: each stage due after the one before it, for any report time (checked for the
    constant stages, with a report time that shows the problem)."""
    if len(stages) < 2:
        return
    values = [constant_values(s.limit) for s in stages]
    if any(len(v) != 1 for v in values):
        return  # item-dependent stages are checked at run time (a later stage never ends earlier)
    limits = [v[0] for v in values]
    cal: Calendar = ctx.model.get("calendar") or Calendar()
    if any(d.unit == "workhours" for d in limits) and not cal.office_hours:
        return  # GP091 already
    header = ctx.model.get("header")
    try:
        tz = ZoneInfo(header.timezone) if header is not None else ZoneInfo("Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return
    clock = Clock(WorkCalendar(Calendar()), tz, OfficeHours(cal.office_hours) if cal.office_hours else None)
    found = stage_counterexample(clock, limits)
    if found is None:
        return
    when, i = found
    a, b = stages[i], stages[i + 1]
    due_a, due_b = clock.add(when, limits[i])[0], clock.add(when, limits[i + 1])[0]
    weekday = "一二三四五六日"[when.weekday()]
    ctx.rep.report("GP090", b.span,
                   f"阶段“{b.name}”（{b.limit.text}）应晚于上一阶段“{a.name}”（{a.limit.text}）到期："
                   f"例如周{weekday} {when:%H:%M} 上报，{a.name} {due_a:%m-%d %H:%M} 到期，{b.name} {due_b:%m-%d %H:%M} 就到期",
                   f"stage '{b.code}' ({b.limit.text}) must be due after stage '{a.code}' ({a.limit.text}): "
                   f"reported {when:%a %H:%M}, '{a.code}' is due {due_a:%a %H:%M} and '{b.code}' already {due_b:%a %H:%M}")


def limit_units(limit: Limit) -> set[str]:
    if limit.const is not None:
        return {limit.const.unit}

    def walk(e: Expr) -> set[str]:
        if isinstance(e, Literal) and e.kind == "duration":
            return {e.value.unit}
        if isinstance(e, Binary):
            return walk(e.left) | walk(e.right)
        if isinstance(e, Call):
            return set().union(*(walk(a) for a in e.args))
        return set()
    return walk(limit.expr) if limit.expr is not None else set()


__all__ = ["IF", "MAX_AMOUNT", "UNITS", "Limits", "Ty", "check_stage_order", "declared_times", "horizon",
           "horizon_warnings",
           "limit_units", "notices", "office_hours"]
