"""A case state as text for a person (Chinese first, English after): `gridpolicy case --explain`."""

from __future__ import annotations

import datetime as dt

from .model import FOLLOWUP_RESULTS
from .state import CaseState

STATUS_ZH = {"open": "办理中", "arbitration": "审定中", "overdue": "已逾期", "held": "挂账", "merged": "已合并",
             "closed": "已办结", "reopened": "重办中"}
EVENT_ZH = {"returned": "退回", "arbitrated": "审定", "extension_requested": "申请延期",
            "extension_approved": "批准延期", "extension_rejected": "驳回延期", "completed": "办结", "followup": "回访",
            "reopened": "重办", "merged": "合并", "held": "挂账", "resumed": "恢复办理"}


def _t(t: dt.datetime | None) -> str:
    return "—" if t is None else t.isoformat(timespec="minutes")


def explain_case(state: CaseState) -> str:
    """The state, the case's timeline and the rules that acted, as lines of text."""
    h = state.handler
    who = h.lead.name if h.lead else (h.tier.name if h.tier else "—")
    roles = "、".join(r.name for r in h.roles)
    lines = [f"案件 {state.case_id}：{STATUS_ZH[state.status]}（{state.status}），截至 {_t(state.at)}",
             f"  承办 handler: {who}" + (f"（{roles}）" if roles else "")
             + (f"；协办 {'、'.join(a.name for a in h.assisting)}" if h.assisting else "")]
    if state.lifecycle:
        lines.append(f"  督办规则 lifecycle: {state.lifecycle.name}（{state.lifecycle.code}）")
    for s in state.stages:
        ext = f"，延期 {s.extensions} 次（原 {_t(s.original_deadline)}）" if s.extensions else ""
        done = f"，{_t(s.completed_at)} 结束" if s.completed_at else "，进行中"
        lines.append(f"  阶段 {s.name}（{s.code}）：{_t(s.started_at)} 起，时限 {_t(s.deadline)}{ext}{done}")
    if state.overdue:
        lines.append(f"  逾期 overdue: {state.overdue.text_zh} — {state.overdue.minutes} min past {_t(state.overdue.deadline)}")
    if state.satisfaction:
        lines.append(f"  回访 follow-up: {FOLLOWUP_RESULTS[state.satisfaction]}"
                     + ("" if state.counted_against_handler else "（诉求不合理，不计入承办单位 not counted）"))
    if state.merged_into:
        lines.append(f"  并入 merged into: {state.merged_into}")
    p = state.primary
    while p is not None:  # the progress the merged case follows (and that of its primary's primary)
        ph = p.handler
        lines.append(f"  主案件 primary {p.case_id}：{STATUS_ZH[p.status]}（{p.status}），承办 "
                     f"{ph.lead.name if ph.lead else (ph.tier.name if ph.tier else '—')}"
                     + (f"，时限 {_t(p.deadline)}" if p.deadline else "")
                     + (f"，{p.overdue.text_zh}" if p.overdue else ""))
        p = p.primary
    if state.hold:
        lines.append(f"  挂账 held: {state.hold.reason}；下次复核 next review {_t(state.hold.next_review)}"
                     f"（{state.hold.reviewer.name}）")
    if state.history:
        lines.append("  时间线 timeline:")
        for e in state.history:
            lines.append(f"    [{e.index}] {_t(e.at)} {EVENT_ZH.get(e.type, e.type)}（{e.type}）：{e.text_zh}"
                         + (f"  ← {e.source}" if e.source else ""))
            lines.append(f"        {e.text_en}")
    if state.notices:
        lines.append("  已到期的通知 notices due:")
        lines += [f"    {_t(n.due_at)} {n.kind_zh}（{n.kind}）→ {n.to.name}：{n.label}  ← {n.source}" for n in state.notices]
    if state.next_notice:
        n = state.next_notice
        lines.append(f"  下一条通知 next notice: {_t(n.due_at)} {n.kind_zh}（{n.kind}）→ {n.to.name}：{n.label}")
    lines.append("  下一步可以 next events: " + ("、".join(f"{EVENT_ZH[e]}（{e}）" for e in state.next_events) or "—"))
    lines.append("  依据 reasons:")
    for r in state.reasons:
        at = f"[{r.event}] " if r.event is not None else ""
        lines.append(f"    {at}{r.text_zh}" + (f"  ← {r.source}" if r.source else ""))
    return "\n".join(lines)
