"""The change log: what changed between two versions of the rules, in words."""

from __future__ import annotations

from ...runtime import Policy
from ..context import Context
from ..markdown import cell, code
from .common import head


def change_log(old: Policy, new: Policy) -> str:
    """The semantic diff between two versions as Markdown (from `gridpolicy.diff`)."""
    from ... import diff

    result = diff.diff(old, new)
    changes = list(result.changes)
    o, n = old.model.header, new.model.header
    lines = [f"{cell(o.name)} **{cell(o.version)}** → {cell(n.name)} **{cell(n.version)}**", ""]
    if not changes:
        return "\n".join([*lines, "规则内容没有变化。 No change in the rules."])
    current = None
    for c in changes:
        if c.section != current:
            current = c.section
            lines += ["", f"### {diff.SECTIONS_ZH.get(c.section, c.section)} {c.section}", ""]
        mark = {"added": "➕ 新增 added", "removed": "➖ 删除 removed"}.get(c.change, "✏️ 修改 changed")
        lines += [f"- **{mark}** {cell(c.text_zh)}" + (f"<br>{cell(c.text_en)}" if c.text_en else "")]
    return "\n".join(lines)


def build(ctx: Context) -> dict[str, str]:
    lines = head("版本变更 Change log", f"当前版本 Current version：**{cell(ctx.m.header.version)}**")
    if ctx.changes is None:
        lines += ['!!! note "未比较版本 No comparison"',
                  "    生成时未指定上一版本（`--changes-from OLD`）。 No previous version was given "
                  "(`--changes-from OLD`).", ""]
    else:
        lines += [f"与 {code(ctx.changes_from)} 相比 Compared with {code(ctx.changes_from)}：", "", ctx.changes, ""]
    return {"changes.md": "\n".join(lines)}
