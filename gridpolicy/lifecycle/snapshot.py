"""The case so far -> its `CaseState` as of a time: notices due and to come, overdue, the
events allowed next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..contract import Decision
from .run import Run, copy_model, limit_of
from .state import CaseEvent, CaseHandler, CaseReason, CaseStage, CaseState, Hold, Notice, Overdue, build, make
from .tables import Rung, Tables

STAGE_NAMES = {"handle": "办理", "arbitration": "审定", "followup": "回访", "redo": "重办"}
MAX_REVIEWS = 50  # review notices of a held case listed (the latest)


@dataclass(slots=True)
class Summary:
    """What a state takes from the case run, whatever `at` is: kept with the run, so a case
    stepped again (or asked about at another time) builds only what depends on `at`."""

    ladder: list[tuple[dt.datetime, Rung, str]]  # each overdue notice the case can get, in order
    stages: list[dict[str, Any]]  # the fields of each CaseStage
    handler: dict[str, Any]
    history: list[CaseEvent]
    reasons: list[CaseReason]
    running: list[tuple[dt.datetime, str]]  # (deadline, stage) of the stages running, for overdue
    deadline: dt.datetime | None
    next_events: list[str]


def summary(t: Tables, run: Run) -> Summary:
    got = run.summary
    if got is not None:
        return got
    history, reasons = [], list(run.reasons)
    for note in run.notes:
        event, reason = t.note(note)
        history.append(event)
        if reason is not None:
            reasons.append(reason)
    current = run.current
    running = [(s.deadline, s.code)
               for s in (current, run.handling if current is not None and current.code == "arbitration" else None)
               if s is not None and s.done is None and s.code != "followup" and s.deadline is not None]
    h = run.handler
    got = run.summary = Summary(
        ladder=ladder(t, run),
        stages=[{"code": s.code, "name": STAGE_NAMES[s.code], "started_at": s.started, "deadline": s.deadline,
                 "original_deadline": s.original, "limit": limit_of(s.limit) if s.limit else None,
                 "completed_at": s.done, "extensions": s.extensions} for s in run.stages],
        handler={"lead": h["lead"], "assisting": h["assisting"], "roles": h["roles"], "unit": h["unit"], "tier": h["tier"]},
        history=history, reasons=reasons, running=running,
        deadline=current.deadline if current is not None and current.done is None else None,
        next_events=next_events(t, run))
    return got


def ladder(t: Tables, run: Run) -> list[tuple[dt.datetime, Rung, str]]:
    """Every notice of the overdue ladder the case gets at any time, (due, step, stage), in
    order: for each deadline in force in turn, each step after it, unless the deadline was
    replaced, the stage ended or the case was held by then."""
    out: list[tuple[dt.datetime, Rung, str]] = []
    steps = run.ladder
    if not steps:
        return out
    add, held_at = t.add, run.held_at
    for stage in run.stages:
        code = stage.code
        if code != "handle" and code != "redo":
            continue
        segments = stage.segments
        last = len(segments) - 1
        for k, (_start, deadline) in enumerate(segments):
            if deadline is None:
                continue
            end = segments[k + 1][0] if k < last else stage.done
            for step in steps:
                at = add(deadline, step[1])
                if end is not None and at >= end or held_at and held(run, at):
                    continue
                out.append((at, step, code))
    return out


def held(run: Run, at: dt.datetime) -> bool:
    """Whether the case was held at `at`."""
    return any(a <= at and (b is None or at < b) for a, b in run.held_at)


def state(t: Tables, run: Run, decision: Decision, when: dt.datetime) -> CaseState:
    """The case as of `when`: a new state (sharing only frozen values with the run)."""
    base = summary(t, run)
    due: list[Notice] = []
    coming: tuple[dt.datetime, Any] | None = None  # the next notice: (due, step and stage, or the notice)
    for at, step, code in base.ladder:
        if at <= when:
            due.append(t.rung_notice(step, at, code))
        elif coming is None or at < coming[0]:
            coming = (at, (step, at, code))
    due += [copy_model(n) for n in run.redo_notices if n.due_at <= when]
    hold = None
    if run.hold is not None:
        rule = run.hold["rule"]
        since: dt.datetime = run.hold["since"]
        reviews, review = [], t.add(since, rule.review)
        while review <= when:
            reviews.append(review)
            review = t.add(review, rule.review)
        reviewer = t.named(rule.reviewer)
        src = t.src(rule.span)
        due += [build(Notice, kind="review", kind_zh="挂账复核", to=reviewer, due_at=r, stage=None,
                      label="挂账案件定期复核", source=src) for r in reviews[-MAX_REVIEWS:]]
        if coming is None or review < coming[0]:
            coming = (review, build(Notice, kind="review", kind_zh="挂账复核", to=reviewer, due_at=review, stage=None,
                                    label="挂账案件定期复核", source=src))
        hold = build(Hold, reason=run.hold["reason"], since=since, review_every=limit_of(rule.review), reviewer=reviewer,
                     next_review=review)
    if len(due) > 1:
        due.sort(key=_due)
    overdue = None
    status = run.base
    if status != "held" and status != "merged" and status != "closed":
        late = [entry for entry in base.running if entry[0] < when]
        if late:
            deadline, code = min(late, key=_first)
            minutes = int((when - deadline).total_seconds() // 60)
            days = t.workdays_between(deadline, when)
            overdue = build(Overdue, stage=code, deadline=deadline, minutes=minutes, workdays=days,
                            text_zh=f"{STAGE_NAMES[code]}逾期 {days} 个工作日（{minutes // 60} 小时 {minutes % 60} 分）")
            status = "overdue"
    next_notice = None
    if coming is not None and status != "closed" and status != "merged":
        first = coming[1]
        next_notice = first if isinstance(first, Notice) else t.rung_notice(*first)
    h = base.handler
    return make(CaseState, {
        "case_id": decision.item_id, "status": status, "at": when,
        "lifecycle": t.lifecycle_refs[run.lifecycle.id] if run.lifecycle else None,
        "handler": make(CaseHandler, {**h, "assisting": list(h["assisting"]), "roles": list(h["roles"])}),
        "stages": [make(CaseStage, dict(fields)) for fields in base.stages],
        "deadline": base.deadline, "overdue": overdue, "notices": due, "next_notice": next_notice,
        "next_events": list(base.next_events), "extensions": [copy_model(e) for e in run.extensions],
        "returns": [copy_model(r) for r in run.returns], "redos": run.redos, "satisfaction": run.satisfaction,
        "counted_against_handler": run.counted, "merged_into": run.merged_into, "hold": hold,
        "history": list(base.history), "reasons": list(base.reasons), "decision": decision, "policy": decision.policy,
        "primary": None})


def _first(entry: tuple[dt.datetime, Any]) -> dt.datetime:
    return entry[0]


def _due(notice: Notice) -> dt.datetime:
    return notice.due_at


def next_events(t: Tables, run: Run) -> list[str]:
    lc = run.lifecycle
    if lc is None or run.base == "merged":
        return []
    has = t.blocks[lc.id]
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

