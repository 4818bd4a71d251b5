"""The admission-item list: one card per matter, grouped by list and batch, phone first."""

from __future__ import annotations

from ...model import Matter
from ..context import Context
from ..markdown import anchor, cell, date, text
from .common import head
from .status import badge


def card(ctx: Context, mt: Matter) -> list[str]:
    """One matter as a card: its name, status with dates, handlers and source."""
    lines = ['<div class="gp-card gp-matter" markdown>', "",
             f"#### {text(mt.code)} {text(mt.name)} {{ #{anchor('matter', mt.code)} }}", "",
             badge(ctx, mt), ""]
    rows = []
    if mt.aliases:
        rows.append(f"- **别名 Aliases：** {cell('、'.join(mt.aliases))}")
    rows += [f"- **承办角色 Handlers：** {cell('、'.join(ctx.role_name(r) for r in mt.handlers))}",
             f"- **主管部门 Owner：** {cell(ctx.dept_name(mt.owner))}"]
    if mt.basis:
        rows.append(f"- **依据 Basis：** {ctx.cite(mt.basis)}")
    ex = ctx.exit_of.get(mt.code)
    if ex:
        rows.append(f"- **退出 Exit：** [{text(ex.id)}](exits.md#{anchor('exit', ex.id)})：{date(ex.date)}，"
                    f"{cell(ex.ref)}")
    for key, value in mt.traits:
        rows.append(f"- **特征 Trait {cell(ctx.name_label(key))}：** {cell(ctx.value(value))}")
    rows.append(f"- **定义位置 Source：** {ctx.src(mt.span)}")
    lines += [*rows, ""]
    lines += ctx.meta_lines(mt.meta)
    lines += ["</div>", ""]
    return lines


def build(ctx: Context) -> dict[str, str]:
    lines = head("准入事项清单 Admission-item list",
                 f"每项事项的状态旁列出生效、到期和退出日期；状态按读者当天的日期计算（本页生成于 "
                 f"{ctx.as_of.isoformat()}）。 Each status shows its dates and is computed for today in the "
                 "browser (the page was generated on that date). "
                 "未列入准入清单的工作，不得下派到网格。 Work not on an admission list may not be pushed "
                 "down to grids.")
    if not ctx.m.lists:
        lines += ["本规则集没有事项清单。 This policy has no matter lists.", ""]
    for lst in ctx.m.lists:
        kind = "准入清单 admission list" if lst.admission else "清单 list"
        lines += [f"## {text(lst.name)} {{ #{anchor('list', lst.id)} }}", "",
                  f"`{lst.id}` · {kind} · {len(lst.matters)} 项 · 定义于 {ctx.src(lst.span)}", ""]
        if lst.authority:
            lines += [f"发布机关 Authority：{cell('、'.join(lst.authority))}", ""]
        lines += ctx.meta_lines(lst.meta)
        groups: list[tuple[str, str, list[Matter]]] = []
        for b in lst.batches:
            title = f"### {text(b.name)}（{text(b.id)}）" + (f" · {date(b.effective)} 起生效" if b.effective else "")
            groups.append((title, ctx.src(b.span), [mt for mt in lst.matters if mt.batch == b.id]))
        rest = [mt for mt in lst.matters if mt.batch is None]
        if rest:
            groups.append(("### 未分批次 Not in a batch" if lst.batches else "### 事项 Matters", "", rest))
        for title, where, matters in groups:
            lines += [title, ""]
            if where:
                lines += [f"批次定义于 Batch declared at {where}", ""]
            if not matters:
                lines += ["（本批次暂无事项 no matters in this batch）", ""]
                continue
            for mt in matters:
                lines += card(ctx, mt)
    return {"matters.md": "\n".join(lines)}
