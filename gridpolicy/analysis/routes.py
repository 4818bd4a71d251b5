"""Route analyses over the enumerated domain: shadowed routes (GP101), overlaps under
`routing unique` (GP102), field values only the catch-all handles (GP103) and matters a
route names but never decides (GP104)."""

from __future__ import annotations

from collections import defaultdict

from ..diagnostics import WARNING, Reporter
from ..nodes import Symbol
from .domain import FINITE_TYPES, Domain, Sample, reads, route_reads, walk


def shadowed(d: Domain, rep: Reporter) -> None:
    """GP101: a route no item ever reaches: earlier routes decide everything it matches."""
    routes = d.model.routes
    matched_any: dict[int, bool] = defaultdict(bool)
    fired: dict[int, bool] = defaultdict(bool)
    blockers: dict[int, dict[int, None]] = defaultdict(dict)
    for s in d.samples:
        if s.decided is None:
            continue
        for i in s.matched:
            matched_any[i] = True
            if i <= s.decided:
                fired[i] = True
            else:
                blockers[i][s.decided] = None
    for i, r in enumerate(routes):
        if fired[i]:
            continue
        names = route_reads(r)
        for j in blockers[i]:
            names |= reads(routes[j].condition)
        zh_note, en_note = d.note(names | {"kind", "matter"})
        if not matched_any[i]:
            rep.report("GP101", r.span, f"分流规则“{r.id}”的条件对任何事项都不成立，永远不会适用{zh_note}",
                       f"route '{r.id}' matches no item and can never fire{en_note}", severity=WARNING,
                       hint=("检查条件是否写反或互相矛盾", "check the condition for contradictions"))
            continue
        by = [routes[j].id for j in sorted(blockers[i])]
        rep.report("GP101", r.span,
                   f"分流规则“{r.id}”被前面的规则 {'、'.join(by)} 完全遮蔽，永远不会适用{zh_note}",
                   f"route '{r.id}' is shadowed by earlier route(s) {', '.join(by)} and can never fire{en_note}",
                   severity=WARNING,
                   hint=("调整顺序，或收窄前面的规则", "reorder the routes or narrow the earlier ones"))


def overlaps(d: Domain, rep: Reporter) -> None:
    """GP102: under `routing unique`, two routes that match one item with different outcomes."""
    if d.model.header.routing != "unique":
        return
    routes = d.model.routes
    found: dict[tuple[int, int], Sample] = {}
    for s in d.samples:
        if s.decided is None:
            continue
        deciders = [i for i in s.matched if not routes[i].cont]
        if len(deciders) < 2:
            continue
        first = deciders[0]
        for j in deciders[1:]:
            if (first, j) in found or routes[j].condition is None:
                continue
            other = d.outcome(j, s.values, [*_roles(d, s, j)])
            if other != s.outcome:
                found[(first, j)] = s
    for (i, j), s in sorted(found.items()):
        a, b = routes[i], routes[j]
        names = route_reads(a) | route_reads(b)
        other = d.outcome(j, s.values, _roles(d, s, j))
        zh_note, en_note = d.note(names)
        rep.report("GP102", b.span,
                   f"本规则集要求分流与顺序无关（routing unique），但规则“{a.id}”和“{b.id}”同时适用于 "
                   f"{d.show(s, names)}，结果不同：{s.outcome.describe()} 与 {other.describe()}{zh_note}",
                   f"routing is unique but routes '{a.id}' and '{b.id}' both match {d.show(s, names)} with "
                   f"different outcomes: {s.outcome.describe()} vs {other.describe()}{en_note}",
                   severity=WARNING, hint=("收窄其中一条规则的条件，使两者互斥",
                                           "narrow one condition so the two exclude each other"))


def _roles(d: Domain, s: Sample, j: int) -> list[str]:
    """The handlers had route j decided: continue routes matched before it, then j."""
    p = d.policy
    roles: list[str] = []
    for i in s.matched:
        if i > j:
            break
        if i == j or p._routes[i][0].cont:
            roles += p._roles_of(p._routes[i][0], s.matter)
    return roles


def gaps(d: Domain, rep: Reporter) -> None:
    """GP103: a value of a finite field that routes test, yet every item with it falls to the
    catch-all: the rules distinguish the field but never this value."""
    routes = d.model.routes
    catch_all = next(i for i, r in enumerate(routes) if r.condition is None and not r.cont)
    tested: set[str] = set()
    for r in routes:
        if r.condition is not None:
            tested |= reads(r.condition)
    fields = {f.id: f for f in d.model.fields}
    for name in sorted(tested):
        f = fields.get(name)
        if f is None or f.type not in FINITE_TYPES + ("set",) or name in d.approximate_fields:
            continue
        by_value: dict[object, list[Sample]] = defaultdict(list)
        for s in d.samples:
            if s.decided is not None:
                v = s.values.get(name)
                if f.type == "set":  # a set field: look at each declared value
                    for code in f.value_codes:
                        if v is not None and code in v:
                            by_value[code].append(s)
                else:
                    by_value[v].append(s)
        values = f.value_codes if f.type in ("enum", "set") else d.domains[name]
        # The field's default is the ordinary case the catch-all is for; other values are gaps.
        missed = [v for v in values if v is not None and v != f.default and by_value.get(v)
                  and all(s.decided == catch_all for s in by_value[v])]
        if not missed:
            continue
        example = by_value[missed[0]][0]
        shown = ", ".join(str(v) for v in missed)
        zh_note, en_note = d.note({name})
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
    named: dict[int, set[str]] = {}
    for i, r in enumerate(routes):
        codes = {n.value for n in walk(r.condition) if isinstance(n, Symbol) and n.kind == "matter"}
        if codes:
            named[i] = codes
    if not named:
        return
    decided: dict[tuple[int, str], bool] = defaultdict(bool)
    for s in d.samples:
        if s.decided is not None and s.matter is not None:
            decided[(s.decided, s.matter.code)] = True
            for i in s.matched:
                if i < s.decided and routes[i].cont:
                    decided[(i, s.matter.code)] = True
    fired = {i for i, _ in decided}
    for i, codes in sorted(named.items()):
        if i not in fired:
            continue  # the whole route never fires: GP101 says so
        r = routes[i]
        for code in sorted(codes):
            if decided[(i, code)]:
                continue
            zh_note, en_note = d.note(route_reads(r))
            rep.report("GP104", r.span,
                       f"分流规则“{r.id}”点名了事项 {code}，但该事项的任何问题都不会由此规则处理{zh_note}",
                       f"route '{r.id}' names matter {code}, but no item about it is ever decided by this "
                       f"route{en_note}", severity=WARNING)
