"""The exclusion criteria: what may never be pushed down to grids."""

from __future__ import annotations

from ..context import Context
from ..markdown import anchor, fenced, text
from ..words import Words
from .common import head


def build(ctx: Context) -> dict[str, str]:
    words = Words(ctx)
    lines = head("排除标准 Exclusion criteria",
                 "符合以下任一标准的事项，一律不得下放到网格；准入清单上的事项也必须通过这些标准的检查。 "
                 "An item caught by any criterion below must not be delegated to grids; every matter on "
                 "an admission list is checked against them.")
    if not ctx.m.criteria:
        lines += ["本规则集没有排除标准。 This policy has no exclusion criteria.", ""]
    for c in ctx.m.criteria:
        lines += [f"## {text(c.name)} {{ #{anchor('criterion', c.id)} }}", "",
                  f"编号 Id：`{c.id}` · 定义位置 Source：{ctx.src(c.span)}", "",
                  f"**条件 Condition：** {words.condition(c.condition)}", "",
                  *fenced(c.text, "gridpolicy"), ""]
        if c.basis:
            lines += [f"依据 Basis：{ctx.cite(c.basis)}", ""]
        lines += ctx.meta_lines(c.meta)
    return {"criteria.md": "\n".join(lines)}
