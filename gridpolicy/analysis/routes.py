"""Route analyses over the item space as bit sets (`space.Space`): shadowed routes (GP101),
overlaps under `routing unique` (GP102), finite field values only the catch-all handles
(GP103) and matters a route names but never decides (GP104).

One first-match sweep (`sweep`) gives every item of the space its deciding route; each
analysis then asks its questions of that table and of the routes' sets, so the cost grows
with the number of routes times the size of a set, not with pairs of routes."""

from __future__ import annotations

from ..diagnostics import WARNING, Reporter
from ..syntax.nodes import Symbol
from .domain import FINITE_TYPES, Domain, _json, route_reads, walk
from .space import Space, weights


class Routing:
    """The first-match sweep over the routes of a space. Which routes fire (some item gets to
    them undecided) is kept per route; the union of the earlier routes' sets every `STEP`
    routes, so that the items a route decides (`decided`) and the route deciding an item
    (`owner`) are a few set operations away without a set per route."""

    STEP = 32
    KEEP_BYTES = 128 << 20  # the routes' sets kept while they fit (then recomputed when asked)

    def __init__(self, s: Space) -> None:
        self.s = s
        routes = self.routes = s.d.model.routes
        self._sets: list[int | None] = [None] * len(routes)
        room = self.KEEP_BYTES // (s.count // 8 + 1)
        self.cont = [r.cont for r in routes]
        self.catch_all = next(i for i, r in enumerate(routes) if r.condition is None and not r.cont)
        covered = 0  # items matched by an earlier deciding route
        self.before: list[int] = []  # before[k]: `covered` before route k * STEP
        self.fires: list[bool] = []
        for i, r in enumerate(routes):
            if i % self.STEP == 0:
                self.before.append(covered)
            if covered & s.reach == s.reach:
                self.fires.append(False)
                continue
            m = s.cond(r.condition)
            if i < room:
                self._sets[i] = m
            self.fires.append(bool(m & s.reach & ~covered))
            if not r.cont:
                covered |= m
        self.before.append(covered)

    def matched(self, i: int) -> int:
        """The items route i's condition holds for."""
        got = self._sets[i]
        return self.s.cond(self.routes[i].condition) if got is None else got

    def covered_before(self, j: int) -> int:
        """The items some deciding route before route j matches."""
        k = j // self.STEP
        out = self.before[k]
        for i in range(k * self.STEP, j):
            if not self.cont[i]:
                out |= self.matched(i)
        return out

    def decided(self, j: int) -> int:
        """The items route j decides (for a continue route: applies to)."""
        if not self.fires[j]:
            return 0
        return self.s.reach & self.matched(j) & ~self.covered_before(j)

    def owner(self, x: int) -> int:
        """The route deciding item x (which reaches routing)."""
        bit = 1 << x
        lo, hi = 0, len(self.before) - 1  # before[hi] holds x; find the first that does
        while lo < hi:
            mid = (lo + hi) // 2
            if self.before[mid] & bit:
                hi = mid
            else:
                lo = mid + 1
        for i in range(max(lo - 1, 0) * self.STEP, len(self.routes)):
            if not self.cont[i] and self.matched(i) & bit:
                return i
        raise AssertionError("the checker guarantees a catch-all route")

    def deciders(self, where: int) -> dict[int, int]:
        """The routes deciding the items of `where` (which reach routing), each with its part."""
        out: dict[int, int] = {}
        while where:
            j = self.owner((where & -where).bit_length() - 1)
            part = where & self.decided(j)
            out[j] = part
            where ^= part
        return dict(sorted(out.items()))


Slices = list[tuple[Space, Routing]]


def sweep(spaces: list[Space]) -> Slices:
    """The first-match sweep over each slice of the space."""
    return [(s, Routing(s)) for s in spaces]


def _first(found: list[tuple[tuple[int, ...], dict] | None]) -> dict | None:
    """The example of the slice that comes first in the search's order."""
    hits = [f for f in found if f is not None]
    return min(hits, key=lambda f: f[0])[1] if hits else None


def _reads_upto(s: Space) -> list[frozenset[str]]:
    """For each route, the names the reach test and its and the earlier routes' conditions read."""
    names = set(s.d.reach.reads)
    out = []
    for r in s.d.model.routes:
        names |= s.reads(r.condition)
        out.append(frozenset(names))
    return out


def shadowed(slices: Slices, rep: Reporter) -> None:
    """GP101: a route no item ever reaches: earlier routes decide everything it matches."""
    s = slices[0][0]
    d = s.d
    upto = _reads_upto(s)
    for i, r in enumerate(d.model.routes):
        if any(rt.fires[i] for _, rt in slices):
            continue
        deciders: set[int] = set()
        alone = False
        for sl, rt in slices:
            here = sl.reach & rt.matched(i)
            if here:
                alone = True
                deciders |= rt.deciders(here).keys()
        if not alone:
            zh_note, en_note = s.note(set(d.reach.reads) | s.reads(r.condition))
            rep.report("GP101", r.span, f"分流规则“{r.id}”的条件对任何（未被拒绝的）事项都不成立，永远不会适用{zh_note}",
                       f"route '{r.id}' matches no item that reaches routing and can never fire{en_note}",
                       severity=WARNING, hint=("检查条件是否写反或互相矛盾", "check the condition for contradictions"))
            continue
        by = [d.model.routes[j].id for j in sorted(deciders)]
        zh_note, en_note = s.note(set(upto[i]))
        by_zh, by_en = (f" {'、'.join(by)} ", f" {', '.join(by)}") if by else ("", "")
        rep.report("GP101", r.span,
                   f"分流规则“{r.id}”被前面的规则{by_zh}完全遮蔽，永远不会适用{zh_note}",
                   f"route '{r.id}' is shadowed by earlier route(s){by_en} and can never fire{en_note}",
                   severity=WARNING,
                   hint=("调整顺序，或收窄前面的规则", "reorder the routes or narrow the earlier ones"))


def _roles(d: Domain, values: dict, j: int, continuing: list[int] | None = None) -> list[str]:
    """The handlers had route j decided: continue routes matched before it, then j
    (`continuing`: the positions of the continue routes, if known)."""
    p = d.policy
    matter = d.matter_for(values["matter"])
    roles: list[str] = []
    compiled = p.program.routes
    if continuing is None:
        continuing = [i for i in range(j) if compiled[i].route.cont]
    for i in continuing:
        if i >= j:
            break
        if compiled[i].condition(values):
            roles += p.decider.roles_of(compiled[i].route, matter)
    return roles + p.decider.roles_of(compiled[j].route, matter)


def overlaps(slices: Slices, rep: Reporter) -> None:
    """GP102: under `routing unique`, two routes that match one item with different outcomes.
    For route j, the items an earlier route decides and j matches, grouped by who decides."""
    s = slices[0][0]
    d = s.d
    if d.model.header.routing != "unique":
        return
    routes = d.model.routes
    deciding = {i for i, r in enumerate(routes) if not r.cont and r.condition is not None}
    creads = [s.reads(r.condition) for r in routes]
    continuing = [i for i, r in enumerate(routes) if r.cont]
    before: list[dict[str, int]] = []  # before[i]: how many deciding routes before i read each name
    counts: dict[str, int] = {}
    for r, names_read in zip(routes, creads):
        before.append(dict(counts))
        if not r.cont:
            for n in names_read:
                counts[n] = counts.get(n, 0) + 1
    names: set[str] = {"matter"}
    covered = [0] * len(slices)  # per slice, the items matched by the deciding routes before j
    for j, b in enumerate(routes):
        names |= route_reads(b)
        parts: dict[int, list[tuple[Space, int]]] = {}
        for k, (sl, rt) in enumerate(slices):
            m = rt.matched(j)
            both = m & covered[k] & sl.reach
            if not b.cont:
                covered[k] |= m
            if j in deciding and both:
                for i, part in rt.deciders(both).items():
                    parts.setdefault(i, []).append((sl, part))
        for i in sorted(parts):
            if i not in deciding:
                continue

            def differs(v: dict, i: int = i, j: int = j) -> bool:
                return (d.outcome(i, v, _roles(d, v, i, continuing))
                        != d.outcome(j, v, _roles(d, v, j, continuing)))
            weight = weights(d.reach.reads, creads[i], creads[j], names)
            for n, k in before[i].items():
                weight[n] = weight.get(n, 0) + k
            values = _first([sl.first(part, weight, extra=(frozenset(names), differs)) for sl, part in parts[i]])
            if values is None:
                continue
            a = routes[i]
            shown = d.show(values, route_reads(a) | route_reads(b))
            oa = d.outcome(i, values, _roles(d, values, i)).describe()
            ob = d.outcome(j, values, _roles(d, values, j)).describe()
            zh_note, en_note = s.note(names)
            rep.report("GP102", b.span,
                       f"本规则集要求分流与顺序无关（routing unique），但规则“{a.id}”和“{b.id}”同时适用于 "
                       f"{shown}，结果不同：{oa} 与 {ob}{zh_note}",
                       f"routing is unique but routes '{a.id}' and '{b.id}' both match {shown} with "
                       f"different outcomes: {oa} vs {ob}{en_note}",
                       severity=WARNING, hint=("收窄其中一条规则的条件，使两者互斥",
                                               "narrow one condition so the two exclude each other"))


def gaps(slices: Slices, rep: Reporter) -> None:
    """GP103: a value of a finite field that routes test, yet every item with it falls to the
    catch-all: the rules distinguish the field but never this value. The field's default is
    the ordinary case the catch-all is for and is not reported."""
    s = slices[0][0]
    d = s.d
    routes = d.model.routes
    tested: set[str] = set()
    for r in routes:
        tested |= s.reads(r.condition)
    catch_all = slices[0][1].catch_all
    handled_elsewhere = [sl.reach & ~rt.decided(catch_all) for sl, rt in slices]
    for f in d.model.fields:
        name = f.id
        if name not in tested or f.type not in (*FINITE_TYPES, "set") or name in d.approximate_fields:
            continue
        values = f.value_codes if f.type in ("enum", "set") else [v for v in d.domains[name] if v is not None]
        missed, example = [], None
        for v in values:
            if v == f.default:
                continue
            if f.type == "set":
                restrict = [x for x in d.domains[name] if x is not None and v in x]
            else:
                restrict = [v]
            reached = [sl.reach & sl.values_in(name, restrict) for sl, _ in slices]
            if not any(reached) or any(x & h for x, h in zip(reached, handled_elsewhere)):
                continue  # no item with this value reaches routing at all, or a route handles one
            missed.append(v)
            if example is None:
                example = _first([sl.first(x, weights(d.reach.reads, {name}), {name: restrict})
                                  for (sl, _), x in zip(slices, reached) if x])
        if not missed:
            continue
        assert example is not None
        shown = ", ".join(_json(v) if isinstance(v, bool) else str(v) for v in missed)
        zh_note, en_note = s.note({name})
        rep.report("GP103", f.span,
                   f"字段“{name}”取值 {shown} 时，没有任何分流规则单独处理，全部落入兜底规则"
                   f"“{routes[catch_all].id}”，例如 {d.show(example, {name})}{zh_note}",
                   f"no route handles {name} = {shown}: every such item falls through to the catch-all "
                   f"'{routes[catch_all].id}', e.g. {d.show(example, {name})}{en_note}",
                   severity=WARNING, hint=("如属有意，可在本行加 # gridpolicy: ignore GP103",
                                           "if intended, add # gridpolicy: ignore GP103 on this line"))


def matters(slices: Slices, rep: Reporter) -> None:
    """GP104: a route names a matter, but no item about that matter is ever decided by it."""
    s = slices[0][0]
    d = s.d
    upto = _reads_upto(s)
    for i, r in enumerate(d.model.routes):
        codes = sorted({n.value for n in walk(r.condition) if isinstance(n, Symbol) and n.kind == "matter"})
        if not codes or not any(rt.fires[i] for _, rt in slices):
            continue  # names no matter, or never fires at all (GP101 says so)
        decided = [(sl, rt.decided(i)) for sl, rt in slices]
        for code in codes:
            states = list(dict.fromkeys(st for (c, _), st in d.state_of.items() if c == code))
            if any(x & sl.values_in("matter", states) for sl, x in decided):
                continue
            zh_note, en_note = s.note(set(upto[i]))
            rep.report("GP104", r.span,
                       f"分流规则“{r.id}”点名了事项 {code}，但该事项的任何问题都不会由此规则处理{zh_note}",
                       f"route '{r.id}' names matter {code}, but no item about it is ever decided by this "
                       f"route{en_note}", severity=WARNING)
