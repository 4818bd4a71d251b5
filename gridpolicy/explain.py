"""Decisions explained for a person (Chinese first, then English)."""

from __future__ import annotations

from .contract import Decision


def explain(d: Decision) -> str:
    lines = [f"事项 item {d.item_id}（{'问题' if d.kind == 'issue' else '下派任务'} {d.kind}）"]
    m = d.matter
    if m.code and m.resolved == "class":
        major = f" / {m.major.name}" if m.major else ""
        lines.append(f"  事项 matter: {m.code} {m.name} — 分类 {m.classification}{major}，{m.type}")
    elif m.code:
        lines.append(f"  事项 matter: {m.code} {m.name} — 清单 {m.list}，批次 {m.batch or '—'}，状态 {m.status}")
    else:
        lines.append(f"  事项 matter: {m.query or '（未给出）'} — 未列入清单 unlisted")
    if d.outcome == "refuse":
        lines.append("  结论 outcome: 拒绝下派网格 refuse")
        if d.handlers.department:
            lines.append(f"  退回 back to: {d.handlers.department.name}（{d.handlers.department.code}）")
        if d.referral:
            lines.append(f"  去向 go to: {_channel(d)}")
    elif d.outcome == "redirect":
        lines.append(f"  结论 outcome: 转介 redirect — {_channel(d)}")
        if d.referral and d.referral.reason:
            lines.append(f"  告知 tell the requester: {d.referral.reason}")
    else:
        assert d.tier is not None
        lines.append(f"  结论 outcome: 办理 handle — {d.tier.name}（{d.tier.code}，第 {d.tier.level} 级）")
        people = [r.name for r in d.handlers.roles]
        if d.handlers.department:
            people.append(d.handlers.department.name)
        if d.handlers.lead:
            lines.append(f"  主办 lead: {d.handlers.lead.name}")
        if d.handlers.assisting:
            lines.append(f"  协办 assisting: {'、'.join(a.name for a in d.handlers.assisting)}")
        if people:
            lines.append(f"  承办 handlers: {'、'.join(people)}")
        if d.dispatch:
            lines.append(f"  派单 dispatch: {d.dispatch}")
        if d.outcome == "hold" and d.hold:
            lines.append(f"  挂账 hold: 每 {d.hold.review.text_zh} 复核，下次 next review {d.hold.next_review.isoformat()}")
        for st in d.stages:
            lines.append(f"  阶段 stage {st.name}（{st.code}）: {st.limit.text_zh}，截止 deadline {st.deadline.isoformat()}")
        if d.deadline and d.time_limit and not d.stages:
            lines.append(f"  时限 limit: {d.time_limit.text_zh}，截止 deadline {d.deadline.isoformat()}")
        for n, s in enumerate(d.escalation, 1):
            target = s.department.name if s.department else s.tier.name if s.tier else ""
            lines.append(f"  升级 escalation {n}: 超时 {s.after.text_zh} 后（{s.due.isoformat()}）→ {target}")
    lines.append("  依据 reasons:")
    for r in d.reasons:
        lines.append(f"    - {r.text_zh}" + (f"  [{r.source}]" if r.source else ""))
    lines.append(f"  规则版本 policy: {d.policy.name} {d.policy.version} ({d.policy.digest[:12]})")
    return "\n".join(lines)


def _channel(d: Decision) -> str:
    if d.referral is None:
        return "—"
    c = d.referral.channel
    return f"{c.name}（{c.code}）" + (f"，电话 {c.contact}" if c.contact else "")
