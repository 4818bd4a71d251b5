"""The exit register: matters withdrawn from grids by an approved procedure."""

from __future__ import annotations

from ..context import Context
from ..markdown import anchor, cell, date, text
from .common import head


def build(ctx: Context) -> dict[str, str]:
    lines = head("退出登记 Exit register",
                 "不再适合由网格承担的事项，按程序批准后退出。 Matters no longer suited to grids exit by an "
                 "approved procedure.")
    if not ctx.m.exits:
        return {"exits.md": "\n".join([*lines, "本规则集尚无退出事项。 No matter has exited.", ""])}
    lines += ['<div class="gp-cards" markdown>', ""]
    for e in ctx.m.exits:
        mt = ctx.matters.get(e.matter)
        name = (f"[{text(e.matter)} {text(mt.name)}](matters.md#{anchor('matter', e.matter)})" if mt
                else text(e.matter))
        lines += [f"## {text(e.id)} {text(e.name)} {{ #{anchor('exit', e.id)} }}", "",
                  f"- **事项 Matter：** {name}",
                  f"- **退出日期 Exit date：** {date(e.date)}（清单 list `{e.list}`）",
                  f"- **批准机关 Approved by：** {cell(e.approved_by)}",
                  f"- **文号 Reference：** {cell(e.ref)}",
                  f"- **理由 Reason：** {ctx.cite(e.reason)}",
                  f"- **定义位置 Source：** {ctx.src(e.span)}", ""]
        lines += ctx.meta_lines(e.meta)
    lines += ["</div>", ""]
    return {"exits.md": "\n".join(lines)}
