"""Applying one event to the case so far: one handler per event type.

Each handler checks what depends on the case so far (an approval needs a request, nothing
after closing, only the handler may return it) and raises `CaseError` before it changes
anything; requests the rules refuse are recorded in the case, not raised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..diagnostics import did_you_mean
from ..syntax.nodes import Duration
from .events import TYPE_ZH, Event, case_error
from .model import BLOCK_OF, BLOCKS, FOLLOWUP_RESULTS, Lifecycle
from .run import Run, Stage, limit_of, set_fields
from .state import CaseReturn, Extension, build
from .tables import Tables


def rule_for(run: Run, ev: Event) -> Any:
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


def note(t: Tables, run: Run, ev: Event, zh: str, en: str, source: str = "", block: str | None = None) -> None:
    """Record what `ev` did; with a `source`, also the reason `<lifecycle>.<block>` citing it."""
    rid = f"{run.lifecycle.id}.{block or BLOCK_OF[ev.type]}" if source and run.lifecycle is not None else None
    run.notes.append((ev.index, ev.type, ev.at, zh, en, source, rid))


def need_handling(run: Run, ev: Event) -> Stage:
    stage = run.current
    if stage is None or stage.code not in ("handle", "redo") or run.base == "held":
        now = {"arbitration": "正在审定", "followup": "已办结待回访", "held": "已挂账"}.get(
            run.base if run.base == "held" else (stage.code if stage else ""), "不在办理中")
        raise case_error(f"{ev.path}.type", f"案件{now}，此时不能“{TYPE_ZH[ev.type]}”",
                         f"a {ev.type} event needs a case being handled (it is {run.base}"
                         + (f", stage {stage.code}" if stage else "") + ")")
    return stage


def apply(t: Tables, run: Run, ev: Event) -> None:
    """Apply one event to the case so far; raises `CaseError` if the case cannot take it."""
    HANDLERS[ev.type](t, run, ev, rule_for(run, ev))


def on_returned(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    stage = need_handling(run, ev)
    by, _ = t.department(ev, "by")
    assert by is not None
    lead = run.handler["lead"]
    if lead is not None and lead.code != by:
        raise case_error(f"{ev.path}.by", f"“{t.dept_refs[by].name}”不是本案承办单位（{lead.name}），不能退回",
                         f"'{by}' is not the handler ('{lead.code}') and cannot return the case")
    reasons = t.return_reasons[run.lifecycle.id]  # type: ignore[union-attr]
    reason = reasons.get(ev.get("reason"))
    if reason is None:
        guess = did_you_mean(ev.get("reason"), reasons)
        raise case_error(f"{ev.path}.reason", f"退回理由“{ev.get('reason')}”不在规则所列理由中（"
                         + "、".join(lbl for _, lbl in rule.reasons) + "）" + (f"，是否想写“{guess}”？" if guess else ""),
                         f"return reason '{ev.get('reason')}' is not one the rules allow ("
                         + ", ".join(c for c, _ in rule.reasons) + ")" + (f"; did you mean '{guess}'?" if guess else ""))
    src = t.src(rule.span)
    record = build(CaseReturn, event=ev.index, at=ev.at, by=t.dept_refs[by], reason=reason[2],
                        accepted=True, arbiter=t.named(rule.arbiter), arbitrated_to=None, arbitrated_at=None)
    if rule.within is not None and ev.at > t.add(stage.started, rule.within):
        set_fields(record, accepted=False)
        run.returns.append(record)
        note(t, run, ev, f"退回超过期限（派单后 {limit_of(rule.within).text_zh} 内），不予受理，原承办单位继续办理",
                  f"returned later than {rule.within} after dispatch: not accepted, the handler keeps the case", src)
        return
    run.returns.append(record)
    arb = Stage("arbitration", ev.at, t.add(ev.at, rule.limit) if rule.limit else None, rule.limit)
    run.stages.append(arb)
    run.current, run.base = arb, "arbitration"
    drop_pending(run, ev)
    run.pending_ext = None
    clock = "原时限继续计算" if rule.clock == "continue" else "审定后重新计时"
    note(t, run, ev, f"以“{reason[1]}”退回，交{record.arbiter.name}审定"  # type: ignore[union-attr]
              + (f"（{limit_of(rule.limit).text_zh}内）" if rule.limit else "") + f"；{clock}",
              f"returned ({reason[0]}): {record.arbiter.code} arbitrates"  # type: ignore[union-attr]
              + (f" within {rule.limit}" if rule.limit else "") + f"; clock: {rule.clock}", src)


def on_arbitrated(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    stage = run.current
    if stage is None or stage.code != "arbitration":
        raise case_error(f"{ev.path}.type", "没有待审定的退回：审定须在退回之后",
                         "an arbitration without a return: nothing is waiting for arbitration")
    dept, tier = t.department(ev, "to", allow_tier=True)
    stage.done = ev.at
    to = t.dept_refs[dept] if dept else t.tier_named[tier or ""]
    run.handler.update(lead=t.dept_refs[dept] if dept else None, assisting=[], roles=[], unit=None,
                       tier=t.tier_refs[t.departments[dept].tier if dept else tier or ""])
    ret = run.returns[-1]
    set_fields(ret, arbitrated_to=to, arbitrated_at=ev.at)
    handling = run.handling
    assert handling is not None
    if rule.clock == "restart" and run.route_limit is not None:
        handling.set_deadline(ev.at, t.add(ev.at, run.route_limit))
    run.current = handling
    run.base = "reopened" if handling.code == "redo" else "open"
    note(t, run, ev, f"审定：交“{to.name}”办理" + ("，重新计时" if rule.clock == "restart" else "，原时限继续计算"),
              f"arbitrated to {to.code}" + (", clock restarted" if rule.clock == "restart" else ", clock continues"),
              t.src(rule.span))


def drop_pending(run: Run, ev: Event) -> None:
    if run.pending_ext is not None:
        set_fields(run.pending_ext, status="refused", decided_at=ev.at)
    return None


def on_extension_requested(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    stage = need_handling(run, ev)
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
    src = t.src(rule.span)
    refusal = None
    if stage.deadline is None:
        refusal = ("本阶段没有时限，无需延期", "the stage has no deadline to extend")
    elif run.approved_ext >= rule.times:
        refusal = (f"延期最多批准 {rule.times} 次，已用完", f"at most {rule.times} extension(s) may be approved")
    elif rule.before is not None and t.add(ev.at, rule.before) > stage.deadline:
        refusal = (f"延期须在时限届满前 {limit_of(rule.before).text_zh}申请", f"an extension must be requested {rule.before} before the deadline")
    elif ev.at > stage.deadline:
        refusal = ("时限已过，不能再申请延期", "the deadline has passed: too late to ask for an extension")
    else:
        longest = t.add(stage.deadline, rule.max)
        asked = until if until is not None else t.add(stage.deadline, Duration(workdays, "workdays"))
        if asked > longest:
            refusal = (f"延期超过上限（最长 {limit_of(rule.max).text_zh}）", f"longer than the most the rules allow ({rule.max})")
    if refusal is not None:
        set_fields(ext, status="refused", decided_at=ev.at)
        note(t, run, ev, f"延期申请不予受理：{refusal[0]}", f"extension request refused: {refusal[1]}", src)
        return
    run.pending_ext = ext
    note(t, run, ev, f"申请延期（{f'{workdays} 个工作日' if workdays else '至 ' + until.isoformat()}），待{t.named(rule.approver).name}审批",
              f"extension requested; {t.named(rule.approver).code} approves", src)


def decide_ext(t: Tables, run: Run, ev: Event, rule: Any) -> Extension:
    ext = run.pending_ext
    if ext is None:
        raise case_error(f"{ev.path}.type", "没有待审批的延期申请：批准或驳回须在申请之后",
                         "an extension decision without a pending request")
    verb = ("批准延期", "approve extensions") if ev.type == "extension_approved" else ("驳回延期", "reject extensions")
    set_fields(ext, by=t.may_act(ev, "by", rule.approver, verb), decided_at=ev.at)
    run.pending_ext = None
    return ext


def on_extension_approved(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    ext = decide_ext(t, run, ev, rule)
    stage = run.handling
    assert stage is not None and stage.deadline is not None
    new = ext.until if ext.until is not None else t.add(stage.deadline, Duration(ext.workdays or 0, "workdays"))
    stage.set_deadline(ev.at, new)
    stage.extensions += 1
    run.approved_ext += 1
    set_fields(ext, status="approved", deadline=new)
    note(t, run, ev, f"{ext.by.name}批准延期，时限延至 {new.isoformat()}",  # type: ignore[union-attr]
              f"extension approved by {ext.by.code}: deadline now {new.isoformat()}", t.src(rule.span))  # type: ignore[union-attr]


def on_extension_rejected(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    ext = decide_ext(t, run, ev, rule)
    set_fields(ext, status="rejected")
    note(t, run, ev, f"{ext.by.name}驳回延期，原时限不变", f"extension rejected by {ext.by.code}",  # type: ignore[union-attr]
              t.src(rule.span))


def on_completed(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    if run.base == "held":
        unhold(run, ev)
    stage = need_handling(run, ev)
    if ev.get("by") is not None:
        t.department(ev, "by")
    stage.done = ev.at
    drop_pending(run, ev)
    run.pending_ext = None
    if rule is not None and rule.followup is not None:
        fu = Stage("followup", ev.at, t.add(ev.at, rule.followup), rule.followup)
        run.stages.append(fu)
        run.current, run.base = fu, "open"
        note(t, run, ev, f"办结，{limit_of(rule.followup).text_zh}内回访", f"completed; follow-up due within {rule.followup}",
                  t.src(rule.span))
    else:
        run.current, run.base = None, "closed"
        note(t, run, ev, "办结归档", "completed and closed", t.src(rule.span) if rule is not None else "")


def on_followup(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    stage = run.current
    if stage is None or stage.code != "followup":
        raise case_error(f"{ev.path}.type", "案件尚未办结，不能回访", "a follow-up needs a completed case")
    stage.done = ev.at
    result, reasonable = ev.get("result"), ev.get("reasonable")
    run.satisfaction = result
    lc = run.lifecycle
    assert lc is not None
    redo_on = rule.redo if rule is not None else ("dissatisfied",)
    src = t.src(rule.span) if rule is not None else ""
    if result in redo_on and not reasonable:
        run.counted = False
        run.current, run.base = None, "closed"
        note(t, run, ev, f"回访{FOLLOWUP_RESULTS[result]}，但诉求不合理：不重办，不计入承办单位",
                  f"follow-up {result} but the demand is unreasonable: not redone, not counted against the handler", src)
        return
    run.counted = True
    if result in redo_on and lc.reopened is not None:
        note(t, run, ev, f"回访{FOLLOWUP_RESULTS[result]}且诉求合理：重办", f"follow-up {result}, reasonable: redone", src)
        reopen(t, run, ev, lc)
        return
    run.current, run.base = None, "closed"
    note(t, run, ev, f"回访{FOLLOWUP_RESULTS[result]}，办结归档", f"follow-up {result}: closed", src)


def on_reopened(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    stage = run.current
    if run.base != "closed" and (stage is None or stage.code != "followup"):
        raise case_error(f"{ev.path}.type", "只有已办结（待回访或已归档）的案件才能重办",
                         "only a completed case (awaiting follow-up or closed) can be reopened")
    if stage is not None:
        stage.done = ev.at
    assert run.lifecycle is not None
    reopen(t, run, ev, run.lifecycle)


def reopen(t: Tables, run: Run, ev: Event, lc: Lifecycle) -> None:
    rule = lc.reopened
    assert rule is not None
    for step in rule.ladder:
        if step.count is not None and run.redos >= step.count and not any(
                n.source == t.src(step.span) for n in run.redo_notices):
            run.redo_notices.append(t.notice(step, ev.at, "redo"))
    run.redos += 1
    if rule.by == "above":
        tier = run.handler["tier"]
        idx = t.tier_order.index(tier.code) if tier is not None else -1
        up = t.tier_order[min(idx + 1, len(t.tier_order) - 1)]
        run.handler.update(lead=None, assisting=[], roles=[], unit=None, tier=t.tier_refs[up])
    limit = rule.limit or run.route_limit
    redo = Stage("redo", ev.at, t.add(ev.at, limit) if limit else None, limit)
    run.stages.append(redo)
    run.current = run.handling = redo
    run.base = "reopened"
    run.approved_ext = 0
    who = run.handler["lead"].name if run.handler["lead"] else run.handler["tier"].name
    note(t, run, ev, f"第 {run.redos} 次重办，由{who}办理" + (f"，时限 {limit_of(limit).text_zh}" if limit else ""),
              f"redo {run.redos} by {'the tier above' if rule.by == 'above' else 'the same unit'}", t.src(rule.span),
              "reopened")


def on_merged(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    for s in run.stages:
        if s.done is None:
            s.done = ev.at
    drop_pending(run, ev)
    run.pending_ext = None
    if run.base == "held":
        unhold(run, ev)
    run.current, run.base, run.merged_into = None, "merged", ev.get("into")
    note(t, run, ev, f"作为重复件并入案件 {ev.get('into')}：不再单独计时，进度随主案件",
              f"merged into case {ev.get('into')}: no own deadline, follows the primary", t.src(rule.span))


def on_held(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    need_handling(run, ev)
    drop_pending(run, ev)
    run.pending_ext = None
    run.base = "held"
    run.hold = {"reason": ev.get("reason"), "since": ev.at, "rule": rule}
    run.held_at.append((ev.at, None))
    note(t, run, ev, f"挂账：{ev.get('reason')}；每 {limit_of(rule.review).text_zh}由{t.named(rule.reviewer).name}复核",
              f"held: reviewed every {rule.review} by {t.named(rule.reviewer).code}", t.src(rule.span))


def unhold(run: Run, ev: Event) -> None:
    start, _ = run.held_at[-1]
    run.held_at[-1] = (start, ev.at)
    run.hold = None
    stage = run.handling
    run.base = "reopened" if stage is not None and stage.code == "redo" else "open"


def on_resumed(t: Tables, run: Run, ev: Event, rule: Any) -> None:
    if run.base != "held":
        raise case_error(f"{ev.path}.type", "案件未挂账，不能恢复办理", "only a held case can be resumed")
    unhold(run, ev)
    stage = run.handling
    assert stage is not None
    limit = stage.limit or run.route_limit
    stage.set_deadline(ev.at, t.add(ev.at, limit) if limit else None)
    note(t, run, ev, "恢复办理，重新计时" + (f"（{limit_of(limit).text_zh}）" if limit else ""),
              "resumed: the clock starts again", t.src(rule.span))


HANDLERS: dict[str, Callable[[Tables, Run, Event, Any], None]] = {
    "returned": on_returned, "arbitrated": on_arbitrated, "extension_requested": on_extension_requested,
    "extension_approved": on_extension_approved, "extension_rejected": on_extension_rejected,
    "completed": on_completed, "followup": on_followup, "reopened": on_reopened, "merged": on_merged,
    "held": on_held, "resumed": on_resumed,
}
