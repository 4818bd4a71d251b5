"""A routing index derived from the checked route conditions.

First-match routing scans routes in order. Most rule sets test a few discriminating fields
by equality or membership (`category == fire`, `category in [fire, flood]`, `matter == M01`)
in the top-level `and` conjuncts of each condition. For one such key the index maps each
value to the routes that could match an item with that value (the routes that constrain the
key to that value, plus every route that does not constrain it), in rule order. Routing then
evaluates only those candidates, in order, with the same compiled conditions: the first
candidate that matches is the first route that matches, because every route left out is one
whose condition is certainly false for that value.

The index is a pure function of the checked model (`PolicyModel.routes`), so the checker,
the explainer and the runtime keep sharing one model of the conditions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Route
from .nodes import Binary, Expr, ListLit, Literal, Name, Symbol

# A key is ("field", field_id) for a schema field or envelope value, or ("matter", "") for
# the code of the item's matter.
Key = tuple[str, str]


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
    values; None if it constrains no indexable key."""
    if not isinstance(e, Binary) or e.op not in ("==", "in"):
        return None
    left, right = e.left, e.right
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


def route_constraints(route: Route) -> dict[Key, frozenset[Any]]:
    """Every indexable key the route's condition pins down, with the values it allows
    (several conjuncts on one key intersect)."""
    out: dict[Key, frozenset[Any]] = {}
    for c in conjuncts(route.condition):
        found = constraint(c)
        if found is None:
            continue
        key, allowed = found
        out[key] = out[key] & allowed if key in out else allowed
    return out


@dataclass(frozen=True, slots=True)
class RouteIndex:
    """Candidate route positions by the value of one key. `key` None: no index (all routes)."""

    key: Key | None
    buckets: dict[Any, tuple[int, ...]]
    rest: tuple[int, ...]  # candidates for a value no route names (and for a missing value)
    count: int  # how many routes there are

    def candidates(self, values: dict[str, Any]) -> Sequence[int]:
        """Route positions, in rule order, that may match an item with these values."""
        key = self.key
        if key is None:
            return self.rest
        if key[0] == "matter":
            state = values.get("matter")
            value = getattr(state, "code", None)
        else:
            value = values.get(key[1])
        try:
            return self.buckets.get(value, self.rest)
        except TypeError:  # an unhashable value: no shortcut
            return range(self.count)


def build_index(routes: Sequence[Route]) -> RouteIndex:
    """Index the routes on the key that the most routes constrain (ties: first seen)."""
    per_route = [route_constraints(r) for r in routes]
    counts: dict[Key, int] = {}
    for cons in per_route:
        for key in cons:
            counts[key] = counts.get(key, 0) + 1
    everything = tuple(range(len(routes)))
    if not counts:
        return RouteIndex(None, {}, everything, len(routes))
    key = max(counts, key=lambda k: counts[k])  # max keeps the first of equal counts
    named: dict[Any, list[int]] = {}
    for cons in per_route:
        for value in cons.get(key, ()):
            named.setdefault(value, [])
    rest = tuple(i for i, cons in enumerate(per_route) if key not in cons)
    for i, cons in enumerate(per_route):
        allowed = cons.get(key)
        for value, positions in named.items():
            if allowed is None or value in allowed:
                positions.append(i)
    return RouteIndex(key, {v: tuple(p) for v, p in named.items()}, rest, len(routes))
