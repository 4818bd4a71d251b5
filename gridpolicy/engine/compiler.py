"""Checked expressions -> Python closures. No Python source is generated or evaluated here
(`codegen` generates the two per-policy functions every decision runs, and calls these closures).

Missing values: an absent optional field is `None`. `==`/`!=` treat it as the value `none`;
ordering comparisons, `in`, and `contains` with a missing operand are false; arithmetic
with a missing operand gives a missing result; a missing value used as a condition is false.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..syntax.nodes import Attr, Binary, Call, Duration, Expr, ListLit, Literal, Name, Symbol, Unary

Fn = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class MatterState:
    """The item's matter as of the decision time."""

    code: str | None  # the listed matter's code, or the catalogue class's id
    list: str | None
    batch: str | None
    status: str  # in_force | not_yet_in_force | exited | expired | unlisted | classified
    owner: str | None
    klass: str | None = None  # `matter.class`: the class id, for a class of the event catalogue
    major: str | None = None  # `matter.major`
    type: str | None = None  # `matter.type`: event | component

    @property
    def in_force(self) -> bool:
        return self.status == "in_force"


UNLISTED = MatterState(None, None, None, "unlisted", None)  # an item whose matter is on no list
# `matter.<attribute>` in a condition -> the MatterState attribute it reads.
MATTER_ATTRIBUTES = {"batch": "batch", "list": "list", "status": "status", "owner": "owner", "class": "klass",
                     "major": "major", "type": "type"}


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": operator.mod}


class Compiler:
    def __init__(self, tier_levels: dict[str, int], department_tiers: dict[str, str],
                 tiers_by_level: list[str], grids: dict[str, dict[str, str]] | None = None):
        self.levels = tier_levels
        self.department_tiers = department_tiers
        self.tiers_by_level = tiers_by_level
        self.grids = grids or {}  # grid code -> {"community": ..., "street": ..., "name": ...}

    def compile(self, e: Expr, record_fields: tuple[str, ...] = ()) -> Fn:
        return getattr(self, "c_" + type(e).__name__)(e, record_fields)

    def condition(self, e: Expr | None) -> Fn:
        """A predicate: true only when `e` evaluates to exactly `true`."""
        if e is None:
            return lambda v: True
        fn = self.compile(e)
        if _is_boolean(e):
            return fn
        return lambda v: fn(v) is True

    # leaves
    def c_Literal(self, e: Literal, rf: tuple[str, ...]) -> Fn:
        value = e.value
        return lambda v: value

    def c_Symbol(self, e: Symbol, rf: tuple[str, ...]) -> Fn:
        value = e.value
        return lambda v: value

    def c_Name(self, e: Name, rf: tuple[str, ...]) -> Fn:
        key = e.id
        return lambda v: v.get(key)

    def c_Attr(self, e: Attr, rf: tuple[str, ...]) -> Fn:
        obj = self.compile(e.obj, rf)
        name = e.name
        if name == "tier":  # department.tier
            dt_ = self.department_tiers
            return lambda v: dt_.get(obj(v))
        if name in ("community", "street", "name"):  # grid.community: from the grid registry
            grids = self.grids

            def grid_attr(v: dict[str, Any]) -> Any:
                place = grids.get(obj(v))
                return None if place is None else place[name]
            return grid_attr
        if name not in MATTER_ATTRIBUTES:
            raise ValueError(f"attribute {name} is not allowed")
        slot = MATTER_ATTRIBUTES[name]

        def attr(v: dict[str, Any]) -> Any:
            m = obj(v)
            return None if m is None else getattr(m, slot)
        return attr

    def c_ListLit(self, e: ListLit, rf: tuple[str, ...]) -> Fn:
        if all(isinstance(i, (Literal, Symbol)) for i in e.items):
            const = frozenset(i.value for i in e.items)  # type: ignore[attr-defined]
            return lambda v: const
        items = [self.compile(i, rf) for i in e.items]
        return lambda v: frozenset(f(v) for f in items)

    # operators
    def c_Unary(self, e: Unary, rf: tuple[str, ...]) -> Fn:
        f = self.compile(e.operand, rf)
        if e.op == "not":
            return lambda v: f(v) is not True
        return lambda v: None if (x := f(v)) is None else -x

    def c_Binary(self, e: Binary, rf: tuple[str, ...]) -> Fn:
        op = e.op
        if op in ("and", "or"):
            a, b = self.compile(e.left, rf), self.compile(e.right, rf)
            if _is_boolean(e.left) and _is_boolean(e.right):  # skip the `is True` tests
                if op == "and":
                    return lambda v: a(v) and b(v)
                return lambda v: a(v) or b(v)
            if op == "and":
                return lambda v: a(v) is True and b(v) is True
            return lambda v: a(v) is True or b(v) is True
        if op in ("in", "not in"):
            fn = self.membership(e, rf)
            if op == "in":
                return fn
            return lambda v: not fn(v)
        if op == "..":
            a, b = self.compile(e.left, rf), self.compile(e.right, rf)
            return lambda v: (a(v), b(v))
        if op in ("==", "!="):
            return self.equality(e, rf)
        a, b = self.compile(e.left, rf), self.compile(e.right, rf)
        if op in _ORDER:
            cmp = _ORDER[op]
            levels = self.levels

            def order(v: dict[str, Any]) -> bool:
                x, y = a(v), b(v)
                if x is None or y is None:
                    return False
                if isinstance(x, str):
                    x, y = levels.get(x), levels.get(y)
                    if x is None or y is None:
                        return False
                if isinstance(x, dt.datetime) != isinstance(y, dt.datetime):
                    x = x.date() if isinstance(x, dt.datetime) else x
                    y = y.date() if isinstance(y, dt.datetime) else y
                return cmp(x, y)
            if isinstance(e.left, Name) and isinstance(e.right, Literal) and type(e.right.value) in (int, float):
                key, const = e.left.id, e.right.value

                def order_const(v: dict[str, Any]) -> bool:
                    x = v.get(key)
                    if type(x) is int or type(x) is float:  # the common case: a number field
                        return cmp(x, const)
                    return order(v)
                return order_const
            return order
        return self.arithmetic(op, a, b)

    def arithmetic(self, op: str, a: Fn, b: Fn) -> Fn:
        fn = _ARITH[op]

        def arith(v: dict[str, Any]) -> Any:
            x, y = a(v), b(v)
            if x is None or y is None:
                return None
            if isinstance(y, Duration):
                delta = _timedelta(y)
                return x + delta if op == "+" else x - delta
            if isinstance(x, dt.datetime) and isinstance(y, dt.datetime):
                return (x - y).total_seconds() / 86400
            if isinstance(x, dt.date) and isinstance(y, dt.date):
                return (x - y).days
            if op in ("/", "%") and y == 0:
                return None
            try:
                return fn(x, y)
            except OverflowError:  # beyond the range of a float: missing, like x / 0
                return None
        return arith

    def equality(self, e: Binary, rf: tuple[str, ...]) -> Fn:
        negate = e.op == "!="
        left, right = e.left, e.right
        if isinstance(left, Symbol) and left.kind == "matter":
            left, right = right, left
        if isinstance(right, Symbol) and right.kind == "matter":
            m = self.compile(left, rf)
            code = right.value
            if negate:
                return lambda v: getattr(m(v), "code", None) != code
            return lambda v: getattr(m(v), "code", None) == code
        a, b = self.compile(left, rf), self.compile(right, rf)
        if isinstance(right, (Literal, Symbol)):
            const = right.value
            if isinstance(left, Name):
                key = left.id
                if negate:
                    return lambda v: v.get(key) != const
                return lambda v: v.get(key) == const
            if negate:
                return lambda v: a(v) != const
            return lambda v: a(v) == const
        if negate:
            return lambda v: a(v) != b(v)
        return lambda v: a(v) == b(v)

    def membership(self, e: Binary, rf: tuple[str, ...]) -> Fn:
        right = e.right
        if isinstance(right, Symbol) and right.kind == "list":
            m = self.compile(e.left, rf)
            list_id = right.value

            def in_list(v: dict[str, Any]) -> bool:
                state = m(v)
                return state is not None and state.list == list_id and state.status == "in_force"
            return in_list
        a = self.compile(e.left, rf)
        if isinstance(right, ListLit) and all(isinstance(i, Symbol) and i.kind == "matter" for i in right.items):
            codes = frozenset(i.value for i in right.items)  # type: ignore[attr-defined]
            return lambda v: getattr(a(v), "code", None) in codes
        if isinstance(e.left, Name) and isinstance(right, ListLit) and all(
                isinstance(i, (Literal, Symbol)) for i in right.items):
            key = e.left.id
            const = frozenset(i.value for i in right.items)  # type: ignore[attr-defined]

            def member_const(v: dict[str, Any]) -> bool:
                x = v.get(key)
                return x is not None and x in const
            return member_const
        b = self.compile(right, rf)

        def member(v: dict[str, Any]) -> bool:
            x, coll = a(v), b(v)
            if x is None or coll is None:
                return False
            if isinstance(coll, tuple):  # a range
                lo, hi = coll
                return lo is not None and hi is not None and lo <= x <= hi
            if isinstance(coll, str):
                return isinstance(x, str) and x in coll
            return x in coll
        if isinstance(e.left, (Literal, Symbol)) and isinstance(right, Name):  # `law in needs`
            value, field = e.left.value, right.id

            def const_in_field(v: dict[str, Any]) -> bool:
                coll = v.get(field)
                if type(coll) is frozenset:  # a set field's value: `member`'s last case
                    return value in coll
                return member(v)
            return const_in_field
        return member

    # functions
    def c_Call(self, e: Call, rf: tuple[str, ...]) -> Fn:
        f = e.func
        if f == "has":
            key = e.args[0].id  # type: ignore[attr-defined]
            return lambda v: v.get(key) is not None
        if f == "weighted":
            parts = [(self.compile(Name(w.span, name), rf), float(w.value) if isinstance(w, Literal)
                      else -float(w.operand.value))  # type: ignore[attr-defined]
                     for name, w in e.kwargs]

            def weighted(v: dict[str, Any]) -> Any:
                total = 0.0
                for get, weight in parts:
                    x = get(v)
                    if x is None:
                        return None
                    total += x * weight
                return total
            return weighted
        if f == "if":  # a typed `refer if(condition, X, Y)` (limits compile in runtime/deadlines)
            cond = self.condition(e.args[0])
            a, b = self.compile(e.args[1], rf), self.compile(e.args[2], rf)
            return lambda v: a(v) if cond(v) else b(v)
        args = [self.compile(a, rf) for a in e.args]
        if f == "if":
            cond, yes, no = args
            return lambda v: yes(v) if cond(v) is True else no(v)
        if f == "above":
            tiers, levels = self.tiers_by_level, self.levels
            g = args[0]

            def above(v: dict[str, Any]) -> Any:
                t = g(v)
                if t is None:
                    return None
                return tiers[min(levels[t], len(tiers) - 1)]  # levels are 1-based
            return above
        if f == "tier_of":
            g, dt_ = args[0], self.department_tiers
            return lambda v: dt_.get(g(v))
        if f == "contains":
            g, h = args

            def contains(v: dict[str, Any]) -> bool:
                x, y = g(v), h(v)
                return isinstance(x, str) and isinstance(y, str) and y in x
            return contains
        if f.endswith("_records"):
            return self.records_call(e, args, rf)
        if f == "count":
            g = args[0]
            return lambda v: None if (x := g(v)) is None else len(x)
        return self.numeric_call(f, args)

    def records_call(self, e: Call, args: list[Fn], rf: tuple[str, ...]) -> Fn:
        f = e.func.removesuffix("_records")
        records = args[0]
        inner = self.compile(e.args[1], rf) if len(e.args) > 1 else None

        def rows(v: dict[str, Any]) -> list[dict[str, Any]]:
            # A record's own fields shadow the formula's inputs of the same name.
            return [{**v, **r} for r in (records(v) or ())]

        if f == "where":
            assert inner is not None
            return lambda v: [r for r in (records(v) or ()) if inner({**v, **r}) is True]
        if f == "count":
            if inner is None:
                return lambda v: len(records(v) or ())
            return lambda v: sum(1 for r in rows(v) if inner(r) is True)
        if f == "rate":
            assert inner is not None

            def rate(v: dict[str, Any]) -> Any:
                rs = rows(v)
                return None if not rs else sum(1 for r in rs if inner(r) is True) / len(rs)
            return rate
        assert inner is not None

        def aggregate(v: dict[str, Any]) -> Any:
            values = [x for r in rows(v) if (x := inner(r)) is not None]
            if f == "sum":
                return float(sum(values))
            return sum(values) / len(values) if values else None
        return aggregate

    def numeric_call(self, f: str, args: list[Fn]) -> Fn:
        def call(v: dict[str, Any]) -> Any:
            try:
                return compute(v)
            except OverflowError:  # beyond the range of a float: missing, like x / 0
                return None

        def compute(v: dict[str, Any]) -> Any:
            xs = [a(v) for a in args]
            if any(x is None for x in xs):
                return None
            if f == "round":
                digits = int(xs[1]) if len(xs) > 1 else 0
                return round_half_up(xs[0], digits)
            if f == "min":
                return min(xs)
            if f == "max":
                return max(xs)
            if f == "sum":
                return float(sum(xs))
            if f == "avg":
                return sum(xs) / len(xs)
            if f == "abs":
                return abs(xs[0])
            if f == "clamp":
                return max(xs[1], min(xs[2], xs[0]))
            if f == "points":  # full marks at or above the threshold, `per` off for each point below
                x, threshold, full, per = xs
                return full if x >= threshold else max(0.0, full - per * (threshold - x))
            raise ValueError(f"unknown function {f}")
        return call


_BOOLEAN_OPS = frozenset(("and", "or", "in", "not in", "==", "!=", "<", "<=", ">", ">="))


def _is_boolean(e: Expr) -> bool:
    """Whether the compiled form of `e` always returns a `bool` (so `is True` is redundant)."""
    if isinstance(e, Binary):
        return e.op in _BOOLEAN_OPS
    if isinstance(e, Unary):
        return e.op == "not"
    if isinstance(e, Call):
        return e.func in ("has", "contains")
    return False


def round_half_up(x: float, digits: int) -> float:
    """Round half away from zero, as people round scores (not banker's rounding)."""
    factor = 10.0 ** max(-308, min(308, digits))  # 10 ** 400 would not convert to a float
    scaled = abs(x) * factor
    if not math.isfinite(scaled):
        return x  # finer than a float can hold: nothing to round
    return math.copysign(math.floor(scaled + 0.5 + 1e-9) / factor, x)


def _timedelta(d: Duration) -> dt.timedelta:
    return {"minutes": dt.timedelta(minutes=d.amount), "hours": dt.timedelta(hours=d.amount),
            "days": dt.timedelta(days=d.amount), "workdays": dt.timedelta(days=d.amount)}[d.unit]
