"""The event catalogue (事件/部件分类): every classification, its major classes and their
classes with codes, other names, owner, assisting departments, handlers, their own (staged)
time limits and the values an item of the class takes unless it says otherwise."""

from __future__ import annotations

from ..context import Context
from ..markdown import anchor, cell, text
from .common import head
from .targets import limit_words

TYPE = {"event": "事件 event（先属地、后属主 locality first）",
        "component": "部件 component（先属主、后属地 owner first）"}


def build(ctx: Context) -> dict[str, str]:
    m = ctx.m
    lines = head("事件部件分类 Event catalogue",
                 "上报的问题写明类别（代码、名称或别名均可）即可分流：每个小类写明主管部门、协办部门和承办角色。"
                 " A report that names its category (code, name or alias) routes by it: each class names its "
                 "owner, assisting departments and roles.")
    if not m.classifications:
        return {"catalogue.md": "\n".join([*lines, "本规则集尚无事件部件分类。 The rules have no event catalogue.", ""])}
    roles = {r.id: r.name for r in m.roles}
    for c in m.classifications:
        standard = f" · 标准 Standard：{cell(c.standard)}" if c.standard else ""
        lines += [f"## {text(c.name)} {{ #{anchor('classification', c.id)} }}", "",
                  f"编号 Id：`{c.id}` · 类型 Type：{TYPE.get(c.type, text(c.type))}{standard} · "
                  f"定义位置 Source：{ctx.src(c.span)}", ""]
        lines += ctx.meta_lines(c.meta)
        for major in c.majors:
            code = f"（{cell(major.code)}）" if major.code else ""
            lines += [f"### {text(major.name)}{code} {{ #{anchor('major', major.id)} }}", "",
                      '<div class="gp-rows" markdown>', ""]
            for k in major.classes:
                parts = [f"**{text(k.name)}** `{k.id}`" + (f" · 代码 {cell(k.code)}" if k.code else "")]
                if k.aliases:
                    parts.append("又称 Also：" + "、".join(text(a) for a in k.aliases))
                parts.append("主管部门 Owner：" + (text(ctx.dept_name(k.owner)) if k.owner else "**未写明 none**"))
                if k.assisting:
                    parts.append("协办 Assisting：" + "、".join(text(ctx.dept_name(d)) for d in k.assisting))
                if k.handlers:
                    parts.append("承办角色 Roles：" + "、".join(f"{text(roles.get(r, r))} `{r}`" for r in k.handlers))
                if k.traits:
                    parts.append("默认 Implies：" + "；".join(f"`{f}` {cell(ctx.value(v))}" for f, v in k.traits))
                if k.limit is not None:
                    parts.append(f"时限 Time limit：{limit_words(ctx, k)}")
                if k.register:
                    parts.append(f"立案 Register：{ctx.cite(k.register)}")
                if k.close:
                    parts.append(f"结案 Close：{ctx.cite(k.close)}")
                parts.append(ctx.src(k.span))
                lines.append(f"- <span id=\"{anchor('class', k.id)}\"></span>" + " · ".join(parts))
            lines += ["", "</div>", ""]
    return {"catalogue.md": "\n".join(lines)}
