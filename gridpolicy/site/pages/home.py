"""The rules' front page: the policy's header and what the rule set contains."""

from __future__ import annotations

from ..context import Context, display_name, source_page
from ..markdown import cell, date, link
from .assumptions import assumptions
from .common import head


def build(ctx: Context) -> dict[str, str]:
    m = ctx.m
    h = m.header
    in_force = sum(1 for mt in m.matters if ctx.status(mt) == "in_force")
    lines = head(h.name, f"规则集 `{h.id}`，版本 **{cell(h.version)}**。"
                 f"本站各页均由规则文件自动生成，与运行时所用规则一致。 "
                 f"Every page here is generated from the rule files the runtime uses.")
    files = "、".join(link(f"{display_name(f)}", source_page(f)) for f in sorted(m.sources))
    lines += [
        "| 项目 Item | 内容 Value |", "| --- | --- |",
        f"| 发布机关 Authority | {cell('、'.join(h.authority))} |",
        f"| 生效日期 Effective | {date(h.effective)} |",
        f"| 分流方式 Routing | {'按顺序，首条匹配 first match wins' if h.routing == 'first' else '唯一匹配 unique'} |",
        f"| 时区 Time zone | {cell(h.timezone)} |",
        f"| 生成日期 Generated for | {ctx.as_of.isoformat()} |",
        f"| 规则文件 Rule files | {files or '—'} |",
        f"| 摘要 Digest | `{m.digest[:16]}` |",
        f"| 定义位置 Declared at | {ctx.src(h.span)} |",
        "",
    ]
    lines += ctx.meta_lines(h.meta)
    lines += ["[我的问题怎么办 How is my issue handled](handling.md){ .md-button .md-button--primary }", ""]
    lines += ["## 本规则集包含 Contents", "",
              "| 页面 Page | 数量 Count |", "| --- | --- |",
              f"| [准入事项清单 Admission items](matters.md) | {len(m.matters)} 项，其中 {in_force} 项有效 |",
              f"| [分流规则 Routing](routing.md) | {len(m.routes)} |",
              f"| [评价公式 Evaluation](evaluation.md) | {len(m.formulas)} 个公式，{len(m.grades)} 个等级表 |",
              f"| [层级、部门与角色 Organisation](organisation.md) | {len(m.tiers)} 级，{len(m.departments)} 个部门，"
              f"{len(m.roles)} 个角色 |",
              f"| [假设汇总 Assumptions](assumptions.md) | {len(assumptions(ctx))} |",
              f"| [网格公示牌 Grid notice boards](grids/index.md) | {len(ctx.registry)} |",
              f"| [出处 Sources](sources.md) | {len(ctx.sources.sections) if ctx.sources else 0} |",
              "| [版本变更 Change log](changes.md) | |", ""]
    return {"index.md": "\n".join(lines)}
