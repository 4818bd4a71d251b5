"""The case so far -> its `CaseState` as of a time: notices due and to come, overdue, the
events allowed next."""

from __future__ import annotations

import datetime as dt

from ..contract import Decision
from .model import BLOCKS
from .run import Run, limit_of
from .state import CaseHandler, CaseStage, CaseState, Hold, Notice, Overdue, build
from .tables import Tables

STAGE_NAMES = {"handle": "办理", "arbitration": "审定", "followup": "回访", "redo": "重办"}
MAX_REVIEWS = 50  # review notices of a held case listed (the latest)


def ladder_notices(t: Tables, run: Run, when: dt.datetime) -> tuple[list[Notice], list[Notice]]:
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
                at = t.add(deadline, step.after)
                if end is not None and at >= end or held(run, at):
                    continue
                (due if at <= when else coming).append(t.notice(step, at, stage.code))
    return due, coming


def held(run: Run, at: dt.datetime) -> bool:
    """Whether the case was held at `at`."""
    return any(a <= at and (b is None or at < b) for a, b in run.held_at)


def state(t: Tables, run: Run, decision: Decision, when: dt.datetime) -> CaseState:
    due, coming = ladder_notices(t, run, when)
    due += [n for n in run.redo_notices if n.due_at <= when]
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
        coming.append(build(Notice, kind="review", kind_zh="挂账复核", to=reviewer, due_at=review, stage=None,
                             label="挂账案件定期复核", source=src))
        hold = build(Hold, reason=run.hold["reason"], since=since, review_every=limit_of(rule.review), reviewer=reviewer,
                    next_review=review)
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
            days = t.workdays_between(s.deadline, when)
            overdue = build(Overdue, stage=s.code, deadline=s.deadline, minutes=minutes, workdays=days,
                              text_zh=f"{STAGE_NAMES[s.code]}逾期 {days} 个工作日（{minutes // 60} 小时 {minutes % 60} 分）")
            status = "overdue"
    coming = [n for n in coming if n.due_at > when and status not in ("closed", "merged")]
    h = run.handler
    return build(CaseState,
        case_id=decision.item_id, status=status, at=when,
        lifecycle=t.lifecycle_refs[run.lifecycle.id] if run.lifecycle else None,
        handler=build(CaseHandler, lead=h["lead"], assisting=h["assisting"], roles=h["roles"], unit=h["unit"], tier=h["tier"]),
        stages=[build(CaseStage, code=s.code, name=STAGE_NAMES[s.code], started_at=s.started, deadline=s.deadline,
                          original_deadline=s.original, limit=limit_of(s.limit) if s.limit else None,
                          completed_at=s.done, extensions=s.extensions) for s in run.stages],
        deadline=current.deadline if current is not None and current.done is None else None,
        overdue=overdue, notices=due, next_notice=min(coming, key=lambda n: n.due_at) if coming else None,
        next_events=next_events(run), extensions=run.extensions, returns=run.returns, redos=run.redos,
        satisfaction=run.satisfaction, counted_against_handler=run.counted,
        merged_into=run.merged_into, hold=hold, history=run.history, reasons=run.reasons,
        decision=decision, policy=decision.policy)


def next_events(run: Run) -> list[str]:
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

