"""Deadlines and escalation: a time limit added to the report time on the policy's working
calendar, and each escalation step's tier, department and due time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..calendar import WorkCalendar
from ..contract import Named, Reason, TierRef, TimeLimit
from ..model import PolicyModel, Route
from ..syntax.nodes import Duration
from .reasons import Refs

Plan = tuple[tuple[Duration, TimeLimit, TierRef, "Named | None", str], ...]


class Deadlines:
    def __init__(self, model: PolicyModel, refs: Refs):
        self.calendar = WorkCalendar(model.calendar)
        self._refs = refs
        self._tiers = model.tiers
        self._tier_index = {t.id: i for i, t in enumerate(model.tiers)}
        self._departments = {d.id: d for d in model.departments}
        self._due_cache: dict[tuple[dt.date, float], tuple[dt.timedelta, bool]] = {}
        self._plans: dict[tuple[str, str], Plan] = {}

    def add(self, start: dt.datetime, limit: Duration) -> tuple[dt.datetime, bool]:
        """`WorkCalendar.add`, with the working-day arithmetic cached per (date, amount)."""
        if limit.unit != "workdays":
            return self.calendar.add(start, limit)
        day = start.date()
        key = (day, limit.amount)
        hit = self._due_cache.get(key)
        if hit is None:
            if len(self._due_cache) >= 100_000:
                self._due_cache.clear()
            due, estimated = self.calendar.add(start, limit)
            hit = self._due_cache[key] = (due.date() - day, estimated)  # whole days
            return due, estimated
        days, estimated = hit
        if start.fold:  # `+` would drop the fold of an ambiguous local time; `replace` keeps it
            due_day = day + days
            return start.replace(year=due_day.year, month=due_day.month, day=due_day.day), estimated
        return start + days, estimated  # the same time of day, `days` later (as `replace` gives)

    def escalation(self, route: Route, tier_id: str, start: dt.datetime,
                    reasons: list[Reason]) -> list[dict[str, Any]]:
        """The fields of each escalation step."""
        plan = self._plans.get((route.id, tier_id))
        if plan is None:
            plan = self._plans[(route.id, tier_id)] = self._plan(route, tier_id)
        steps = []
        for after, limit, tier_ref, dept_ref, label in plan:
            due, estimated = self.add(start, after)
            if estimated:
                reasons.append(self._refs.calendar(due.year))
            steps.append({"after": limit, "due": due, "tier": tier_ref, "department": dept_ref, "label": label})
        return steps

    def _plan(self, route: Route, tier_id: str) -> Plan:
        """The escalation steps of `route` decided at tier `tier_id`, but for their due times."""
        plan = []
        current = tier_id
        for step in route.escalation:
            dept_ref = None
            if step.department:
                dept_ref = self._refs.departments[step.department]
                current = self._departments[step.department].tier
            elif step.tier == "above":
                idx = min(self._tier_index[current] + 1, len(self._tiers) - 1)
                current = self._tiers[idx].id
            elif step.tier:
                current = step.tier
            plan.append((step.after, self._refs.limit(step.after), self._refs.tiers[current], dept_ref, step.label))
        return tuple(plan)
