"""The grid notice boards (公示牌): an index by street and community, one page per grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..context import Context
from ..markdown import anchor, attr, cell, text
from .common import head


def load_registry(folder: str | Path | None) -> tuple[list[Any], str]:
    """The grids of every registry file (`*.yaml`, name order) in `folder`, and a note for the
    notice-board page as plain text (why there are none, or that the registry is an example);
    the page escapes it."""
    from ... import registry

    if folder is None:
        return [], "未指定网格登记册。 No grid registry was given."
    root = Path(folder)
    if root.is_dir():
        files = sorted([*root.glob("*.yaml"), *root.glob("*.yml")])
    else:
        files = [root] if root.exists() else []
    if not files:
        return [], f"未找到网格登记册 {root.as_posix()}。 No grid registry at {root.as_posix()}."
    grids: list[Any] = []
    notes: list[str] = []
    for f in files:
        try:
            loaded = registry.load_registry(f)
        except registry.RegistryError as exc:
            notes.append(f"{f.as_posix()} 有误，未能公示 could not be read: {' '.join(str(exc).split())}")
            continue
        grids += loaded.registry.grids()
        if loaded.registry.example:
            notes.append(f"{f.as_posix()}：" + (loaded.registry.note or "示例台账 an example registry"))
    return grids, " ".join(notes)


def grid_slug(code: str) -> str:
    return anchor(code) or "grid"


def build(ctx: Context) -> dict[str, str]:
    entries = ctx.registry
    lines = head("网格公示牌 Grid notice boards",
                 "每个网格公示其范围、四至边界、网格力量与联系方式。 Each grid publishes its area, four "
                 "boundaries, staff and contacts.")
    if ctx.registry_note:
        lines += ['!!! note "网格登记册 Grid registry"', f"    {ctx.cite(ctx.registry_note, 1)}", ""]
    if not entries:
        return {"grids/index.md": "\n".join(lines)}
    out: dict[str, str] = {}
    street = community = None
    for n, e in enumerate(entries):
        if e.street.name != street:
            street, community = e.street.name, None
            lines += [f"## {text(e.street.name)}", ""]
        if e.community.name != community:
            community = e.community.name
            lines += [f"### {text(e.community.name)}", "", '<div class="gp-rows" markdown>', ""]
        g = e.grid
        slug = grid_slug(g.code)
        households = f" · {g.households} 户 households" if g.households is not None else ""
        lines.append(f"- **[{text(g.name)}]({slug}.md)** `{g.code}`{households} · 网格长 leader "
                     f"{cell(g.leader.contact)}")
        out[f"grids/{slug}.md"] = page_grid(ctx, e)
        if n + 1 == len(entries) or entries[n + 1].community.name != community:
            lines += ["", "</div>", ""]
    out["grids/index.md"] = "\n".join(lines)
    return out


def page_grid(ctx: Context, e: Any) -> str:
    g = e.grid
    lines = head(f"{g.name} 公示牌",
                 f"[网格公示牌 Notice boards](index.md) › {text(e.street.name)} › {text(e.community.name)}")
    lines += ["| 项目 Item | 内容 Value |", "| --- | --- |",
              f"| 网格编码 Grid code | `{g.code}` |",
              f"| 所属街道（镇） Street | {cell(e.street.name)} |",
              f"| 所属社区 Community | {cell(e.community.name)} |"]
    if g.party_org:
        lines.append(f"| 网格党组织 Party organisation | {cell(g.party_org)} |")
    if g.households is not None:
        lines.append(f"| 户数 Households | {g.households} |")
    b = g.boundaries
    lines += ["", "## 四至边界 Four boundaries", "", "| 方向 Side | 边界 Boundary |", "| --- | --- |",
              f"| 东至 East | {cell(b.east)} |", f"| 南至 South | {cell(b.south)} |",
              f"| 西至 West | {cell(b.west)} |", f"| 北至 North | {cell(b.north)} |",
              "", "## 网格力量与联系方式 Staff and contacts", "",
              "| 岗位 Role | 人数 Number | 联系电话 Contact |", "| --- | --- | --- |",
              f"| {cell(ctx.role_name(g.leader.role))} | 1 | {cell(g.leader.contact)} |"]
    for st in g.staff:
        lines.append(f"| {cell(ctx.role_name(st.role))} | {st.count} | {cell(st.contact)} |")
    lines.append("")
    if g.auxiliary:
        lines += ["辅助力量 Auxiliary forces（X）：" + cell("、".join(ctx.role_name(r) for r in g.auxiliary)), ""]
    lines += [f'<a class="md-button" href="../../handling/?grid={attr(g.code)}">我的问题怎么办 '
              "How is my issue handled</a>", ""]
    return "\n".join(lines)
