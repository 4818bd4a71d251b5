"""GP112: scopes the routes never reach. For a scope field computed from the grids an item
touches (`from grids`), an item whose scope is tier T should be decided at T or above; a
scope for which no route ever does so never reaches its tier (e.g. a cross-street problem
always handled by one street)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import WARNING, Reporter
from .domain import Constraint, Domain, route_reads


def unreached(d: Domain, rep: Reporter) -> None:
    model = d.model
    fields = [f for f in model.fields if f.computed == "grids" and f.id in d.domains]
    levels = {t.id: t.level for t in model.tiers}
    p = d.policy
    for f in fields:
        for tier in model.tiers:
            if tier.id == model.tiers[0].id:
                continue  # the lowest tier is reached by any route
            reached = False
            for i, r in enumerate(model.routes):
                if r.cont:
                    continue
                want = tier.id

                def at_or_above(v: dict[str, Any], i: int = i, want: str = want, key: str = f.id) -> bool:
                    return bool(v.get(key) == want and levels[p.program.destination(i, v)[0]] >= levels[want])
                reach = Constraint(frozenset(route_reads(r) | {f.id}), at_or_above)
                verdict, _ = d.search([*d.decides(i), reach], {f.id: [want]})
                if verdict == "found":
                    reached = True
                    break
            if reached:
                continue
            zh_note, en_note = d.note({f.id}, d.sampled)
            rep.report("GP112", f.span,
                       f"涉及范围（{f.id}）为“{tier.name}”的事项，没有任何分流规则交到“{tier.name}”或更高层级处理{zh_note}",
                       f"no route decides an item whose {f.id} is '{tier.id}' at that tier or above{en_note}",
                       severity=WARNING,
                       hint=(f"加一条 when {f.id} >= {tier.id} 的分流规则，放在较低层级的规则之前",
                             f"add a route for {f.id} >= {tier.id} before the routes of lower tiers"))
