"""One page per lifecycle rule set (全程跟踪督办): the ladder of notices as a timeline, who
arbitrates returns, the extension rules, follow-up and redo, 挂账 and merged duplicates."""

from __future__ import annotations

from ...lifecycle.check import CLOCKS, REDOERS
from ...lifecycle.model import FOLLOWUP_RESULTS, NOTICE_KINDS, Lifecycle, NoticeStep, Target
from ..context import Context
from ..markdown import anchor, attr, cell, text
from .common import head


def _who(ctx: Context, t: Target) -> str:
    return ctx.dept_name(t.department) if t.department else ctx.tier_name(t.tier)


def _step_text(ctx: Context, s: NoticeStep) -> str:
    return f"{NOTICE_KINDS[s.kind]}（{s.kind}）→ {_who(ctx, s.to)}" + (f"：{s.label}" if s.label else "")


def ladder(ctx: Context, lc: Lifecycle) -> str:
    """The overdue ladder as a timeline that reflows (boxes and arrows, like the flow chart)."""
    steps = lc.overdue.ladder if lc.overdue else ()
    out = [f'<ol class="gp-flow gp-ladder" aria-label="督办阶梯 ladder of notices: {attr(lc.name)}">',
           '<li class="gp-flow__tier"><strong>派单 dispatched</strong><ul><li>按分流规则的时限办理 '
           "handled within the route's time limit</li></ul></li>",
           '<li class="gp-flow__step"><span>⬇ 时限届满未办结 deadline passes</span></li>',
           '<li class="gp-flow__tier"><strong>逾期 overdue</strong><ul><li>承办单位仍在办理 the handler keeps the case'
           "</li></ul></li>"]
    for s in steps:
        after = s.after.text_zh if s.after else ""
        out.append(f'<li class="gp-flow__step"><span>⬇ 逾期 {attr(after)} overdue by {attr(str(s.after))}</span></li>')
        out.append(f'<li class="gp-flow__tier" id="{attr(anchor("notice", lc.id, s.kind, str(s.span.line)))}">'
                   f"<strong>{attr(NOTICE_KINDS[s.kind])} {attr(s.kind)}</strong>"
                   f"<ul><li>→ {attr(_who(ctx, s.to))}</li>" + (f"<li>{attr(s.label)}</li>" if s.label else "")
                   + "</ul></li>")
    out.append("</ol>")
    return "\n".join(out)


def own_ladders(ctx: Context, lc: Lifecycle) -> list[str]:
    """The routes the lifecycle covers that have notices of their own: their cases follow those,
    not the lifecycle's ladder (one ladder per case, language.md#one-ladder)."""
    others = {r for x in ctx.m.lifecycles if x is not lc for r in x.routes}
    covered = [r for r in ctx.m.routes if (r.id in lc.routes if lc.routes else r.id not in others)]
    own = [(r, [e for e in r.escalation if e.kind != "transfer"]) for r in covered]
    own = [(r, steps) for r, steps in own if steps]
    if not own:
        return []
    lines = ["以下分流规则写了自己的督促，其案件按各自的阶梯督办，不用上面的阶梯。 These routes declare notices of "
             "their own: their cases follow those instead of the ladder above.", "",
             "| 分流规则 Route | 督促 Notices | 定义 Source |", "| --- | --- | --- |"]
    for r, steps in own:
        notices = "；".join(f"逾期 {e.after.text_zh} {NOTICE_KINDS[e.kind]} → "
                           f"{ctx.dept_name(e.department) if e.department else ctx.tier_name(e.tier)}" for e in steps)
        lines.append(f"| {cell(r.name)} | {cell(notices)} | {ctx.src(r.span)} |")
    return [*lines, ""]


def page(ctx: Context, lc: Lifecycle) -> str:
    lines = head(f"全程跟踪督办 Case lifecycle：{lc.name}",
                 "分流之后案件的每一步由这些规则决定：退回与审定、延期、逾期督办、办结回访、重办、挂账和重复件合并。"
                 "网格平台和 12345 系统把案件事件交给规则，得到案件当前状态。 What happens to a case after its first "
                 "routing: returns and arbitration, extensions, notices when overdue, follow-up and redo, holding "
                 "and merged duplicates.")
    lines += [f"编号 Id：`{lc.id}` · 定义位置 Source：{ctx.src(lc.span)}", ""]
    routes = "、".join(next((r.name for r in ctx.m.routes if r.id == rid), rid) for rid in lc.routes)
    lines += [f"适用 Applies to：{cell(routes) if routes else '其余所有分流规则 every other route'}", ""]
    lines += ctx.meta_lines(lc.meta)
    lines += ["## 逾期督办阶梯 Ladder of notices { #ladder }", ""]
    if lc.overdue:
        lines += ["通知发给督办方，案件仍由承办单位办理；时间从时限届满起算，延期后从新时限起算。 Notices go to a "
                  "supervisor while the handler keeps the case; counted from the deadline (the extended one, "
                  "after an extension).", "", ladder(ctx, lc), ""]
        lines += ["| 时间 After | 通知 Notice | 对象 To | 说明 | 定义 Source |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| 逾期 {text(s.after.text_zh if s.after else '')} | {NOTICE_KINDS[s.kind]} {s.kind} | "
                  f"{cell(_who(ctx, s.to))} | {cell(s.label)} | {ctx.src(s.span)} |" for s in lc.overdue.ladder]
        lines += [""] + ctx.meta_lines(lc.overdue.meta)
    else:
        lines += ["（未规定逾期督办 no ladder）", ""]
    lines += own_ladders(ctx, lc)
    lines += ["## 退回与审定 Who arbitrates returns { #returns }", ""]
    r = lc.returned
    if r:
        lines += [f"承办单位认为不属本单位职责的，可在派单后 **{text(r.within.text_zh) if r.within else '任何时候'}**内"
                  f"说明理由退回，由 **{text(_who(ctx, r.arbiter))}** "
                  f"{'在 **' + text(r.limit.text_zh) + '** 内' if r.limit else ''}审定交由谁办理；审定期间"
                  f"{'原时限继续计算' if r.clock == 'continue' else '审定后重新计时'}（{CLOCKS[r.clock]} {r.clock}）。"
                  f" Returns within {text(str(r.within)) if r.within else 'any time'} of dispatch, with a reason; "
                  f"{text(r.arbiter.code)} arbitrates; clock: {r.clock}.", "",
                  "| 退回理由 Reason | 代码 Code | 审定 Arbiter |", "| --- | --- | --- |"]
        lines += [f"| {cell(lbl)} | `{c}` | {cell(_who(ctx, r.arbiter))} |" for c, lbl in r.reasons]
        lines += ["", f"定义位置 Source：{ctx.src(r.span)}", ""] + ctx.meta_lines(r.meta)
    else:
        lines += ["（未规定退回 no returns）", ""]
    lines += ["## 延期 Extensions { #extensions }", ""]
    e = lc.extension
    if e:
        lines += [f"- **审批 Approver：** {cell(_who(ctx, e.approver))}",
                  f"- **最长 Longest：** {text(e.max.text_zh)}（每次批准 per approval）",
                  f"- **次数 Times：** 最多批准 {e.times} 次 at most {e.times}",
                  "- **申请时间 When：** " + (f"时限届满前 {text(e.before.text_zh)}申请 at least {text(str(e.before))} "
                                            "before the deadline" if e.before else "时限届满前 before the deadline"),
                  "- 太晚、太长或次数用完的申请不予受理；批准后督办从新时限起算。 Late, too long or too many requests are "
                  "refused; after approval the notices run from the new deadline.",
                  "", f"定义位置 Source：{ctx.src(e.span)}", ""] + ctx.meta_lines(e.meta)
    else:
        lines += ["（不允许延期 no extensions）", ""]
    lines += ["## 办结、回访与重办 Completion, follow-up and redo { #followup }", ""]
    if lc.completed:
        lines += ["- **回访 Follow-up：** " + (f"办结后 {text(lc.completed.followup.text_zh)}内回访"
                                               if lc.completed.followup else "办结即归档（不回访）"),
                  f"  — {ctx.src(lc.completed.span)}"]
        lines += ctx.meta_lines(lc.completed.meta)
    redo_on = lc.followup.redo if lc.followup else ("dissatisfied",)
    lines += [f"- **重办 Redo when：** 回访{'、'.join(FOLLOWUP_RESULTS[x] for x in redo_on)}且诉求合理；"
              "诉求不合理的不重办，不计入承办单位 (an unreasonable demand is not redone and not counted)", ""]
    if lc.followup:
        lines += ctx.meta_lines(lc.followup.meta)
    if lc.reopened:
        ro = lc.reopened
        lines += [f"- **重办单位 Redone by：** {REDOERS[ro.by]}（{ro.by}）",
                  f"- **重办时限 Redo limit：** {text(ro.limit.text_zh) if ro.limit else '同原分流时限 the route limit'}"]
        lines += [f"- **第 {s.count} 次重办后仍不满意 after {s.count} failed redos：** {cell(_step_text(ctx, s))}"
                  for s in ro.ladder]
        lines += ["", f"定义位置 Source：{ctx.src(ro.span)}", ""] + ctx.meta_lines(ro.meta)
    lines += ["## 挂账与重复件 Holding and duplicates { #held }", ""]
    if lc.held:
        lines += [f"- **挂账 Held：** 不再计逾期，每 {text(lc.held.review.text_zh)}由{cell(_who(ctx, lc.held.reviewer))}"
                  f"复核 — {ctx.src(lc.held.span)}"]
        lines += [""] + ctx.meta_lines(lc.held.meta)
    if lc.merged:
        lines += [f"- **重复件 Duplicates：** 并入主案件，不再单独计时，进度随主案件 — {ctx.src(lc.merged.span)}", ""]
        lines += ctx.meta_lines(lc.merged.meta)
    if not lc.held and not lc.merged:
        lines += ["（未规定 none）", ""]
    return "\n".join(lines)


def build(ctx: Context) -> dict[str, str]:
    return {f"lifecycle-{lc.id}.md": page(ctx, lc) for lc in ctx.m.lifecycles}
