"""The routing rules ("三办"): the five-level flow chart, then one card per rule in order."""

from __future__ import annotations

from ..context import Context
from ..markdown import anchor, cell, code, text
from ..words import Words
from .chart import render
from .common import head
from .targets import escalation_steps, route_tier


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
        lines += [f"- **处理层级 Tier：** {route_tier(ctx, r)}",
                  f"- **承办 Handlers：** {cell(handlers)}",
                  f"- **办理时限 Time limit：** {text(r.limit.text_zh) if r.limit else '—'}",
                  f"- **逾期升级 Escalation：** {'；'.join(steps) or '—'}"]
        if r.dispatch:
            lines.append(f"- **派单 Dispatch：** {cell(r.dispatch)}")
        if r.cont:
            lines.append("- **继续匹配 Continue：** 是 — 追加承办后继续判断后面的规则")
        lines.append("")
        lines += ctx.meta_lines(r.meta)
        lines += ["</div>", ""]
    return {"routing.md": "\n".join(lines)}
