"""Tiers, departments, roles, item fields, catalogs and calendar overrides — as stacked rows."""

from __future__ import annotations

from ...departments import DEPARTMENT_KINDS
from ...locality import LOCALITIES
from ...model import Meta
from ..context import Context
from ..markdown import anchor, cell, num, text
from .common import head

CATEGORY = {"leader": "负责人 leader", "staff": "专职力量 staff", "auxiliary": "辅助力量 auxiliary",
            "other": "其他 other"}
FIELD_TYPES = {
    "enum": "单选 enum", "set": "多选 set", "number": "数字 number", "text": "文字 text", "bool": "是否 bool",
    "date": "日期 date", "datetime": "时间 datetime", "tier": "层级 tier", "department": "部门 department",
    "role": "角色 role",
}


def _meta(ctx: Context, meta: Meta) -> str:
    """A row's note, source and every assumption, each on its own line (assumptions marked)."""
    out = ""
    if meta.note:
        out += f"<br>{ctx.cite(meta.note)}"
    if meta.source:
        out += f"<br>出处 Source：{ctx.cite(meta.source)}"
    for a in meta.assumptions:
        out += f'<br><span class="gp-assumption">⚠️ 假设 Assumption：{ctx.cite(a)}</span>'
    return out


def _rows(items: list[str]) -> list[str]:
    return ['<div class="gp-rows" markdown>', "", *items, "", "</div>", ""]


def build(ctx: Context) -> dict[str, str]:
    m = ctx.m
    lines = head("层级、部门与角色 Tiers, departments and roles")
    lines += ["## 层级 Tiers", ""]
    lines += _rows([f"- **第 {t.level} 级 · {text(t.name)}** `{t.id}`"
                    + (f" · 属地 Locality {LOCALITIES.get(t.locality, t.locality)}（`{t.locality}`）" if t.locality else "")
                    + f" · {ctx.src(t.span)}{_meta(ctx, t.meta)}" for t in m.tiers])
    lines += ["## 部门 Departments", ""]
    rows = []
    for d in m.departments:
        short = f"（{text(d.short)}）" if d.short else ""
        note = _meta(ctx, d.meta)
        kind = f" · {DEPARTMENT_KINDS.get(d.kind, d.kind)} `{d.kind}`" if d.kind != "government" else ""
        parent = f" · 上级 Parent {text(ctx.dept_name(d.parent))}" if d.parent else ""
        if d.area:
            parent += (" · 辖区 Area " + "、".join(text(a) for a in d.area)
                       + f"（辖区内{text(ctx.dept_name(d.parent))}的工作由本单位承办 takes its parent's work there）")
        rows.append(f"- **{text(d.name)}**{short} `{d.id}` · 层级 {text(ctx.tier_name(d.tier))}{kind}{parent} · "
                    f"{ctx.src(d.span)}{note}")
    lines += _rows(rows)
    lines += ["## 角色 Roles", ""]
    rows = []
    for r in m.roles:
        by = f" · 派出单位 {text(ctx.dept_name(r.assigned_by))}" if r.assigned_by else ""
        tier = f" · 层级 {text(ctx.tier_name(r.tier))}" if r.tier else ""
        note = _meta(ctx, r.meta)
        rows.append(f"- **{text(r.name)}** `{r.id}` · {CATEGORY.get(r.category, text(r.category))}{by}{tier} · "
                    f"{ctx.src(r.span)}{note}")
    lines += _rows(rows)
    lines += ["## 事项字段 Item fields { #item-fields }", "",
              "上报或下派的事项可以填写以下字段。 Items may carry these fields.", ""]
    rows = []
    for f in m.fields:
        values = "、".join(f"{text(lbl)}（`{c}`）" for c, lbl in f.values)
        if f.range:
            values = f"{num(f.range[0])} .. {num(f.range[1])}"
        default = f" · 默认 default {cell(ctx.value(f.default))}" if f.default is not None else ""
        required = " · **必填 required**" if f.required else ""
        rows.append(f"- **{text(f.name)}** `{f.id}` · {FIELD_TYPES.get(f.type, text(f.type))}{required}{default} · "
                    f"{ctx.src(f.span)}" + (f"<br>取值 Values：{values}" if values else "") + _meta(ctx, f.meta))
    lines += _rows(rows)
    if m.catalogs:
        lines += ["## 目录 Catalogs", ""]
    for c in m.catalogs:
        lines += [f"### {text(c.name)} {{ #{anchor('catalog', c.id)} }}", "",
                  f"编号 Id：`{c.id}` · 定义位置 Source：{ctx.src(c.span)}", "",
                  "| 编码 Code | 名称 Name |", "| --- | --- |"]
        lines += [f"| `{k}` | {cell(v)} |" for k, v in c.entries]
        lines.append("")
        lines += ctx.meta_lines(c.meta)
    cal = m.calendar
    if cal.holidays or cal.workdays:
        lines += ["## 日历调整 Calendar overrides", "",
                  f"节假日 Holidays：{'、'.join(d.isoformat() for d in sorted(cal.holidays)) or '—'}", "",
                  f"调休上班 Make-up workdays：{'、'.join(d.isoformat() for d in sorted(cal.workdays)) or '—'}", ""]
    return {"organisation.md": "\n".join(lines)}
