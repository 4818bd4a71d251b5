"""The routing rules ("三办"): the five-level flow chart, then one card per rule in order."""

from __future__ import annotations

from ...syntax.printer import expr_text
from ..context import Context
from ..markdown import anchor, cell, code, text
from ..words import Words
from .chart import render
from .common import head
from .targets import escalation_steps, limit_words, route_tier

OUTCOME_WORDS = {"redirect": "转介（不作为网格或 12345 工单）redirect", "hold": "挂账 hold (standing register)",
                 "refuse": "不予受理 refuse"}


def build(ctx: Context) -> dict[str, str]:
    words = Words(ctx)
    h = ctx.m.header
    rule = ("按顺序逐条判断，第一条条件成立的规则决定去向（标注“继续”的规则只追加承办人，判断继续）。 Rules are tried "
            "in order; the first whose condition holds decides (rules marked 'continue' add handlers and "
            "matching goes on)." if h.routing == "first" else
            "每件事项只能匹配一条规则（顺序不影响结果）。 Exactly one rule may match each item; order does not "
            "matter.")
    lines = head("分流规则 Routing（“三办”）", rule)
    lines += ["## 五级联动流程 Five-level flow { #flow }", "",
              "自下而上：事项先到规则指定的层级，逾期未办结按时限逐级升级。 Bottom up: an item goes to the tier "
              "its rule names and is escalated when its time limit passes.", "",
              render(ctx), "",
              *gate_lines(ctx),
              "## 规则 Rules in order { #rules }", ""]
    for n, r in enumerate(ctx.m.routes, 1):
        handlers = "、".join(ctx.role_name(x) for x in r.handlers)
        steps = escalation_steps(ctx, r)
        lines += ['<div class="gp-card gp-route" markdown>', "",
                  f"### {n}. {text(r.name)} {{ #{anchor('route', r.id)} }}", "",
                  f"编号 Id：`{r.id}` · 定义位置 Source：{ctx.src(r.span)}" +
                  (" · **继续匹配 continue**" if r.cont else ""), "",
                  f"- **条件 Condition：** {words.condition(r.condition)}"]
        if r.text:
            lines.append(f"- **规则原文 Rule text：** {code(r.text)}")
        if r.outcome in OUTCOME_WORDS:
            lines.append(f"- **处理结果 Outcome：** {OUTCOME_WORDS[r.outcome]}")
        if r.channels:
            by_id = {x.id: x for x in ctx.m.referrals}
            where = "；或 or ".join(text(by_id[c].name) + (f"（{text(by_id[c].contact)}）" if by_id[c].contact else "")
                                   for c in r.channels)
            lines.append(f"- **去向 Go to：** {where}")
            if r.referral_expr is not None:
                lines.append(f"- **去向随事项而定 Depends on the item：** {code(expr_text(r.referral_expr))}")
        if r.reason:
            lines.append(f"- **告知 What to tell the requester：** {cell(r.reason)}")
        if r.review:
            lines.append(f"- **复核周期 Review every：** {text(r.review.text_zh)}")
        if r.outcome in ("redirect", "refuse"):
            lines.append("")
            lines += ctx.meta_lines(r.meta)
            lines += ["</div>", ""]
            continue
        lines += [f"- **处理层级 Tier：** {route_tier(ctx, r)}",
                  f"- **承办 Handlers：** {cell(handlers)}",
                  f"- **办理时限 Time limit：** {limit_words(ctx, r)}",
                  f"- **逾期升级 Escalation：** {'；'.join(steps) or '—'}"]
        if r.dispatch:
            lines.append(f"- **派单 Dispatch：** {cell(r.dispatch)}")
        if r.cont:
            lines.append("- **继续匹配 Continue：** 是 — 追加承办后继续判断后面的规则")
        lines.append("")
        lines += ctx.meta_lines(r.meta)
        lines += ["</div>", ""]
    return {"routing.md": "\n".join(lines)}


def gate_lines(ctx: Context) -> list[str]:
    """The admission gate and its exemptions, and the office hours working hours count."""
    out: list[str] = []
    cal = ctx.m.calendar
    if cal.office_hours:
        hours = "、".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in cal.office_hours)
        out += [f"工作时按工作日的办公时间 {hours} 计算。 Working hours count the office hours of working days.", ""]
    for g in ctx.m.gates:
        names = "、".join(f"《{lst.name}》" for lst in ctx.m.lists if lst.id in g.lists) or "—"
        out += ["## 准入审查 Admission gate { #gate }", "",
                f"{text(g.name)}：下派网格的任务须列入 {text(names)}，并通过排除标准。 Tasks pushed to grids must be "
                f"on an admitting list and pass the criteria. 定义位置 Source：{ctx.src(g.span)}", ""]
        if g.reason:
            out += [f"被拒绝时告知：{cell(g.reason)}", ""]
        for x in g.exemptions:
            out.append(f"- **豁免 Exemption「{text(x.name)}」：** {code(x.text)}，自上报起 {text(x.period.text_zh)}内立即执行"
                       + (f"（依据：{text(x.basis)}）" if x.basis else ""))
        out.append("")
    return out
