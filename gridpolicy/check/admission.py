"""Stages `lists`, `criteria` and `exits`: what may be pushed down to grids (admission lists,
their batches and matters), what never may (exclusion criteria), and withdrawals (exits)."""

from __future__ import annotations

from ..model import Batch, Criterion, Exit, Matter, MatterList
from ..syntax.nodes import Decl, Literal
from .context import Context
from .props import Props
from .typer import condition
from .values import traits_of


def check_lists(ctx: Context) -> None:
    decls = ctx.decls("list")
    for d in ctx.unique(decls, ctx.lists, ("清单", "list")):
        p = Props(d, ctx.rep)
        batches: dict[str, Batch] = {}
        for b in ctx.unique([c for c in d.children if c.kind == "batch"], {}, ("批次", "batch")):
            bp = Props(b, ctx.rep)
            batches[b.ident] = Batch(b.ident, b.title, bp.literal("effective", "date"), bp.meta(), b.span)
        ctx.batches.update(batches)
        matters = []
        for m in ctx.unique([c for c in d.children if c.kind == "matter"], ctx.matters, ("事项", "matter")):
            matter = check_matter(ctx, m, d.ident, batches)
            ctx.matters[matter.code] = matter
            matters.append(matter)
        ctx.lists[d.ident] = MatterList(d.ident, d.title, bool(p.literal("admission", "bool")),
                                     p.strings("authority"), tuple(batches.values()), tuple(matters),
                                     p.meta(), d.span)
    # That codes, names and aliases identify one matter (or class) is checked once, with the
    # catalogue's keys, by the `classifications` stage (`ctx.matter_keys` is filled there).
    ctx.model["lists"] = tuple(ctx.lists.values())


def check_matter(ctx: Context, d: Decl, list_id: str, batches: dict[str, Batch]) -> Matter:
    p = Props(d, ctx.rep)
    batch = p.name("batch")
    batch_id = ctx.ref(*batch, batches, ("批次", "batch")) if batch else None
    effective = p.literal("effective", "date")
    if effective is None and batch_id:
        effective = batches[batch_id].effective
    expires = p.literal("expires", "date")
    if expires is not None and effective is not None and expires < effective:  # expires: last day in force
        ctx.rep.report("GP056", p.span("expires"), f"截止日期 {expires}（有效期最后一天）早于生效日期 {effective}",
                       f"expiry {expires} (the last day in force) is before the effective date {effective}")
    handlers = []
    for name, span, _ in p.names("handlers"):
        if ctx.ref(name, span, ctx.roles, ("角色", "role")):
            handlers.append(name)
    owner = p.name_or_string("owner")
    owner_id = ctx.department_ref(*owner) if owner else None
    return Matter(d.ident, d.title, list_id, p.strings("aliases"), batch_id, effective, expires,
                  tuple(handlers), owner_id, p.literal("basis", "string") or "", traits_of(ctx, d),
                  p.meta(), d.span)


def check_criteria(ctx: Context) -> None:
    decls = ctx.decls("criterion")
    out = []
    scope = ctx.item_names()
    for d in ctx.unique(decls, {}, ("排除标准", "criterion")):
        p = Props(d, ctx.rep)
        cond, text = condition(ctx, p, "when", scope, True)
        if cond is not None:
            out.append(Criterion(d.ident, d.title, cond, text, p.literal("basis", "string") or "",
                                 p.meta(), d.span))
    ctx.model["criteria"] = tuple(out)


def check_exits(ctx: Context) -> None:
    decls = ctx.decls("exit")
    out = []
    for d in ctx.unique(decls, {}, ("退出", "exit")):
        p = Props(d, ctx.rep)
        m = p.name("matter")
        given = p.get("matter")
        if m is None and given is not None:
            arg = given.args[0].value
            if isinstance(arg, Literal) and arg.kind == "string":
                m = (ctx.matter_keys.get(arg.value, arg.value), arg.span)
        if m is None:
            p.require("matter")
            continue
        code = ctx.matter_keys.get(m[0])
        if code is None:
            ctx.rep.unknown(m[1], "事项", "matter", m[0], ctx.matter_keys, code="GP051")
            continue
        matter = ctx.matters[code]
        lst = p.name("list")
        if lst and lst[0] != matter.list:
            ctx.rep.report("GP051", lst[1], f"事项 {code} 不在清单“{lst[0]}”中（在“{matter.list}”中）",
                           f"matter {code} is not on list '{lst[0]}' (it is on '{matter.list}')")
        date = p.literal("date", "date", required=True)
        if date is None:
            continue
        if matter.effective and date <= matter.effective:
            ctx.rep.report("GP052", p.span("date"),
                           f"退出日期 {date} 不晚于事项 {code} 的生效日期 {matter.effective}",
                           f"exit date {date} is not after matter {code} takes effect ({matter.effective})")
        approved = p.literal("approved_by", "string", required=True)
        ref = p.literal("ref", "string", required=True)
        reason = p.literal("reason", "string", required=True)
        out.append(Exit(d.ident, d.title, code, matter.list, date, approved or "", ref or "",
                        reason or "", p.meta(), d.span))
    seen: dict[str, Exit] = {}
    for e in out:
        if e.matter in seen:
            ctx.rep.report("GP030", e.span, f"事项 {e.matter} 已在 {seen[e.matter].span} 退出",
                           f"matter {e.matter} already exits at {seen[e.matter].span}")
        seen[e.matter] = e
    ctx.model["exits"] = tuple(out)
