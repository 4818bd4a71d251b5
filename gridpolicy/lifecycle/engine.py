"""The step engine: the first decision plus a case's events -> its `CaseState` as of a time.

Pure and deterministic: the state depends only on the policy, the case and `at` (default:
the last event's time). Events after `at` are checked but do not act, so the state at a time
never depends on what happened later. Every event is checked before anything is built: a
bad event raises `CaseError` and no state is returned (nothing is half-applied).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from ..calendar import WorkCalendar
from ..contract import Decision, Named, Reason, TierRef, TimeLimit
from ..diagnostics import did_you_mean
from ..syntax.nodes import Duration, Span
from .events import TYPE_ZH, CaseError, Event, case_error, split_case
from .model import BLOCK_OF, BLOCKS, FOLLOWUP_RESULTS, NOTICE_KINDS, Lifecycle, NoticeStep, Target
from .state import (
    CaseEvent,
    CaseHandler,
    CaseReason,
    CaseReturn,
    CaseStage,
    CaseState,
    Extension,
    Hold,
    Notice,
    Overdue,
    build,
)

if TYPE_CHECKING:
    from ..runtime import Policy

STAGE_NAMES = {"handle": "办理", "arbitration": "审定", "followup": "回访", "redo": "重办"}
MAX_REVIEWS = 50  # review notices of a held case listed (the latest)


@dataclass
class _Stage:
    code: str
    started: dt.datetime
    deadline: dt.datetime | None
    limit: Duration | None
    done: dt.datetime | None = None
    # (from, deadline) for each deadline in force in turn; notices run from each
    segments: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)
    extensions: int = 0

    def __post_init__(self) -> None:
        self.segments.append((self.started, self.deadline))

    @property
    def original(self) -> dt.datetime | None:
        return self.segments[0][1]

    def set_deadline(self, at: dt.datetime, deadline: dt.datetime | None) -> None:
        self.deadline = deadline
        self.segments.append((at, deadline))


@dataclass
class _Run:
    """The case so far, while events are applied."""

    lifecycle: Lifecycle | None
    handler: dict[str, Any]
    stages: list[_Stage]
    base: str  # open | arbitration | held | merged | closed | reopened
    route_limit: Duration | None
    current: _Stage | None = None  # the running stage
    handling: _Stage | None = None  # the handle or redo stage the handler works in
    pending_ext: Extension | None = None
    approved_ext: int = 0
    extensions: list[Extension] = field(default_factory=list)
    returns: list[CaseReturn] = field(default_factory=list)
    redos: int = 0
    satisfaction: str | None = None
    counted: bool = True
    merged_into: str | None = None
    hold: dict[str, Any] | None = None
    held_at: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)  # held spans
    history: list[CaseEvent] = field(default_factory=list)
    reasons: list[CaseReason] = field(default_factory=list)
    redo_notices: list[Notice] = field(default_factory=list)


class CaseEngine:
    """Steps cases under one policy's lifecycles."""

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
        self._reasons: dict[tuple[str, str, str, str], CaseReason] = {}
        self._spans: dict[Span, str] = {}
        self._adds: dict[tuple[dt.datetime, Duration], dt.datetime] = {}

    # ---- time ----------------------------------------------------------------------------

    def add(self, start: dt.datetime, d: Duration) -> dt.datetime:
        key = (start, d)
        hit = self._adds.get(key)
        if hit is None:
            if len(self._adds) > 50_000:
                self._adds.clear()
            hit = self._adds[key] = self.calendar.add(start.astimezone(self.tz), d)[0]
        return hit

    def workdays_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working days after `start`'s date up to and including `end`'s date."""
        day, last, n = start.astimezone(self.tz).date(), end.astimezone(self.tz).date(), 0
        if (last - day).days > 800:
            return int((last - day).days * 5 / 7)
        while day < last:
            day += dt.timedelta(days=1)
            n += self.calendar.is_workday(day)
        return n

    def src(self, span: Span) -> str:
        """`str(span)` (file:line:column), cached: rules cite the same spans again and again."""
        hit = self._spans.get(span)
        if hit is None:
            hit = self._spans[span] = str(span)
        return hit

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

    # ---- the step --------------------------------------------------------------------------

    def step(self, case: Any, at: dt.datetime | None = None) -> CaseState:
        item, events = split_case(case)
        if at is not None and (at.tzinfo is None):
            raise case_error("at", "at 须带时区", "'at' needs an offset")
        decision = self.policy.route(dict(item) if not isinstance(item, dict) else item)
        when = at or (events[-1].at if events else decision.evaluated_at)
        run = self.start(decision)
        scratch: _Run | None = None  # events after `when` are applied to a copy: checked, not shown
        for ev in events:
            if ev.at > when and scratch is None:
                scratch = copy.deepcopy(run)
            self.apply(scratch or run, ev)
        return self.state(run, decision, when)

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

    def start(self, decision: Decision) -> _Run:
        handler = {"lead": decision.handlers.department, "assisting": [], "roles": list(decision.handlers.roles),
                   "unit": None, "tier": decision.tier}
        reasons = [self.decision_reason(r) for r in decision.reasons]
        if decision.outcome == "refuse":
            return _Run(None, handler, [], "closed", None, reasons=reasons)
        route = next((r.id for r in reversed(decision.reasons) if r.kind == "route"), None)
        lc = self.by_route.get(route or "", self.catch_all)
        limit = Duration(decision.time_limit.amount, decision.time_limit.unit) if decision.time_limit else None
        stage = _Stage("handle", decision.evaluated_at if decision.deadline is None else _start_of(decision),
                       decision.deadline, limit)
        run = _Run(lc, handler, [stage], "open", limit, current=stage, handling=stage, reasons=reasons)
        if lc is not None:
            run.reasons.append(self.lifecycle_reasons[lc.id])
        return run

    # ---- applying events -------------------------------------------------------------------

    def rule(self, run: _Run, ev: Event) -> Any:
        block = BLOCK_OF[ev.type]
        lc = run.lifecycle
        if run.base in ("closed", "merged") and not (ev.type == "reopened" and run.base == "closed"):
            why = ("案件已合并到其他案件" if run.base == "merged" else "案件已办结归档", "the case was merged" if run.base == "merged"
                   else "the case is closed")
            raise case_error(f"{ev.path}.type", f"{why[0]}，之后不能再有“{TYPE_ZH[ev.type]}”事件",
                             f"{why[1]}: no {ev.type} event may follow")
        if lc is None:
            raise case_error(f"{ev.path}.type", "没有适用于此案件的全程督办规则", "no lifecycle covers this case")
        rule = lc.rule(block) if block != "completed" else lc.completed
        if rule is None and block not in ("completed", "followup"):
            raise case_error(f"{ev.path}.type", f"全程督办规则「{lc.name}」没有“{BLOCKS[block]}”规则块，不能处理“{TYPE_ZH[ev.type]}”事件",
                             f"lifecycle '{lc.id}' has no '{block}' block for a {ev.type} event")
        return rule

    def note(self, run: _Run, ev: Event, zh: str, en: str, source: str = "", block: str | None = None) -> None:
        """Record what `ev` did; with a `source`, also the reason `<lifecycle>.<block>` citing it."""
        run.history.append(build(CaseEvent, index=ev.index, type=ev.type, at=ev.at, text_zh=zh, text_en=en,
                                 source=source))
        if source and run.lifecycle is not None:
            run.reasons.append(build(CaseReason, kind="lifecycle", id=f"{run.lifecycle.id}.{block or BLOCK_OF[ev.type]}",
                                     event=ev.index, text_zh=zh, text_en=en, source=source))

    def need_handling(self, run: _Run, ev: Event) -> _Stage:
        stage = run.current
        if stage is None or stage.code not in ("handle", "redo") or run.base == "held":
            now = {"arbitration": "正在审定", "followup": "已办结待回访", "held": "已挂账"}.get(
                run.base if run.base == "held" else (stage.code if stage else ""), "不在办理中")
            raise case_error(f"{ev.path}.type", f"案件{now}，此时不能“{TYPE_ZH[ev.type]}”",
                             f"a {ev.type} event needs a case being handled (it is {run.base}"
                             + (f", stage {stage.code}" if stage else "") + ")")
        return stage

    def apply(self, run: _Run, ev: Event) -> None:
        rule = self.rule(run, ev)
        getattr(self, f"e_{ev.type}")(run, ev, rule)

    def e_returned(self, run: _Run, ev: Event, rule: Any) -> None:
        stage = self.need_handling(run, ev)
        by, _ = self.department(ev, "by")
        assert by is not None
        lead = run.handler["lead"]
        if lead is not None and lead.code != by:
            raise case_error(f"{ev.path}.by", f"“{self.dept_refs[by].name}”不是本案承办单位（{lead.name}），不能退回",
                             f"'{by}' is not the handler ('{lead.code}') and cannot return the case")
        reasons = {**{c: (c, lbl) for c, lbl in rule.reasons}, **{lbl: (c, lbl) for c, lbl in rule.reasons}}
        reason = reasons.get(ev.get("reason"))
        if reason is None:
            guess = did_you_mean(ev.get("reason"), reasons)
            raise case_error(f"{ev.path}.reason", f"退回理由“{ev.get('reason')}”不在规则所列理由中（"
                             + "、".join(lbl for _, lbl in rule.reasons) + "）" + (f"，是否想写“{guess}”？" if guess else ""),
                             f"return reason '{ev.get('reason')}' is not one the rules allow ("
                             + ", ".join(c for c, _ in rule.reasons) + ")" + (f"; did you mean '{guess}'?" if guess else ""))
        src = self.src(rule.span)
        record = build(CaseReturn, event=ev.index, at=ev.at, by=self.dept_refs[by], reason=Named(code=reason[0], name=reason[1]),
                            accepted=True, arbiter=self.named(rule.arbiter), arbitrated_to=None, arbitrated_at=None)
        if rule.within is not None and ev.at > self.add(stage.started, rule.within):
            _set(record, accepted=False)
            run.returns.append(record)
            self.note(run, ev, f"退回超过期限（派单后 {_limit(rule.within).text_zh} 内），不予受理，原承办单位继续办理",
                      f"returned later than {rule.within} after dispatch: not accepted, the handler keeps the case", src)
            return
        run.returns.append(record)
        arb = _Stage("arbitration", ev.at, self.add(ev.at, rule.limit) if rule.limit else None, rule.limit)
        run.stages.append(arb)
        run.current, run.base = arb, "arbitration"
        self.drop_pending(run, ev)
        run.pending_ext = None
        clock = "原时限继续计算" if rule.clock == "continue" else "审定后重新计时"
        self.note(run, ev, f"以“{reason[1]}”退回，交{record.arbiter.name}审定"  # type: ignore[union-attr]
                  + (f"（{_limit(rule.limit).text_zh}内）" if rule.limit else "") + f"；{clock}",
                  f"returned ({reason[0]}): {record.arbiter.code} arbitrates"  # type: ignore[union-attr]
                  + (f" within {rule.limit}" if rule.limit else "") + f"; clock: {rule.clock}", src)

    def e_arbitrated(self, run: _Run, ev: Event, rule: Any) -> None:
        stage = run.current
        if stage is None or stage.code != "arbitration":
            raise case_error(f"{ev.path}.type", "没有待审定的退回：审定须在退回之后",
                             "an arbitration without a return: nothing is waiting for arbitration")
        dept, tier = self.department(ev, "to", allow_tier=True)
        stage.done = ev.at
        to = self.dept_refs[dept] if dept else self.tier_named[tier or ""]
        run.handler.update(lead=self.dept_refs[dept] if dept else None, assisting=[], roles=[],
                           tier=self.tier_refs[self.departments[dept].tier if dept else tier or ""])
        ret = run.returns[-1]
        _set(ret, arbitrated_to=to, arbitrated_at=ev.at)
        handling = run.handling
        assert handling is not None
        if rule.clock == "restart" and run.route_limit is not None:
            handling.set_deadline(ev.at, self.add(ev.at, run.route_limit))
        run.current = handling
        run.base = "reopened" if handling.code == "redo" else "open"
        self.note(run, ev, f"审定：交“{to.name}”办理" + ("，重新计时" if rule.clock == "restart" else "，原时限继续计算"),
                  f"arbitrated to {to.code}" + (", clock restarted" if rule.clock == "restart" else ", clock continues"),
                  self.src(rule.span))

    def drop_pending(self, run: _Run, ev: Event) -> None:
        if run.pending_ext is not None:
            _set(run.pending_ext, status="refused", decided_at=ev.at)
        return None

    def e_extension_requested(self, run: _Run, ev: Event, rule: Any) -> None:
        stage = self.need_handling(run, ev)
        if run.pending_ext is not None:
            raise case_error(f"{ev.path}.type", f"已有待审批的延期申请（events[{run.pending_ext.event}]），须先批准或驳回",
                             f"an extension request is already pending (events[{run.pending_ext.event}])")
        workdays, until = ev.get("workdays"), ev.get("until")
        if until is not None and stage.deadline is not None and until <= stage.deadline:
            raise case_error(f"{ev.path}.until", f"延至时间须晚于现时限 {stage.deadline.isoformat()}",
                             f"'until' must be after the current deadline {stage.deadline.isoformat()}")
        ext = build(Extension, event=ev.index, requested_at=ev.at, workdays=workdays, until=until, reason=ev.get("reason"),
                        status="pending", decided_at=None, by=None, deadline=None)
        run.extensions.append(ext)
        src = self.src(rule.span)
        refusal = None
        if stage.deadline is None:
            refusal = ("本阶段没有时限，无需延期", "the stage has no deadline to extend")
        elif run.approved_ext >= rule.times:
            refusal = (f"延期最多批准 {rule.times} 次，已用完", f"at most {rule.times} extension(s) may be approved")
        elif rule.before is not None and self.add(ev.at, rule.before) > stage.deadline:
            refusal = (f"延期须在时限届满前 {_limit(rule.before).text_zh}申请", f"an extension must be requested {rule.before} before the deadline")
        elif ev.at > stage.deadline:
            refusal = ("时限已过，不能再申请延期", "the deadline has passed: too late to ask for an extension")
        else:
            longest = self.add(stage.deadline, rule.max)
            asked = until if until is not None else self.add(stage.deadline, Duration(workdays, "workdays"))
            if asked > longest:
                refusal = (f"延期超过上限（最长 {_limit(rule.max).text_zh}）", f"longer than the most the rules allow ({rule.max})")
        if refusal is not None:
            _set(ext, status="refused", decided_at=ev.at)
            self.note(run, ev, f"延期申请不予受理：{refusal[0]}", f"extension request refused: {refusal[1]}", src)
            return
        run.pending_ext = ext
        self.note(run, ev, f"申请延期（{f'{workdays} 个工作日' if workdays else '至 ' + until.isoformat()}），待{self.named(rule.approver).name}审批",
                  f"extension requested; {self.named(rule.approver).code} approves", src)

    def decide_ext(self, run: _Run, ev: Event, rule: Any) -> Extension:
        ext = run.pending_ext
        if ext is None:
            raise case_error(f"{ev.path}.type", "没有待审批的延期申请：批准或驳回须在申请之后",
                             "an extension decision without a pending request")
        verb = ("批准延期", "approve extensions") if ev.type == "extension_approved" else ("驳回延期", "reject extensions")
        _set(ext, by=self.may_act(ev, "by", rule.approver, verb), decided_at=ev.at)
        run.pending_ext = None
        return ext

    def e_extension_approved(self, run: _Run, ev: Event, rule: Any) -> None:
        ext = self.decide_ext(run, ev, rule)
        stage = run.handling
        assert stage is not None and stage.deadline is not None
        new = ext.until if ext.until is not None else self.add(stage.deadline, Duration(ext.workdays or 0, "workdays"))
        stage.set_deadline(ev.at, new)
        stage.extensions += 1
        run.approved_ext += 1
        _set(ext, status="approved", deadline=new)
        self.note(run, ev, f"{ext.by.name}批准延期，时限延至 {new.isoformat()}",  # type: ignore[union-attr]
                  f"extension approved by {ext.by.code}: deadline now {new.isoformat()}", self.src(rule.span))  # type: ignore[union-attr]

    def e_extension_rejected(self, run: _Run, ev: Event, rule: Any) -> None:
        ext = self.decide_ext(run, ev, rule)
        _set(ext, status="rejected")
        self.note(run, ev, f"{ext.by.name}驳回延期，原时限不变", f"extension rejected by {ext.by.code}",  # type: ignore[union-attr]
                  self.src(rule.span))

    def e_completed(self, run: _Run, ev: Event, rule: Any) -> None:
        if run.base == "held":
            self.unhold(run, ev)
        stage = self.need_handling(run, ev)
        if ev.get("by") is not None:
            self.department(ev, "by")
        stage.done = ev.at
        self.drop_pending(run, ev)
        run.pending_ext = None
        if rule is not None and rule.followup is not None:
            fu = _Stage("followup", ev.at, self.add(ev.at, rule.followup), rule.followup)
            run.stages.append(fu)
            run.current, run.base = fu, "open"
            self.note(run, ev, f"办结，{_limit(rule.followup).text_zh}内回访", f"completed; follow-up due within {rule.followup}",
                      self.src(rule.span))
        else:
            run.current, run.base = None, "closed"
            self.note(run, ev, "办结归档", "completed and closed", self.src(rule.span) if rule is not None else "")

    def e_followup(self, run: _Run, ev: Event, rule: Any) -> None:
        stage = run.current
        if stage is None or stage.code != "followup":
            raise case_error(f"{ev.path}.type", "案件尚未办结，不能回访", "a follow-up needs a completed case")
        stage.done = ev.at
        result, reasonable = ev.get("result"), ev.get("reasonable")
        run.satisfaction = result
        lc = run.lifecycle
        assert lc is not None
        redo_on = rule.redo if rule is not None else ("dissatisfied",)
        src = self.src(rule.span) if rule is not None else ""
        if result in redo_on and not reasonable:
            run.counted = False
            run.current, run.base = None, "closed"
            self.note(run, ev, f"回访{FOLLOWUP_RESULTS[result]}，但诉求不合理：不重办，不计入承办单位",
                      f"follow-up {result} but the demand is unreasonable: not redone, not counted against the handler", src)
            return
        run.counted = True
        if result in redo_on and lc.reopened is not None:
            self.note(run, ev, f"回访{FOLLOWUP_RESULTS[result]}且诉求合理：重办", f"follow-up {result}, reasonable: redone", src)
            self.reopen(run, ev, lc)
            return
        run.current, run.base = None, "closed"
        self.note(run, ev, f"回访{FOLLOWUP_RESULTS[result]}，办结归档", f"follow-up {result}: closed", src)

    def e_reopened(self, run: _Run, ev: Event, rule: Any) -> None:
        stage = run.current
        if run.base != "closed" and (stage is None or stage.code != "followup"):
            raise case_error(f"{ev.path}.type", "只有已办结（待回访或已归档）的案件才能重办",
                             "only a completed case (awaiting follow-up or closed) can be reopened")
        if stage is not None:
            stage.done = ev.at
        assert run.lifecycle is not None
        self.reopen(run, ev, run.lifecycle)

    def reopen(self, run: _Run, ev: Event, lc: Lifecycle) -> None:
        rule = lc.reopened
        assert rule is not None
        for step in rule.ladder:
            if step.count is not None and run.redos >= step.count and not any(
                    n.source == self.src(step.span) for n in run.redo_notices):
                run.redo_notices.append(self.notice(step, ev.at, "redo"))
        run.redos += 1
        if rule.by == "above":
            tier = run.handler["tier"]
            idx = self.tier_order.index(tier.code) if tier is not None else -1
            up = self.tier_order[min(idx + 1, len(self.tier_order) - 1)]
            run.handler.update(lead=None, assisting=[], roles=[], tier=self.tier_refs[up])
        limit = rule.limit or run.route_limit
        redo = _Stage("redo", ev.at, self.add(ev.at, limit) if limit else None, limit)
        run.stages.append(redo)
        run.current = run.handling = redo
        run.base = "reopened"
        run.approved_ext = 0
        who = run.handler["lead"].name if run.handler["lead"] else run.handler["tier"].name
        self.note(run, ev, f"第 {run.redos} 次重办，由{who}办理" + (f"，时限 {limit.text_zh}" if limit else ""),
                  f"redo {run.redos} by {'the tier above' if rule.by == 'above' else 'the same unit'}", self.src(rule.span),
                  "reopened")

    def e_merged(self, run: _Run, ev: Event, rule: Any) -> None:
        for s in run.stages:
            if s.done is None:
                s.done = ev.at
        self.drop_pending(run, ev)
        run.pending_ext = None
        if run.base == "held":
            self.unhold(run, ev)
        run.current, run.base, run.merged_into = None, "merged", ev.get("into")
        self.note(run, ev, f"作为重复件并入案件 {ev.get('into')}：不再单独计时，进度随主案件",
                  f"merged into case {ev.get('into')}: no own deadline, follows the primary", self.src(rule.span))

    def e_held(self, run: _Run, ev: Event, rule: Any) -> None:
        self.need_handling(run, ev)
        self.drop_pending(run, ev)
        run.pending_ext = None
        run.base = "held"
        run.hold = {"reason": ev.get("reason"), "since": ev.at, "rule": rule}
        run.held_at.append((ev.at, None))
        self.note(run, ev, f"挂账：{ev.get('reason')}；每 {_limit(rule.review).text_zh}由{self.named(rule.reviewer).name}复核",
                  f"held: reviewed every {rule.review} by {self.named(rule.reviewer).code}", self.src(rule.span))

    def unhold(self, run: _Run, ev: Event) -> None:
        start, _ = run.held_at[-1]
        run.held_at[-1] = (start, ev.at)
        run.hold = None
        stage = run.handling
        run.base = "reopened" if stage is not None and stage.code == "redo" else "open"

    def e_resumed(self, run: _Run, ev: Event, rule: Any) -> None:
        if run.base != "held":
            raise case_error(f"{ev.path}.type", "案件未挂账，不能恢复办理", "only a held case can be resumed")
        self.unhold(run, ev)
        stage = run.handling
        assert stage is not None
        limit = stage.limit or run.route_limit
        stage.set_deadline(ev.at, self.add(ev.at, limit) if limit else None)
        self.note(run, ev, "恢复办理，重新计时" + (f"（{limit.text_zh}）" if limit else ""),
                  "resumed: the clock starts again", self.src(rule.span))

    # ---- the state at a time ---------------------------------------------------------------

    def notice(self, step: NoticeStep, due: dt.datetime, stage: str | None) -> Notice:
        return build(Notice, kind=step.kind, kind_zh=NOTICE_KINDS[step.kind], to=self.named(step.to), due_at=due,
                      stage=stage, label=step.label, source=self.src(step.span))

    def ladder_notices(self, run: _Run, when: dt.datetime) -> tuple[list[Notice], list[Notice]]:
        """(notices due by `when`, notices still to come) of the overdue ladder."""
        lc = run.lifecycle
        due: list[Notice] = []
        coming: list[Notice] = []
        if lc is None or lc.overdue is None:
            return due, coming
        for stage in run.stages:
            if stage.code not in ("handle", "redo"):
                continue
            for k, (_start, deadline) in enumerate(stage.segments):
                if deadline is None:
                    continue
                end = stage.segments[k + 1][0] if k + 1 < len(stage.segments) else stage.done
                for step in lc.overdue.ladder:
                    assert step.after is not None
                    t = self.add(deadline, step.after)
                    if end is not None and t >= end or self.held(run, t):
                        continue
                    (due if t <= when else coming).append(self.notice(step, t, stage.code))
        return due, coming

    @staticmethod
    def held(run: _Run, t: dt.datetime) -> bool:
        return any(a <= t and (b is None or t < b) for a, b in run.held_at)

    def state(self, run: _Run, decision: Decision, when: dt.datetime) -> CaseState:
        due, coming = self.ladder_notices(run, when)
        due += [n for n in run.redo_notices if n.due_at <= when]
        hold = None
        if run.hold is not None:
            rule = run.hold["rule"]
            since: dt.datetime = run.hold["since"]
            reviews, t = [], self.add(since, rule.review)
            while t <= when:
                reviews.append(t)
                t = self.add(t, rule.review)
            reviewer = self.named(rule.reviewer)
            src = self.src(rule.span)
            due += [build(Notice, kind="review", kind_zh="挂账复核", to=reviewer, due_at=r, stage=None,
                           label="挂账案件定期复核", source=src) for r in reviews[-MAX_REVIEWS:]]
            coming.append(build(Notice, kind="review", kind_zh="挂账复核", to=reviewer, due_at=t, stage=None,
                                 label="挂账案件定期复核", source=src))
            hold = build(Hold, reason=run.hold["reason"], since=since, review_every=_limit(rule.review), reviewer=reviewer,
                        next_review=t)
        due.sort(key=lambda n: n.due_at)
        overdue = None
        status = run.base
        current = run.current
        running = [s for s in (current, run.handling if current is not None and current.code == "arbitration" else None)
                   if s is not None and s.done is None and s.code != "followup" and s.deadline is not None]
        if status not in ("held", "merged", "closed"):
            late = [s for s in running if s.deadline < when]  # type: ignore[operator]
            if late:
                s = min(late, key=lambda s: s.deadline)  # type: ignore[arg-type,return-value]
                assert s.deadline is not None
                minutes = int((when - s.deadline).total_seconds() // 60)
                days = self.workdays_between(s.deadline, when)
                overdue = build(Overdue, stage=s.code, deadline=s.deadline, minutes=minutes, workdays=days,
                                  text_zh=f"{STAGE_NAMES[s.code]}逾期 {days} 个工作日（{minutes // 60} 小时 {minutes % 60} 分）")
                status = "overdue"
        coming = [n for n in coming if n.due_at > when and status not in ("closed", "merged")]
        h = run.handler
        return build(CaseState,
            case_id=decision.item_id, status=status, at=when,
            lifecycle=self.lifecycle_refs[run.lifecycle.id] if run.lifecycle else None,
            handler=build(CaseHandler, lead=h["lead"], assisting=h["assisting"], roles=h["roles"], unit=h["unit"], tier=h["tier"]),
            stages=[build(CaseStage, code=s.code, name=STAGE_NAMES[s.code], started_at=s.started, deadline=s.deadline,
                              original_deadline=s.original, limit=_limit(s.limit) if s.limit else None,
                              completed_at=s.done, extensions=s.extensions) for s in run.stages],
            deadline=current.deadline if current is not None and current.done is None else None,
            overdue=overdue, notices=due, next_notice=min(coming, key=lambda n: n.due_at) if coming else None,
            next_events=self.next_events(run), extensions=run.extensions, returns=run.returns, redos=run.redos,
            satisfaction=run.satisfaction, counted_against_handler=run.counted,
            merged_into=run.merged_into, hold=hold, history=run.history, reasons=run.reasons,
            decision=decision, policy=decision.policy)

    def next_events(self, run: _Run) -> list[str]:
        lc = run.lifecycle
        if lc is None or run.base == "merged":
            return []
        has = {b for b in BLOCKS if lc.rule(b) is not None}
        out: list[str] = []
        stage = run.current
        if run.base == "closed":
            return ["reopened"] if "reopened" in has else []
        if run.base == "held":
            out += ["resumed", "completed"]
        elif stage is not None and stage.code == "arbitration":
            out.append("arbitrated")
        elif stage is not None and stage.code == "followup":
            out += ["followup"] + (["reopened"] if "reopened" in has else [])
        elif stage is not None:
            if "returned" in has:
                out.append("returned")
            if run.pending_ext is not None:
                out += ["extension_approved", "extension_rejected"]
            elif lc.extension is not None and run.approved_ext < lc.extension.times and stage.deadline is not None:
                out.append("extension_requested")
            out.append("completed")
            if "held" in has:
                out.append("held")
        if "merged" in has:
            out.append("merged")
        return out


def _set(model: BaseModel, **fields: Any) -> None:
    """Update fields of a model the engine built (every field already set): no validation."""
    model.__dict__.update(fields)


def _start_of(decision: Decision) -> dt.datetime:
    """When the first stage started: the item's report time (the decision's clock start)."""
    return decision.evaluated_at


_LIMITS: dict[Duration, TimeLimit] = {}


def _limit(d: Duration) -> TimeLimit:
    """The (shared, frozen) `TimeLimit` of a duration."""
    hit = _LIMITS.get(d)
    if hit is None:
        if len(_LIMITS) > 1000:
            _LIMITS.clear()
        hit = _LIMITS[d] = TimeLimit(amount=d.amount, unit=d.unit, text_zh=d.text_zh)  # type: ignore[arg-type]
    return hit


def step(policy: Policy, lifecycles: tuple[Lifecycle, ...], case: Mapping[str, Any],
         at: dt.datetime | None = None) -> CaseState:
    """`CaseEngine(policy, lifecycles).step(case, at)` (builds the engine each call)."""
    return CaseEngine(policy, lifecycles).step(case, at)


__all__ = ["CaseEngine", "CaseError", "step"]
