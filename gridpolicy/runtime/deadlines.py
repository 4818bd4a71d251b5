"""Deadlines and escalation: time limits (constant, depending on the item, or staged; a route's,
or the item's catalogue class's where the route declares none) added to the report time on the policy's clock (`gridpolicy.clock`), and each escalation step's kind,
tier, department and due time."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from ..calendar import WorkCalendar
from ..clock import WHOLE_UNITS, Clock, OfficeHours
from ..contract import Named, Reason, TierRef, TimeLimit
from ..engine.compiler import Compiler
from ..model import EventClass, Limit, PolicyModel, Route
from ..syntax.limits import MAX_DURATION
from ..syntax.nodes import Binary, Call, Duration, Expr, Literal
from .reasons import Refs

Plan = tuple[tuple[Duration, TimeLimit, TierRef, "Named | None", str, str], ...]
LimitFn = Callable[[dict[str, Any]], "Duration | None"]
# What a route's decisions compute for their times: None (no limit), a constant `Duration`,
# a function of the item's values, or its stages as (code, name, Duration or function).
Times = tuple[tuple[str, str, "Duration | LimitFn"], ...]


class Deadlines:
    def __init__(self, model: PolicyModel, refs: Refs, compiler: Compiler | None = None):
        cal = model.calendar
        self.calendar = WorkCalendar(cal)
        self.clock = Clock(self.calendar, ZoneInfo(model.header.timezone),
                           OfficeHours(cal.office_hours) if cal.office_hours else None)
        self._refs = refs
        self._tiers = model.tiers
        self._tier_index = {t.id: i for i, t in enumerate(model.tiers)}
        self._departments = {d.id: d for d in model.departments}
        self._due_cache: dict[tuple[dt.date, float], tuple[dt.timedelta, bool]] = {}
        self._plans: dict[tuple[str, str], Plan] = {}
        self._compiler = compiler
        self._wall = self.clock.wall
        # Per route: how its limit is computed (see `Times`), None without a limit.
        self.times: tuple[Times | LimitFn | Duration | None, ...] = tuple(self._times(r) for r in model.routes)
        # Per catalogue class with a limit of its own: what a route without one uses for it.
        self.class_times: dict[str, Times | LimitFn | Duration] = {
            c.id: t for c in model.classes if (t := self._times(c)) is not None}
        # The `TimeLimit` of each constant class limit (the fast path's).
        self.class_limits = {k: refs.limit(t) for k, t in self.class_times.items() if type(t) is Duration}

    # ---- adding limits ------------------------------------------------------------------

    def add(self, start: dt.datetime, limit: Duration) -> tuple[dt.datetime, bool]:
        """`Clock.add` for a local `start`, with the working-day arithmetic cached per (date,
        amount); the result as `exact_time` writes it."""
        if limit.unit != "workdays":
            return self.clock.add(start, limit)
        if start.tzinfo is not self.clock.tz:  # e.g. a deadline written in UTC (`exact_time`)
            start = self.clock.local(start)
        day = start.date()
        key = (day, limit.amount)
        hit = self._due_cache.get(key)
        if hit is None:
            if len(self._due_cache) >= 100_000:
                self._due_cache.clear()
            due_day, estimated = self.clock.workday_after(day, int(limit.amount))
            hit = self._due_cache[key] = (due_day - day, estimated)  # whole days
        days, estimated = hit
        if start.fold:  # `+` would drop the fold of an ambiguous local time; `replace` keeps it
            due_day = day + days
            return self._wall(start.replace(year=due_day.year, month=due_day.month, day=due_day.day)), estimated
        return self._wall(start + days), estimated  # the same time of day, `days` later

    def deadline(self, i: int, values: dict[str, Any], local: dt.datetime, reasons: list[Reason]
                 ) -> tuple[dt.datetime | None, TimeLimit | None, list[dict[str, Any]], bool]:
        """Route i's deadline for an item reported at `local`: (deadline, its `TimeLimit`,
        the stages' fields, whether the calendar was estimated); a calendar reason is added."""
        return self.deadline_of(self.times[i], values, local, reasons)

    def deadline_of(self, times: Times | LimitFn | Duration | None, values: dict[str, Any], local: dt.datetime,
                    reasons: list[Reason]) -> tuple[dt.datetime | None, TimeLimit | None, list[dict[str, Any]], bool]:
        """`deadline` for a route's or a class's compiled times."""
        due: dt.datetime | None
        if times is None:
            return None, None, [], False
        if type(times) is Duration:
            due, estimated = self.add(local, times)
            if estimated:
                reasons.append(self._refs.calendar(due.year))
            return due, self._refs.limit(times), [], estimated
        if not isinstance(times, tuple):
            limit = times(values)  # type: ignore[operator]
            if limit is None:
                return None, None, [], False
            due, estimated = self.add(local, limit)
            if estimated:
                reasons.append(self._refs.calendar(due.year))
            return due, self._refs.limit(limit), [], estimated
        stages = []
        estimated = False
        due = None
        time_limit = None
        for code, name, spec in times:
            limit = spec if type(spec) is Duration else spec(values)  # type: ignore[operator]
            if limit is None:
                continue
            stage_due, guessed = self.add(local, limit)
            if due is not None and stage_due < due:  # an item-dependent stage never ends earlier
                stage_due = due
            estimated |= guessed
            due = stage_due
            time_limit = self._refs.limit(limit)
            stages.append({"code": code, "name": name, "limit": time_limit, "deadline": stage_due})
        if estimated and due is not None:
            reasons.append(self._refs.calendar(due.year))
        return due, time_limit, stages, estimated

    def _times(self, decl: Route | EventClass) -> Times | LimitFn | Duration | None:
        if decl.stages:
            return tuple((s.code, s.name, self._limit_fn(s.limit)) for s in decl.stages)
        spec = decl.limit_spec if isinstance(decl, Route) else decl.limit
        if spec is not None:
            return self._limit_fn(spec)
        return decl.limit if isinstance(decl, Route) else None

    def _limit_fn(self, limit: Limit) -> Duration | LimitFn:
        if limit.const is not None:
            return limit.const
        assert limit.expr is not None and self._compiler is not None
        return compile_limit(limit.expr, self._compiler)

    # ---- escalation ---------------------------------------------------------------------

    def escalation(self, route: Route, tier_id: str, start: dt.datetime,
                   reasons: list[Reason]) -> list[dict[str, Any]]:
        """The fields of each escalation step."""
        plan = self._plans.get((route.id, tier_id))
        if plan is None:
            plan = self._plans[(route.id, tier_id)] = self._plan(route, tier_id)
        steps = []
        for after, limit, tier_ref, dept_ref, label, kind in plan:
            due, estimated = self.add(start, after)
            if estimated:
                reasons.append(self._refs.calendar(due.year))
            steps.append({"after": limit, "due": due, "tier": tier_ref, "department": dept_ref, "label": label,
                          "kind": kind})
        return steps

    def _plan(self, route: Route, tier_id: str) -> Plan:
        """The escalation steps of `route` decided at tier `tier_id`, but for their due times.
        A transfer moves the case (later steps start from its tier); a notice does not."""
        plan = []
        holder = tier_id
        for step in route.escalation:
            dept_ref = None
            target = holder
            if step.department:
                dept_ref = self._refs.departments[step.department]
                target = self._departments[step.department].tier
            elif step.tier == "above":
                idx = min(self._tier_index[holder] + 1, len(self._tiers) - 1)
                target = self._tiers[idx].id
            elif step.tier:
                target = step.tier
            if step.kind == "transfer":
                holder = target
            plan.append((step.after, self._refs.limit(step.after), self._refs.tiers[target], dept_ref, step.label,
                         step.kind))
        return tuple(plan)


def compile_limit(e: Expr, compiler: Compiler) -> LimitFn:
    """A typed limit expression (see `check.clocks`) as a function of the item's values: the
    `Duration`, or None when a number it reads is missing. Amounts are kept within [0, the
    longest literal] and whole for days and workdays (rounded up)."""
    fn = _compile(e, compiler)

    def limit(values: dict[str, Any]) -> Duration | None:
        d = fn(values)
        if d is None:
            return None
        amount = min(max(d.amount, 0.0), float(MAX_DURATION[d.unit]))
        if d.unit in WHOLE_UNITS and not amount.is_integer():
            amount = float(math.ceil(amount))
        return d if amount == d.amount else Duration(amount, d.unit)
    return limit


def _compile(e: Expr, compiler: Compiler) -> Callable[[dict[str, Any]], Duration | None]:
    if isinstance(e, Literal):
        value = e.value
        return lambda v: value
    if isinstance(e, Call):  # if(condition, a, b)
        cond = compiler.condition(e.args[0])
        a, b = _compile(e.args[1], compiler), _compile(e.args[2], compiler)
        return lambda v: a(v) if cond(v) else b(v)
    assert isinstance(e, Binary)
    if e.op == "*":
        n = compiler.compile(e.left)
        d = e.right.value  # type: ignore[attr-defined]

        def times(v: dict[str, Any]) -> Duration | None:
            k = n(v)
            if k is None or isinstance(k, bool) or not isinstance(k, (int, float)) or k != k:
                return None
            return Duration(float(k) * d.amount, d.unit)
        return times
    left, right = _compile(e.left, compiler), _compile(e.right, compiler)

    def plus(v: dict[str, Any]) -> Duration | None:
        a, b = left(v), right(v)
        if a is None or b is None:
            return None
        return Duration(a.amount + b.amount, a.unit)
    return plus
