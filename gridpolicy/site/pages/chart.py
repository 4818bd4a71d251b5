"""The five-level flow as a chart that reflows: tiers stacked from the top tier down to the
grid, the routes that send to each tier, and the escalation steps between tiers.

It is plain HTML (an ordered list of boxes and arrows), so text keeps its size on a phone
and the chart becomes one column instead of shrinking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Route
from ..context import Context
from ..markdown import anchor, attr
from .targets import route_target


@dataclass
class Flow:
    """The chart's content: routes per tier, routes whose tier depends on the item, routes that
    only add handlers, and escalation delays between tiers (lower, upper) -> delays."""

    by_tier: dict[str, list[tuple[int, Route]]]
    dynamic: list[tuple[int, Route]] = field(default_factory=list)
    extra: list[tuple[int, Route]] = field(default_factory=list)
    redirected: list[tuple[int, Route]] = field(default_factory=list)  # redirect or refuse: not handled here
    edges: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def flow(ctx: Context) -> Flow:
    order = [t.id for t in ctx.m.tiers]
    f = Flow(by_tier={t: [] for t in order})
    for n, r in enumerate(ctx.m.routes, 1):
        target = route_target(ctx, r)
        if r.outcome in ("redirect", "refuse"):
            f.redirected.append((n, r))
            continue
        if target in f.by_tier:
            f.by_tier[target].append((n, r))
        elif r.tier is not None or r.department is not None:
            f.dynamic.append((n, r))
        else:
            f.extra.append((n, r))
        base = target
        for s in r.escalation:
            if s.kind != "transfer":  # a notice: the case stays where it is
                continue
            if s.tier == "above":
                tgt = order[min(order.index(base) + 1, len(order) - 1)] if base in order else None
            elif s.tier:
                tgt = s.tier
            else:
                d = ctx.departments.get(s.department or "")
                tgt = d.tier if d else None
            if base in order and tgt in order and tgt != base:
                delays = f.edges.setdefault((base, tgt), [])
                if s.after.text_zh not in delays:
                    delays.append(s.after.text_zh)
            base = tgt if tgt in order else base
    return f


def _route_item(n: int, r: Route, note: str = "") -> str:
    return (f'<li><a href="#{anchor("route", r.id)}">{n}. {attr(r.name)}</a>'
            f"{note}</li>")


def render(ctx: Context) -> str:
    """The chart as HTML, top tier first."""
    f = flow(ctx)
    tiers = list(ctx.m.tiers)
    out = ['<ol class="gp-flow" aria-label="五级联动流程 five-level flow">']
    for i, t in enumerate(reversed(tiers)):
        routes = f.by_tier[t.id]
        items = "".join(_route_item(n, r) for n, r in routes) or "<li>（无直接分流规则 no direct route）</li>"
        out.append(f'<li class="gp-flow__tier" id="{attr(anchor("tier", t.id))}">'
                   f'<strong>第 {t.level} 级 · {attr(t.name)}</strong><ul>{items}</ul></li>')
        if i + 1 < len(tiers):
            lower = tiers[len(tiers) - 2 - i]
            ups = [(a, b, d) for (a, b), d in f.edges.items() if a == lower.id and b == t.id]
            skips = [(a, b, d) for (a, b), d in f.edges.items()
                     if a == lower.id and b != t.id]
            label = "；".join(f"逾期 {' / '.join(d[:3])}{' …' if len(d) > 3 else ''} 升级" for _, _, d in ups)
            for _, b, d in skips:
                label += ("；" if label else "") + f"逾期 {' / '.join(d[:3])} 直达{attr(ctx.tier_name(b))}"
            out.append(f'<li class="gp-flow__step" aria-hidden="{"false" if label else "true"}">'
                       f'<span>⬆ {label or "上报 report up"}</span></li>')
    out.append("</ol>")
    if f.dynamic:
        items = "".join(_route_item(n, r) for n, r in f.dynamic)
        out.append(f'<div class="gp-flow__extra"><strong>按事项确定层级 tier depends on the item</strong>'
                   f"<ul>{items}</ul></div>")
    if f.extra:
        items = "".join(_route_item(n, r) for n, r in f.extra)
        out.append(f'<div class="gp-flow__extra"><strong>追加承办 adds handlers</strong><ul>{items}</ul></div>')
    if f.redirected:
        items = "".join(_route_item(n, r) for n, r in f.redirected)
        out.append(f'<div class="gp-flow__extra"><strong>转介或不予受理 redirected or refused</strong><ul>{items}</ul></div>')
    return "\n".join(out)
