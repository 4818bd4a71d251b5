"""Where a route sends an item: its tier in words, or the tier it always yields."""

from __future__ import annotations

from ...clock import CLOCK_TEXT, clock_of, limit_text_zh
from ...model import EventClass, Limit, Route
from ...syntax.nodes import Call, Expr, Symbol
from ..context import Context
from ..markdown import code, text
from ..words import Words


def const_tier(ctx: Context, e: Expr) -> str | None:
    """The tier a tier expression always yields, or None if it depends on the item."""
    if isinstance(e, Symbol) and e.kind == "tier":
        return e.value
    if isinstance(e, Call) and e.func == "above" and e.args:
        base = const_tier(ctx, e.args[0])
        order = [t.id for t in ctx.m.tiers]
        if base in order:
            return order[min(order.index(base) + 1, len(order) - 1)]
    return None


def route_target(ctx: Context, r: Route) -> str | None:
    """The tier a route always sends to, or None when it depends on the item (or sets none)."""
    if r.tier is not None:
        return const_tier(ctx, r.tier)
    if isinstance(r.department, Symbol) and r.department.value in ctx.departments:
        return ctx.departments[r.department.value].tier
    return None


def route_tier(ctx: Context, r: Route) -> str:
    """The route's tier (or department and its tier) in words, as escaped Markdown."""
    if r.tier is not None:
        if isinstance(r.tier, Symbol):
            return text(ctx.tier_name(r.tier.value))
        const = const_tier(ctx, r.tier)
        return text(ctx.tier_name(const)) if const else Words(ctx).condition(r.tier)
    if r.department is not None:
        if isinstance(r.department, Symbol):
            d = ctx.departments.get(r.department.value)
            return f"{text(ctx.dept_name(r.department.value))} → {text(ctx.tier_name(d.tier)) if d else ''}"
        return f"{Words(ctx).condition(r.department)}所在层级"
    return "（不改变层级 no tier）"


def escalation_steps(ctx: Context, r: Route) -> list[str]:
    """Each escalation step in words, as escaped Markdown."""
    steps = []
    kinds = {"transfer": "移交", "remind": "催办", "supervise": "督办", "circulate": "通报", "summon": "约谈"}
    for s in r.escalation:
        if s.tier == "above":
            target = "上一级 the tier above"
        else:
            target = ctx.tier_name(s.tier) if s.tier else ctx.dept_name(s.department)
        how = kinds.get(s.kind, s.kind) + ("" if s.kind == "transfer" else "（原承办单位继续办理）")
        steps.append(f"逾期 {text(limit_text_zh(s.after))} → {how} {text(target)}"
                     + (f"（{text(s.label)}）" if s.label else ""))
    return steps


def limit_words(ctx: Context, r: Route | EventClass) -> str:
    """A route's or a catalogue class's time limit (or stages) in words, with the clock each
    runs on."""
    def one(limit: Limit) -> str:
        if limit.const is not None:
            clock = CLOCK_TEXT[clock_of(limit.const.unit)][0]
            return f"{text(limit_text_zh(limit.const))}（{clock}）"
        return f"{code(limit.text)}（随事项而定 depends on the item）"
    if r.stages:
        return " → ".join(f"{text(s.name)} {one(s.limit)}" for s in r.stages) + "（各段均从上报时起算）"
    spec = r.limit_spec if isinstance(r, Route) else r.limit
    if spec is not None:
        return one(spec)
    if isinstance(r, Route) and r.outcome == "handle" and any(c.limit for c in ctx.m.classes):
        return "按事项所属小类的时限（见事件部件分类） the item's catalogue class's own limit, if it has one"
    return "—"
