"""The change log: what changed between two versions of the rules, in words."""

from __future__ import annotations

from ...runtime import Policy
from ..context import Context
from ..markdown import cell, code
from .common import head

NO_CHANGE = "规则内容没有变化（仅注释、格式或测试）。 No change in the rules (comments, layout or tests only)."


def change_lines(old: Policy, new: Policy) -> list[str]:
    """The semantic diff between two versions as Markdown lines, grouped by section."""
    from ... import diff

    changes = list(diff.diff(old, new).changes)
    if not changes:
        return [NO_CHANGE]
    lines: list[str] = []
    current = None
    for c in changes:
        if c.section != current:
            current = c.section
            lines += ["", f"**{diff.SECTIONS_ZH.get(c.section, c.section)} {c.section}**", ""]
        mark = {"added": "➕ 新增 added", "removed": "➖ 删除 removed"}.get(c.change, "✏️ 修改 changed")
        lines.append(f"- {mark} {cell(c.text_zh)}" + (f"<br>{cell(c.text_en)}" if c.text_en else ""))
    return lines


def change_log(old: Policy, new: Policy) -> str:
    """The changes from `old` to `new` as Markdown, headed by the two versions."""
    o, n = old.model.header, new.model.header
    return "\n".join([f"{cell(o.name)} **{cell(o.version)}** → {cell(n.name)} **{cell(n.version)}**", "",
                      *change_lines(old, new)])


def build(ctx: Context) -> dict[str, str]:
    lines = head("版本变更 Change log", f"当前版本 Current version：**{cell(ctx.m.header.version)}**")
    if ctx.changes is None and ctx.history is None:
        lines += ['!!! note "未比较版本 No comparison"',
                  "    生成时未指定上一版本（`--changes-from OLD`）或历史（`--history N`）。 No previous version "
                  "(`--changes-from OLD`) or history (`--history N`) was given.", ""]
    if ctx.changes is not None:
        lines += [f"## 与 {code(ctx.changes_from)} 相比 Compared with {code(ctx.changes_from)}", "", ctx.changes, ""]
    if ctx.history is not None:
        lines += ["## 修改历史 History", "", ctx.history, ""]
    return {"changes.md": "\n".join(lines)}
