"""A routing index derived from the checked route conditions.

First-match routing asks for the first route whose condition holds. Most conditions are an
`and` of tests that each read one key against constants (`category in [fire, flood]`,
`severity >= 3`, `urgent`, `not public`, `matter == M01`). For every key such tests read, the
index splits the key's values into classes on which each of those tests is constant (every
value a test names, the gaps between numeric constants, `none`, "any other value") and stores
per class a bit mask of the routes whose tests on that key all hold there (bit i: route i;
a route with no test on the key has its bit in every class).

An item's candidates are the AND of the masks of its values' classes. A route outside the
candidates is certainly false. A candidate whose whole condition is such tests (an *exact*
route) certainly matches; any other candidate is confirmed by its compiled condition.
Visiting candidates in bit order keeps first-match semantics exact.

The masks are computed by running the compiled tests themselves on one representative value
per class, so the index cannot disagree with the evaluator about what a test means (missing
values, tier levels, int against float). The index is a pure function of the checked model;
the checker, explainer and runtime keep sharing one model of the conditions.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import PolicyModel, Route
from ..syntax.nodes import Attr, Binary, Call, Expr, ListLit, Literal, Name, Symbol, Unary
from .compiler import MATTER_ATTRIBUTES, Compiler, Fn

# A key is ("field", field_id) for a schema field or envelope value, or ("matter", "") for
# the code of the item's matter.
Key = tuple[str, str]

CODE, NUMBER, MATTER = 0, 1, 2  # how a test finds its value's class (literals in `candidates`)
_FINITE = ("enum", "tier", "department", "role", "bool")
_INDEXED = (*_FINITE, "number", "text")
_ORDERING = frozenset(("<", "<=", ">", ">=", ".."))
_LOGIC = frozenset(("and", "or", "==", "!=", "in", "not in", "<", "<=", ">", ">="))
_OTHER = "\x00any other value"  # a value no rule names: stands for every such value


def conjuncts(e: Expr | None) -> Iterator[Expr]:
    """The top-level `and` operands of a condition (a single condition is its own conjunct)."""
    if e is None:
        return
    if isinstance(e, Binary) and e.op == "and":
        yield from conjuncts(e.left)
        yield from conjuncts(e.right)
    else:
        yield e


def _const(e: Expr) -> tuple[bool, Any]:
    if isinstance(e, (Literal, Symbol)) and not (isinstance(e, Symbol) and e.kind in ("list", "matter")):
        return True, e.value
    return False, None


def constraint(e: Expr) -> tuple[Key, frozenset[Any]] | None:
    """(key, allowed values) if the conjunct `e` is true only when the key has one of the
    values; None if it constrains no key that way."""
    if not isinstance(e, Binary) or e.op not in ("==", "in"):
        return None
    left, right = e.left, e.right
    attr = _matter_attribute(left) or _matter_attribute(right)
    if attr is not None:  # `matter.class == A0102`, `matter.major in [A01, A02]`
        return _attribute_constraint(e, attr)
    if e.op == "==":
        if isinstance(left, Symbol) and left.kind == "matter":
            left, right = right, left
        if isinstance(right, Symbol) and right.kind == "matter":
            if isinstance(left, Name) and left.id == "matter":
                return ("matter", ""), frozenset((right.value,))
            return None
        if isinstance(left, (Literal, Symbol)) and isinstance(right, Name):
            left, right = right, left
        ok, value = _const(right)
        if isinstance(left, Name) and ok and value is not None and isinstance(value, Hashable):
            return ("field", left.id), frozenset((value,))
        return None
    # membership: `name in [c1, c2]`
    if not isinstance(left, Name) or not isinstance(right, ListLit):
        return None
    if right.items and all(isinstance(i, Symbol) and i.kind == "matter" for i in right.items):
        if left.id != "matter":
            return None
        return ("matter", ""), frozenset(i.value for i in right.items)  # type: ignore[attr-defined]
    values = []
    for item in right.items:
        ok, value = _const(item)
        if not ok or value is None or not isinstance(value, Hashable):
            return None
        values.append(value)
    return ("field", left.id), frozenset(values)


def _matter_attribute(e: Expr) -> str | None:
    """The MatterState slot `e` reads if it is `matter.<attribute>`."""
    if isinstance(e, Attr) and isinstance(e.obj, Name) and e.obj.id == "matter":
        return MATTER_ATTRIBUTES.get(e.name)
    return None


def _attribute_constraint(e: Binary, slot: str) -> tuple[Key, frozenset[Any]] | None:
    left, right = e.left, e.right
    if e.op == "==":
        if _matter_attribute(right) is not None:
            left, right = right, left
        if isinstance(right, Symbol) and _matter_attribute(left) is not None:
            return ("matter", slot), frozenset((right.value,))
        return None
    if _matter_attribute(left) is None or not isinstance(right, ListLit) or not right.items:
        return None
    if not all(isinstance(i, Symbol) for i in right.items):
        return None
    return ("matter", slot), frozenset(i.value for i in right.items)  # type: ignore[attr-defined]


def route_constraints(route: Route) -> dict[Key, frozenset[Any]]:
    """Every key the route's condition pins to a set of values, with the values it allows
    (several conjuncts on one key intersect)."""
    out: dict[Key, frozenset[Any]] = {}
    for c in conjuncts(route.condition):
        found = constraint(c)
        if found is None:
            continue
        key, allowed = found
        out[key] = out[key] & allowed if key in out else allowed
    return out


# ---- single-key tests --------------------------------------------------------------------------

def _shape(e: Expr, names: set[str], consts: list[Any], ops: set[str]) -> bool:
    """Whether `e` is built only from names, constants, `not`, `has(name)`, `tier_of(...)` and
    comparisons / `and` / `or` / membership in a literal list or a literal range; collects
    what it reads."""
    if isinstance(e, Name):
        names.add(e.id)
        return True
    if isinstance(e, Literal):
        consts.append(e.value)
        return True
    if isinstance(e, Symbol):
        if e.kind in ("list", "matter"):
            return False
        consts.append(e.value)
        return True
    if isinstance(e, Unary):
        return e.op == "not" and _shape(e.operand, names, consts, ops)
    if isinstance(e, ListLit):
        return all(isinstance(i, (Literal, Symbol)) and _shape(i, names, consts, ops) for i in e.items)
    if isinstance(e, Call) and not e.kwargs and len(e.args) == 1:
        if e.func == "has" and isinstance(e.args[0], Name):
            names.add(e.args[0].id)
            return True
        if e.func == "tier_of":  # a function of the value: every value of the domain is a class
            ops.add("call")
            return _shape(e.args[0], names, consts, ops)
        return False
    if isinstance(e, Binary):
        if e.op == "..":
            ops.add("..")
            ok = all(isinstance(x, Literal) for x in (e.left, e.right))
            return ok and _shape(e.left, names, consts, ops) and _shape(e.right, names, consts, ops)
        if e.op not in _LOGIC:
            return False
        if e.op in ("in", "not in") and not isinstance(e.right, (ListLit, Binary)):
            return False
        ops.add(e.op)
        return _shape(e.left, names, consts, ops) and _shape(e.right, names, consts, ops)
    return False


@dataclass(frozen=True, slots=True)
class _Test:
    key: str
    fn: Fn | None  # the compiled test; None when `allowed` says it all
    consts: tuple[Any, ...]
    ordering: bool
    allowed: frozenset[Any] | None  # the values it lets through, if it is `key == c` or `key in [...]`


def _single_key_test(e: Expr, types: dict[str, str], compiler: Compiler) -> _Test | None:
    """The conjunct as a test of one indexable key against constants, if it is one."""
    names: set[str] = set()
    consts: list[Any] = []
    ops: set[str] = set()
    if not _shape(e, names, consts, ops) or len(names) != 1:
        return None
    key = next(iter(names))
    kind = types.get(key)
    if kind is None:
        return None
    ordering = bool(ops & _ORDERING) or "call" in ops  # true for tests that need the whole domain
    if "call" in ops and kind not in _FINITE:
        return None
    if kind == "number":
        if any(c is not None and (type(c) not in (int, float) or c != c) for c in consts):
            return None
    elif kind == "text" and ordering:  # no finite domain to enumerate
        return None
    found = constraint(e)
    allowed = found[1] if found is not None and found[0] == ("field", key) else None
    fn = compiler.condition(e) if allowed is None else None
    return _Test(key, fn, tuple(c for c in consts if c is not None), ordering, allowed)


def _classes(kind: str, tests: list[_Test], domain: tuple[Any, ...]
             ) -> tuple[list[tuple[Any, Any]], list[Any]] | None:
    """For one key: (lookup value, representative) of each class with a table entry, and the
    representatives of the gaps between numeric constants (numbers only); None when a class
    has no representative strictly inside it."""
    if kind == "number":
        cuts = sorted(set().union(*(t.consts for t in tests)))
        if not cuts:
            return [(None, None)], [0]
        gaps = [cuts[0] - 1, *((a + (b - a) / 2) for a, b in zip(cuts, cuts[1:])), cuts[-1] + 1]
        bounds = [None, *cuts, None]
        for k, rep in enumerate(gaps):
            lo, hi = bounds[k], bounds[k + 1]
            if (lo is not None and not lo < rep) or (hi is not None and not rep < hi):
                return None  # constants too close for a float in between: leave the key out
        return [(c, c) for c in cuts] + [(None, None)], gaps
    named: list[Any] = list(dict.fromkeys(c for t in tests for c in t.consts if isinstance(c, Hashable)))
    if any(t.ordering for t in tests) or kind == "bool":
        named += [v for v in domain if v not in named]
    return [(v, v) for v in named] + [(None, None)], []


@dataclass(frozen=True, slots=True)
class KeyTest:
    """The masks of one key: `table` maps a value to its class's mask; for numbers, a value
    not in `table` falls into gap `bisect_left(cuts, value)`; any other value gets `other`."""

    key: str
    how: int  # CODE | NUMBER | MATTER
    table: dict[Any, int]
    other: int
    cuts: tuple[Any, ...]
    gaps: tuple[int, ...]
    constrains: int  # the routes that test this key


@dataclass(frozen=True)
class RouteIndex:
    """Candidate routes of an item as a bit mask (bit i: route i), and which routes are
    decided by the mask alone. Plain data: pickled into the compiled cache with the model."""

    tests: tuple[KeyTest, ...]
    everything: int  # every route
    exact: tuple[bool, ...]  # route i needs no evaluation once it is a candidate
    count: int
    settled: int = 0  # routes that `tests[0]` alone decides (exact, not continuing, no other test)
    # Many routes: split on the key of `tests[0]`; each part indexes only the routes that the
    # key's value lets through, in positions of its own (mapped back by the tuple).
    split: str | None = None
    parts: dict[Any, tuple[RouteIndex, tuple[int, ...]]] | None = None
    other_part: tuple[RouteIndex, tuple[int, ...]] | None = None
    # The tests in the shapes `scan` (and the generated router) read: (key, table, other) per
    # code test, (key, table, cuts, gaps) per number test; the matter tests below.
    code_tests: tuple[tuple[str, dict[Any, int], int], ...] = dataclasses.field(init=False, repr=False,
                                                                                  compare=False)
    number_tests: tuple[tuple[str, dict[Any, int], tuple[Any, ...], tuple[int, ...]], ...] = dataclasses.field(
        init=False, repr=False, compare=False)
    # (MatterState slot, table, other) per tested attribute of the item's matter: its code, class, major ...
    matter_tests: tuple[tuple[str, dict[Any, int], int], ...] = dataclasses.field(init=False, repr=False,
                                                                                  compare=False)

    def __post_init__(self) -> None:
        tests = self.tests
        # A frozen dataclass sets its derived fields through object.__setattr__.
        object.__setattr__(self, "code_tests", tuple((t.key, t.table, t.other) for t in tests if t.how == CODE))
        object.__setattr__(self, "number_tests", tuple((t.key, t.table, t.cuts, t.gaps) for t in tests
                                                       if t.how == NUMBER))
        object.__setattr__(self, "matter_tests", tuple((t.key.partition(".")[2] or "code", t.table, t.other)
                                                       for t in tests if t.how == MATTER))

    def candidates(self, values: dict[str, Any]) -> int | None:
        """The routes that may match an item with these values, as a bit mask; None when a
        value fits no class (then every route is a candidate and none is exact)."""
        return self.scan(values, 0)

    def scan(self, values: dict[str, Any], settled: int) -> int | None:
        """`candidates`; but once the first test leaves a route of `settled` first, only
        that route (no later test can remove it, and every other candidate comes after it).
        Routing passes `self.settled`."""
        mask = self.everything
        try:
            codes = self.code_tests
            if codes:
                key, table, other = codes[0]
                mask &= table.get(values.get(key), other)
                low = mask & -mask
                if low & settled:
                    return low
                for key, table, other in codes[1:]:
                    mask &= table.get(values.get(key), other)
            for key, table, cuts, gaps in self.number_tests:
                x = values.get(key)
                hit = table.get(x)
                mask &= gaps[bisect_left(cuts, x)] if hit is None else hit
            if self.matter_tests:
                matter = values.get("matter")
                for slot, table, other in self.matter_tests:
                    mask &= table.get(getattr(matter, slot, None), other)
        except TypeError:  # a value of no known class (unhashable, not a number): no shortcut
            return None
        return mask

    def first(self, values: dict[str, Any], conds: Sequence[Fn], cont: Sequence[bool]
              ) -> tuple[int, list[int] | None]:
        """First-match routing, given each route's compiled condition and whether it continues:
        the position of the deciding route, and of the continuing routes that matched before
        it (None if none did)."""
        index: RouteIndex = self
        positions: tuple[int, ...] | None = None
        if self.split is not None:
            try:
                part = self.parts.get(values.get(self.split), self.other_part)  # type: ignore[union-attr]
            except TypeError:  # an unhashable value: the whole index
                part = None
            if part is not None:
                index, positions = part
        exact = index.exact
        mask = index.scan(values, index.settled)
        if mask is None:
            mask, exact = index.everything, (False,) * index.count
        matched: list[int] | None = None
        while mask:
            low = mask & -mask
            j = low.bit_length() - 1
            i = j if positions is None else positions[j]
            if exact[j] or conds[i](values):
                if not cont[i]:
                    return i, matched
                if matched is None:
                    matched = []
                matched.append(i)
            mask ^= low
        raise AssertionError("the checker guarantees a catch-all route")

    @staticmethod
    def positions(mask: int) -> Iterator[int]:
        """The route positions in a mask, in rule order."""
        while mask:
            low = mask & -mask
            yield low.bit_length() - 1
            mask ^= low


def build_index(model: PolicyModel, compiler: Compiler, split_above: int | None = None) -> RouteIndex:
    """Index the routes of `model` on every key that single-key tests read; with more than
    `split_above` routes (default `SPLIT_ABOVE`), split on the leading key."""
    routes = model.routes
    types = {f.id: f.type for f in model.fields if f.type in _INDEXED}
    types["kind"] = "enum"
    domains: dict[str, tuple[Any, ...]] = {"kind": ("issue", "task")}
    for f in model.fields:
        domains[f.id] = {"enum": f.value_codes, "bool": (True, False), "tier": tuple(t.id for t in model.tiers),
                         "department": tuple(d.id for d in model.departments),
                         "role": tuple(r.id for r in model.roles)}.get(f.type, ())
    per_route: list[dict[str, list[_Test]]] = []
    matter_codes: list[dict[str, frozenset[Any]]] = []  # per route: MatterState slot -> values allowed
    exact: list[bool] = []
    for r in routes:
        tests: dict[str, list[_Test]] = {}
        codes: dict[str, frozenset[Any]] = {}
        whole = True
        for c in conjuncts(r.condition):
            found = constraint(c)
            if found is not None and found[0][0] == "matter":
                slot = found[0][1] or "code"
                codes[slot] = found[1] & codes[slot] if slot in codes else found[1]
                continue
            test = _single_key_test(c, types, compiler)
            if test is None:
                whole = False
            else:
                tests.setdefault(test.key, []).append(test)
        per_route.append(tests)
        matter_codes.append(codes)
        exact.append(whole)
    cont = [r.cont for r in routes]
    top = _assemble(per_route, matter_codes, exact, cont, types, domains)
    if top.count <= (SPLIT_ABOVE if split_above is None else split_above) or not top.tests \
            or top.tests[0].how != CODE:
        return top
    key = top.tests[0].key
    parts: dict[tuple[int, ...], tuple[RouteIndex, tuple[int, ...]]] = {}

    def part(mask: int) -> tuple[RouteIndex, tuple[int, ...]]:
        positions = tuple(RouteIndex.positions(mask))
        if positions not in parts:  # values that let the same routes through share a part
            parts[positions] = (_assemble([{k: v for k, v in per_route[i].items() if k != key} for i in positions],
                                          [matter_codes[i] for i in positions], [top.exact[i] for i in positions],
                                          [cont[i] for i in positions], types, domains), positions)
        return parts[positions]
    first = top.tests[0]
    return dataclasses.replace(top, split=key, parts={v: part(m) for v, m in first.table.items()},
                               other_part=part(first.other))


SPLIT_ABOVE = 64  # routes; fewer fit in small masks and need no split


def _assemble(per_route: list[dict[str, list[_Test]]], matter_codes: list[dict[str, frozenset[Any]]],
              exact_in: list[bool], cont: list[bool], types: dict[str, str], domains: dict[str, tuple[Any, ...]]
              ) -> RouteIndex:
    """A one-level index over these routes (their single-key tests, matter codes, whether
    their whole condition is such tests, whether they continue)."""
    exact = list(exact_in)
    count = len(per_route)
    everything = (1 << count) - 1
    keyed: list[KeyTest] = []
    for key in dict.fromkeys(k for tests in per_route for k in tests):
        built = _key_test(key, types[key], domains.get(key, ()), per_route)
        if built is None:  # not indexable after all: its routes are confirmed by evaluation
            for i, tests in enumerate(per_route):
                if key in tests:
                    exact[i] = False
        else:
            keyed.append(built)
    for slot in dict.fromkeys(k for codes in matter_codes for k in codes):
        keyed.append(_matter_test(slot, [codes.get(slot) for codes in matter_codes]))
    # Codes first, the key most routes test leading; then numbers, then the matter.
    keyed.sort(key=lambda t: (t.how != CODE, t.how, -t.constrains.bit_count()))
    settled = 0
    if keyed and keyed[0].how == CODE:
        others = 0
        for t in keyed[1:]:
            others |= t.constrains
        for i in range(count):
            if exact[i] and not cont[i] and not others >> i & 1:
                settled |= 1 << i
    return RouteIndex(tuple(keyed), everything, tuple(exact), count, settled)


def _key_test(key: str, kind: str, domain: tuple[Any, ...], per_route: list[dict[str, list[_Test]]]
              ) -> KeyTest | None:
    tests = [t for ts in per_route for t in ts.get(key, ())]
    found = _classes(kind, tests, domain)
    if found is None:
        return None
    named, gaps = found

    count = len(per_route)
    testers = [(i, ts[key]) for i, ts in enumerate(per_route) if key in ts]
    constrains = _mask(count, (i for i, _ in testers), clear=False)
    untested = ((1 << count) - 1) & ~constrains
    # Tests that only let some values through are placed by those values; the others are
    # run on each class's representative.
    by_value: dict[Any, list[int]] = {}
    general: list[tuple[int, list[_Test]]] = []
    for i, ts in testers:
        if all(t.allowed is not None for t in ts):
            for value in frozenset.intersection(*(t.allowed for t in ts)):  # type: ignore[arg-type]
                by_value.setdefault(value, []).append(i)
        else:
            general.append((i, ts))

    def holds(t: _Test, env: dict[str, Any], named: bool) -> bool:
        if t.fn is None:
            return named and env[key] in t.allowed  # type: ignore[operator]
        return t.fn(env) is True

    def mask(rep: Any, named: bool) -> int:
        env = {key: rep}
        passing = [i for i, ts in general if all(holds(t, env, named) for t in ts)]
        if named:
            passing += by_value.get(rep, ())
        return untested | _mask(count, passing, clear=False)
    try:
        table = {value: mask(rep, True) for value, rep in named}
        if kind == "number":  # any value that is not a number fits no class
            return KeyTest(key, NUMBER, table, 0, tuple(c for c, _ in named if c is not None),
                           tuple(mask(g, False) for g in gaps), constrains)
        return KeyTest(key, CODE, table, mask(_OTHER, False), (), (), constrains)
    except TypeError:  # a test that cannot run on a representative: leave the key out
        return None


def _matter_test(slot: str, matter_codes: list[frozenset[Any] | None]) -> KeyTest:
    """The masks of one attribute of the item's matter (`slot` of its MatterState: its code,
    class, major class, type, owner ...), from the values each route allows (None: any)."""
    named = dict.fromkeys(c for codes in matter_codes if codes for c in codes)

    count = len(matter_codes)

    def mask(code: str | None) -> int:
        return _mask(count, (i for i, codes in enumerate(matter_codes) if codes is not None and code not in codes))
    constrains = _mask(count, (i for i, codes in enumerate(matter_codes) if codes is not None), clear=False)
    return KeyTest("matter" if slot == "code" else f"matter.{slot}", MATTER, {c: mask(c) for c in named}, mask(None),
                   (), (), constrains)


def _mask(count: int, positions: Iterable[int], clear: bool = True) -> int:
    """The mask of `count` routes with the given positions cleared (or, `clear` False, only
    those set), built as a string of binary digits: linear in `count`."""
    digits = bytearray(b"1" if clear else b"0") * count
    flip = ord("0") if clear else ord("1")
    for i in positions:
        digits[count - 1 - i] = flip
    return int(digits, 2) if count else 0


def scan_index(count: int) -> RouteIndex:
    """An index that makes every route a candidate and confirms each by evaluation (a full
    scan; for tests and comparisons)."""
    return RouteIndex((), (1 << count) - 1, (False,) * count, count)

