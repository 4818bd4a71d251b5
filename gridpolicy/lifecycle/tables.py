"""What the engine needs of a policy to step its cases, built once per policy: references of
tiers and departments, the working-day clock, and looking up who an event names."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..calendar import WorkCalendar
from ..clock import Clock, OfficeHours
from ..contract import Decision, Named, Reason, TierRef, UnitRef
from ..diagnostics import did_you_mean
from ..syntax.nodes import Duration, Span
from .events import Event, case_error
from .model import BLOCKS, NOTICE_KINDS, Lifecycle, NoticeStep, Target
from .state import CaseEvent, CaseReason, Notice, build, make
from .workdays import WorkdayClock

# A rung of an overdue ladder: (kind, after the deadline, to whom, label, file:line:column of the rule).
Rung = tuple[str, Duration, Named, str, str]

if TYPE_CHECKING:
    from ..runtime import Policy


class Tables:
    """A policy's references and clock, as the lifecycle engine reads them."""

    def __init__(self, policy: Policy, lifecycles: tuple[Lifecycle, ...]):
        model = policy.model
        self.policy = policy
        self.lifecycles = lifecycles
        self.by_route = {r: lc for lc in lifecycles for r in lc.routes}
        self.catch_all = next((lc for lc in lifecycles if not lc.routes), None)
        self.tz = ZoneInfo(model.header.timezone)
        self.calendar = WorkCalendar(model.calendar)
        self.tiers = {t.id: t for t in model.tiers}
        self.tier_order = [t.id for t in model.tiers]
        self.departments = {d.id: d for d in model.departments}
        self.dept_keys: dict[str, str] = {}
        for d in model.departments:
            for key in (d.id, d.name, d.short):
                if key:
                    self.dept_keys.setdefault(key, d.id)
        self.tier_refs = {t.id: TierRef(code=t.id, name=t.name, level=t.level) for t in model.tiers}
        self.dept_refs = {d.id: Named(code=d.id, name=d.name) for d in model.departments}
        self.tier_named = {t.id: Named(code=t.id, name=t.name) for t in model.tiers}
        self.lifecycle_refs = {lc.id: Named(code=lc.id, name=lc.name) for lc in lifecycles}
        # the (shared, frozen) reason each case under a lifecycle starts with
        self.lifecycle_reasons = {lc.id: CaseReason(kind="lifecycle", id=lc.id, event=None,
                                                    text_zh=f"案件按全程督办规则「{lc.name}」跟踪",
                                                    text_en=f"the case is tracked under lifecycle '{lc.id}'",
                                                    source=str(lc.span)) for lc in lifecycles}
        office = model.calendar.office_hours
        self.clock = WorkdayClock(self.calendar, self.tz,
                                  Clock(self.calendar, self.tz, OfficeHours(office) if office else None))
        self.add = self.clock.add
        self.workdays_between = self.clock.workdays_between
        # per lifecycle: its overdue ladder (for the routes it covers that have no notices of their own)
        self.ladders: dict[str, tuple[Rung, ...]] = {
            lc.id: tuple((s.kind, s.after, self.named(s.to), s.label, str(s.span)) for s in lc.overdue.ladder)  # type: ignore[misc]
            if lc.overdue is not None else () for lc in lifecycles}
        # per lifecycle: the blocks it has (for the events allowed next)
        self.blocks = {lc.id: frozenset(b for b in BLOCKS if lc.rule(b) is not None) for lc in lifecycles}
        # per return rule: each reason's code and label -> (code, label, the shared Named)
        self.return_reasons: dict[str, dict[str, tuple[str, str, Named]]] = {}
        for lc in lifecycles:
            if lc.returned is not None:
                rs = lc.returned.reasons
                plain = {**{c: (c, lbl) for c, lbl in rs}, **{lbl: (c, lbl) for c, lbl in rs}}
                refs = {pair: make(Named, {"code": pair[0], "name": pair[1]}) for pair in set(plain.values())}
                table = {key: (*pair, refs[pair]) for key, pair in plain.items()}
                self.return_reasons[lc.id] = table
        self._reasons: dict[tuple[str, str, str, str], CaseReason] = {}
        self._units: dict[str, Named] = {}
        # `str(span)` of every rule and notice step, by the span's identity (they live as long as the lifecycles)
        self._spans: dict[int, str] = {}
        for lc in lifecycles:
            for block in BLOCKS:
                rule = lc.rule(block)
                if rule is not None:
                    self._spans[id(rule.span)] = str(rule.span)  # type: ignore[attr-defined]
                    for step in getattr(rule, "ladder", ()):
                        self._spans[id(step.span)] = str(step.span)

    def src(self, span: Span) -> str:
        """`str(span)` (file:line:column) of a lifecycle rule's span."""
        hit = self._spans.get(id(span))
        return str(span) if hit is None else hit

    def note(self, note: tuple[Any, ...]) -> tuple[CaseEvent, CaseReason | None]:
        """The history entry and reason (if the note cites a rule) of a note `Run.notes` holds:
        (index, type, at, text_zh, text_en, source, reason id)."""
        index, kind, at, zh, en, source, rid = note
        event = make(CaseEvent, {"index": index, "type": kind, "at": at, "text_zh": zh, "text_en": en, "source": source})
        if rid is None:
            return event, None
        return event, make(CaseReason, {"kind": "lifecycle", "id": rid, "event": index, "text_zh": zh, "text_en": en,
                                        "source": source})

    # ---- references ----------------------------------------------------------------------

    def named(self, t: Target) -> Named:
        if t.department:
            return self.dept_refs[t.department]
        return self.tier_named[t.tier or ""]

    def department(self, ev: Event, key: str, allow_tier: bool = False) -> tuple[str | None, str | None]:
        """(department id, tier id) the event's field names; raises for an unknown name."""
        raw = ev.get(key)
        if raw in self.dept_keys:
            return self.dept_keys[raw], None
        if allow_tier and raw in self.tiers:
            return None, raw
        known = [*self.dept_keys, *(self.tiers if allow_tier else ())]
        guess = did_you_mean(str(raw), known)
        what = ("部门或层级", "department or tier") if allow_tier else ("部门", "department")
        raise case_error(f"{ev.path}.{key}", f"未知的{what[0]}“{raw}”" + (f"，是否想写“{guess}”？" if guess else ""),
                         f"unknown {what[1]} '{raw}'" + (f"; did you mean '{guess}'?" if guess else ""))

    def may_act(self, ev: Event, key: str, who: Target, what: tuple[str, str]) -> Named:
        """The department in `ev.key`, which must be `who` (or a department of tier `who`)."""
        dept, _ = self.department(ev, key)
        assert dept is not None
        if who.department == dept or (who.tier is not None and self.departments[dept].tier == who.tier):
            return self.dept_refs[dept]
        name = self.named(who)
        raise case_error(f"{ev.path}.{key}", f"“{self.dept_refs[dept].name}”无权{what[0]}：按规则应由“{name.name}”{what[0]}",
                         f"'{dept}' may not {what[1]}: the rules name '{name.code}'")

    def decision_reason(self, r: Reason) -> CaseReason:
        """The decision's reason as a case reason (shared: both are frozen)."""
        key = (r.kind, r.id, r.source, r.text_zh)
        hit = self._reasons.get(key)
        if hit is None:
            if len(self._reasons) > 10_000:
                self._reasons.clear()
            hit = self._reasons[key] = build(CaseReason, kind=r.kind, id=r.id, event=None, text_zh=r.text_zh,
                                             text_en=r.text_en, source=r.source)
        return hit

    def notice(self, step: NoticeStep, due: dt.datetime, stage: str | None) -> Notice:
        return build(Notice, kind=step.kind, kind_zh=NOTICE_KINDS[step.kind], to=self.named(step.to), due_at=due,
                      stage=stage, label=step.label, source=self.src(step.span))

    def unit(self, unit: UnitRef) -> Named:
        """The decision's unit (a grid, 居委会 or 街道办 from the registry) as the handler's `unit`."""
        hit = self._units.get(unit.code)
        if hit is None or hit.name != unit.name:
            hit = self._units[unit.code] = make(Named, {"code": unit.code, "name": unit.name})
        return hit

    def rung_notice(self, rung: Rung, due: dt.datetime, stage: str) -> Notice:
        """The notice of a rung of an overdue ladder, due at `due`, about `stage`."""
        kind, _after, to, label, source = rung
        return make(Notice, {"kind": kind, "kind_zh": NOTICE_KINDS[kind], "to": to, "due_at": due, "stage": stage,
                             "label": label, "source": source})

    def ladder_of(self, decision: Decision, lc: Lifecycle) -> tuple[Rung, ...]:
        """The overdue ladder of a case: the notices (催办, 督办, 通报, 约谈) of the route that
        decided it, when it declares any, else its lifecycle's `on overdue`. A transfer step is
        not a notice (the route's decision carries it)."""
        rungs = tuple((s.kind, Duration(s.after.amount, s.after.unit),
                       self.dept_refs[s.department.code] if s.department else self.tier_named[s.tier.code],  # type: ignore[union-attr]
                       s.label, source) for s in decision.escalation if s.kind != "transfer"
                      for source in (next((r.source for r in reversed(decision.reasons) if r.kind == "route"), ""),))
        return rungs or self.ladders[lc.id]
