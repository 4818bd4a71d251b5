"""Everything the rule set marks as an assumption, in one list to confirm."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Meta
from ...syntax.nodes import Span
from ..context import Context
from ..markdown import anchor, text
from .common import head


def declarations(ctx: Context) -> Iterable[tuple[str, str, Meta, Span, str]]:
    """(kind label, name, meta, span, page link) of every declaration, in source order of kind."""
    m = ctx.m
    yield "规则集 policy", m.header.name, m.header.meta, m.header.span, "index.md"
    for t in m.tiers:
        yield "层级 tier", t.name, t.meta, t.span, "organisation.md"
    for d in m.departments:
        yield "部门 department", d.name, d.meta, d.span, "organisation.md"
    for role in m.roles:
        yield "角色 role", role.name, role.meta, role.span, "organisation.md"
    for fd in m.fields:
        yield "字段 field", fd.name, fd.meta, fd.span, "organisation.md"
    for crit in m.criteria:
        yield "排除标准 criterion", crit.name, crit.meta, crit.span, f"criteria.md#{anchor('criterion', crit.id)}"
    for lst in m.lists:
        yield "清单 list", lst.name, lst.meta, lst.span, f"matters.md#{anchor('list', lst.id)}"
        for b in lst.batches:
            yield "批次 batch", b.name, b.meta, b.span, f"matters.md#{anchor('list', lst.id)}"
        for mt in lst.matters:
            yield "事项 matter", f"{mt.code} {mt.name}", mt.meta, mt.span, f"matters.md#{anchor('matter', mt.code)}"
    for e in m.exits:
        yield "退出 exit", e.name, e.meta, e.span, f"exits.md#{anchor('exit', e.id)}"
    for r in m.routes:
        yield "分流 route", r.name, r.meta, r.span, f"routing.md#{anchor('route', r.id)}"
    for f in m.formulas:
        yield "公式 formula", f.name, f.meta, f.span, f"evaluation.md#{anchor('formula', f.id)}"
        for i in f.inputs:
            yield "输入 input", f"{f.name} · {i.name}", i.meta, i.span, f"evaluation.md#{anchor('formula', f.id)}"
    for g in m.grades:
        yield "等级 grade", g.name, g.meta, g.span, f"evaluation.md#{anchor('grade', g.id)}"
    for c in m.catalogs:
        yield "目录 catalog", c.name, c.meta, c.span, f"organisation.md#{anchor('catalog', c.id)}"


def assumptions(ctx: Context) -> list[tuple[str, str, str, Span, str]]:
    """(kind label, declaration name, assumption text, span, page link) of every assumption."""
    return [(kind, name, a, span, link) for kind, name, meta, span, link in declarations(ctx)
            for a in meta.assumptions]


def build(ctx: Context) -> dict[str, str]:
    lines = head("假设汇总 Assumptions",
                 "规则集中标注为“假设”的内容：原文未作规定、由本规则集自行确定的地方。审定规则时请逐条确认。 "
                 "Everything the rule set marks as an assumption — decisions the source does not make. "
                 "Confirm each one when approving the rules.")
    items = assumptions(ctx)
    if not items:
        return {"assumptions.md": "\n".join([*lines, "本规则集没有标注假设。 No assumptions are marked.", ""])}
    lines += ['<ol class="gp-cards gp-assumptions" markdown>', ""]
    for kind, name, body, span, link in items:
        lines += ['<li markdown="block">', "",
                  f"**[{text(name)}]({link})** · {kind} · {ctx.src(span)}", "",
                  ctx.cite(body), "", "</li>", ""]
    lines += ["</ol>", ""]
    return {"assumptions.md": "\n".join(lines)}
