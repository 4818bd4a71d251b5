"""Route analyses, each a question to `Domain.search`: shadowed routes (GP101), overlaps
under `routing unique` (GP102), finite field values only the catch-all handles (GP103) and
matters a route names but never decides (GP104)."""

from __future__ import annotations

from gridpolicy.diagnostics import WARNING, Reporter
from gridpolicy.syntax.nodes import Symbol

from .domain import FINITE_TYPES, Constraint, Domain, _json, reads, route_reads, walk


def _reads_upto(d: Domain, index: int) -> set[str]:
    names = set(d.reach.reads)
    for r in d.model.routes[:index + 1]:
        names |= reads(r.condition)
    return names


def shadowed(d: Domain, rep: Reporter) -> None:
    """GP101: a route no item ever reaches: earlier routes decide everything it matches."""
    routes = d.model.routes
    for i, r in enumerate(routes):
        verdict, _ = d.search(d.decides(i))
        if verdict == "found":
            continue
        sampled = verdict == "none~"
        alone, _ = d.search([d.reach, d.cond(i)])
        if alone != "found":
            zh_note, en_note = d.note(set(d.reach.reads) | reads(r.condition), sampled or alone == "none~")
            rep.report("GP101", r.span, f"分流规则“{r.id}”的条件对任何（未被拒绝的）事项都不成立，永远不会适用{zh_note}",
                       f"route '{r.id}' matches no item that reaches routing and can never fire{en_note}",
                       severity=WARNING, hint=("检查条件是否写反或互相矛盾", "check the condition for contradictions"))
            continue
        by = []
        for j in range(i):
            if routes[j].cont:
                continue
            both = [c for c in d.decides(j)] + [d.cond(i)]
            v, _ = d.search(both)
            sampled = sampled or v == "none~"
            if v == "found":
                by.append(routes[j].id)
        zh_note, en_note = d.note(_reads_upto(d, i), sampled)
        by_zh, by_en = (f" {'、'.join(by)} ", f" {', '.join(by)}") if by else ("", "")
        rep.report("GP101", r.span,
                   f"分流规则“{r.id}”被前面的规则{by_zh}完全遮蔽，永远不会适用{zh_note}",
                   f"route '{r.id}' is shadowed by earlier route(s){by_en} and can never fire{en_note}",
                   severity=WARNING,
                   hint=("调整顺序，或收窄前面的规则", "reorder the routes or narrow the earlier ones"))


def _roles(d: Domain, values: dict, j: int) -> list[str]:
    """The handlers had route j decided: continue routes matched before it, then j."""
    p = d.policy
    matter = d.matter_for(values["matter"])
    roles: list[str] = []
    for i, compiled in enumerate(p.program.routes[:j + 1]):
        route = compiled.route
        if i == j or (route.cont and compiled.condition(values)):
            roles += p.decider.roles_of(route, matter)
    return roles


def overlaps(d: Domain, rep: Reporter) -> None:
    """GP102: under `routing unique`, two routes that match one item with different outcomes."""
    if d.model.header.routing != "unique":
        return
    routes = d.model.routes
    deciding = [i for i, r in enumerate(routes) if not r.cont and r.condition is not None]
    for a_pos, i in enumerate(deciding):
        for j in deciding[a_pos + 1:]:
            names = set()
            for k in range(j + 1):
                names |= route_reads(routes[k])
            names.add("matter")

            def differs(v: dict, i: int = i, j: int = j) -> bool:
                return d.outcome(i, v, _roles(d, v, i)) != d.outcome(j, v, _roles(d, v, j))
            verdict, values = d.search([*d.decides(i), d.cond(j), Constraint(frozenset(names), differs)])
            if verdict != "found":
                continue
            assert values is not None
            a, b = routes[i], routes[j]
            shown = d.show(values, route_reads(a) | route_reads(b))
            oa = d.outcome(i, values, _roles(d, values, i)).describe()
            ob = d.outcome(j, values, _roles(d, values, j)).describe()
            zh_note, en_note = d.note(names)
            rep.report("GP102", b.span,
                       f"本规则集要求分流与顺序无关（routing unique），但规则“{a.id}”和“{b.id}”同时适用于 "
                       f"{shown}，结果不同：{oa} 与 {ob}{zh_note}",
                       f"routing is unique but routes '{a.id}' and '{b.id}' both match {shown} with "
                       f"different outcomes: {oa} vs {ob}{en_note}",
                       severity=WARNING, hint=("收窄其中一条规则的条件，使两者互斥",
                                               "narrow one condition so the two exclude each other"))


def gaps(d: Domain, rep: Reporter) -> None:
    """GP103: a value of a finite field that routes test, yet every item with it falls to the
    catch-all: the rules distinguish the field but never this value. The field's default is
    the ordinary case the catch-all is for and is not reported."""
    routes = d.model.routes
    catch_all = next(i for i, r in enumerate(routes) if r.condition is None and not r.cont)
    tested: set[str] = set()
    for r in routes:
        tested |= reads(r.condition)
    others = [k for k, r in enumerate(routes) if not r.cont and k != catch_all]
    for f in d.model.fields:
        name = f.id
        if name not in tested or f.type not in (*FINITE_TYPES, "set") or name in d.approximate_fields:
            continue
        values = f.value_codes if f.type in ("enum", "set") else [v for v in d.domains[name] if v is not None]
        missed, example, sampled = [], None, False
        for v in values:
            if v == f.default:
                continue
            if f.type == "set":
                restrict = {name: [x for x in d.domains[name] if x is not None and v in x]}
            else:
                restrict = {name: [v]}
            reached, values_seen = d.search([d.reach, Constraint(frozenset({name}), lambda _: True)], restrict)
            if reached != "found":
                continue  # no item with this value reaches routing at all
            handled = False
            for k in others:
                verdict, _ = d.search(d.decides(k) + [Constraint(frozenset({name}), lambda _: True)], restrict)
                sampled = sampled or verdict == "none~"
                if verdict == "found":
                    handled = True
                    break
            if not handled:
                missed.append(v)
                example = example or values_seen
        if not missed:
            continue
        assert example is not None
        shown = ", ".join(_json(v) if isinstance(v, bool) else str(v) for v in missed)
        zh_note, en_note = d.note({name}, sampled)
        rep.report("GP103", f.span,
                   f"字段“{name}”取值 {shown} 时，没有任何分流规则单独处理，全部落入兜底规则"
                   f"“{routes[catch_all].id}”，例如 {d.show(example, {name})}{zh_note}",
                   f"no route handles {name} = {shown}: every such item falls through to the catch-all "
                   f"'{routes[catch_all].id}', e.g. {d.show(example, {name})}{en_note}",
                   severity=WARNING, hint=("如属有意，可在本行加 # gridpolicy: ignore GP103",
                                           "if intended, add # gridpolicy: ignore GP103 on this line"))


def matters(d: Domain, rep: Reporter) -> None:
    """GP104: a route names a matter, but no item about that matter is ever decided by it."""
    routes = d.model.routes
    for i, r in enumerate(routes):
        codes = sorted({n.value for n in walk(r.condition) if isinstance(n, Symbol) and n.kind == "matter"})
        if not codes or d.search(d.decides(i))[0] != "found":
            continue  # names no matter, or never fires at all (GP101 says so)
        for code in codes:
            states = [st for (c, _), st in d.state_of.items() if c == code]
            verdict, _ = d.search(d.decides(i) + [Constraint(frozenset({"matter"}), lambda _: True)],
                                  {"matter": list(dict.fromkeys(states))})
            if verdict == "found":
                continue
            zh_note, en_note = d.note(_reads_upto(d, i), verdict == "none~")
            rep.report("GP104", r.span,
                       f"分流规则“{r.id}”点名了事项 {code}，但该事项的任何问题都不会由此规则处理{zh_note}",
                       f"route '{r.id}' names matter {code}, but no item about it is ever decided by this "
                       f"route{en_note}", severity=WARNING)
