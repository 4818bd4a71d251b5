"""A checked formula split for the columnar engine: every aggregate over records (`count`,
`rate`, `sum`, `avg`, with `where` filters) becomes a Polars aggregation computed per group in
one pass, and the rest of the formula stays an expression over those values (compiled by the
engine's compiler and run once per group).

Record-level expressions keep the compiler's meaning of missing values: `==`/`!=` compare a
missing value as `none`, an ordering comparison with a missing operand is false, a missing
value used as a condition is false, arithmetic with a missing operand is missing, x / 0 is
missing. An expression outside what is lowered here raises `Unsupported`; the grouped engine
then evaluates that formula group by group with the compiler instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..model import Formula
from ..syntax.nodes import Binary, Call, Expr, ListLit, Literal, Name, Symbol, Unary


class Unsupported(Exception):
    """The expression has a part the columnar engine does not lower."""


@dataclass(frozen=True, slots=True)
class Aggregate:
    """One aggregate of a formula: `key` names its value per group. `kind` is count, rate,
    sum or avg over input `table`; `columns` are the Polars aggregations it needs."""

    key: str
    kind: str
    table: str
    columns: tuple[tuple[str, pl.Expr], ...]


@dataclass(frozen=True, slots=True)
class Lowered:
    formula: Formula
    scalar: Expr  # the formula with each aggregate replaced by Name(key)
    aggregates: tuple[Aggregate, ...]


AGG_PREFIX = "__agg"


def lower(f: Formula, params: dict[str, Any], fields: dict[str, tuple[str, ...]]) -> Lowered:
    """Split `f`. `params` are its number inputs' values (record conditions may read them);
    `fields` maps each records input to its declared fields."""
    aggs: list[Aggregate] = []

    def walk(e: Expr) -> Expr:
        if isinstance(e, Call) and e.func in ("count_records", "rate_records", "sum_records", "avg_records"):
            key = f"{AGG_PREFIX}{len(aggs)}_{f.id}"
            aggs.append(_aggregate(key, e, params, fields))
            return Name(e.span, key)
        if isinstance(e, Call) and e.func == "where_records":
            raise Unsupported("where outside an aggregate")
        if isinstance(e, Call):
            return Call(e.span, e.func, tuple(walk(a) for a in e.args), tuple((k, walk(v)) for k, v in e.kwargs))
        if isinstance(e, Binary):
            return Binary(e.span, e.op, walk(e.left), walk(e.right))
        if isinstance(e, Unary):
            return Unary(e.span, e.op, walk(e.operand))
        if isinstance(e, Name) and e.id in fields:
            raise Unsupported("records used outside an aggregate")
        return e

    return Lowered(f, walk(f.value), tuple(aggs))


IN = "__in"  # the column that is true for the rows inside the evaluation period


def _aggregate(key: str, e: Call, params: dict[str, Any], fields: dict[str, tuple[str, ...]]) -> Aggregate:
    kind = e.func.removesuffix("_records")
    table, where = _records(e.args[0], params, fields)
    mask = _and(where, pl.col(IN))
    low = _Record(fields[table], params)
    if kind == "count":
        cond = low.boolean(e.args[1]) if len(e.args) > 1 else pl.lit(True)
        return Aggregate(key, kind, table, ((key, (mask & cond).sum()),))
    if kind == "rate":
        cond = low.boolean(e.args[1])
        return Aggregate(key, kind, table, ((key + "_n", (mask & cond).sum()), (key + "_d", mask.sum())))
    value = low.value(e.args[1]).cast(pl.Float64).filter(mask)
    if kind == "sum":
        return Aggregate(key, kind, table, ((key, value.sum()),))
    # avg: sum and count of the values given, so that partial results of two files combine
    return Aggregate(key, kind, table, ((key + "_s", value.sum()), (key + "_c", value.count())))


def _records(e: Expr, params: dict[str, Any], fields: dict[str, tuple[str, ...]]) -> tuple[str, pl.Expr | None]:
    """The input a records argument reads, and the mask of its `where` filters (None: all)."""
    if isinstance(e, Name) and e.id in fields:
        return e.id, None
    if isinstance(e, Call) and e.func == "where_records":
        table, mask = _records(e.args[0], params, fields)
        cond = _Record(fields[table], params).boolean(e.args[1])
        return table, _and(mask, cond)
    raise Unsupported("records argument")


def _and(mask: pl.Expr | None, cond: pl.Expr) -> pl.Expr:
    return cond if mask is None else mask & cond


class _Record:
    """Lowers an expression over one record to a Polars expression."""

    def __init__(self, fields: tuple[str, ...], params: dict[str, Any]):
        self.fields = fields
        self.params = params

    def boolean(self, e: Expr) -> pl.Expr:
        """`e` as a condition: true only where it is exactly true (never null)."""
        return self.value(e).fill_null(False)

    def value(self, e: Expr) -> pl.Expr:
        if isinstance(e, Name):
            if e.id in self.fields:
                return pl.col(e.id)
            if e.id in self.params:
                return pl.lit(self.params[e.id])
            raise Unsupported(e.id)
        if isinstance(e, (Literal, Symbol)):
            return _lit(e.value)
        if isinstance(e, Unary):
            if e.op == "not":
                return ~self.boolean(e.operand)
            return -self.value(e.operand)
        if isinstance(e, Binary):
            return self.binary(e)
        if isinstance(e, Call) and e.func == "if":
            cond, yes, no = e.args
            return pl.when(self.boolean(cond)).then(self.value(yes)).otherwise(self.value(no))
        raise Unsupported(type(e).__name__)

    def binary(self, e: Binary) -> pl.Expr:
        op = e.op
        if op in ("and", "or"):
            a, b = self.boolean(e.left), self.boolean(e.right)
            return a & b if op == "and" else a | b
        if op in ("in", "not in"):
            if not isinstance(e.right, ListLit) or not all(isinstance(i, (Literal, Symbol)) for i in e.right.items):
                raise Unsupported("in")
            values = [i.value for i in e.right.items]  # type: ignore[attr-defined]
            found = self.value(e.left).is_in(values).fill_null(False)
            return found if op == "in" else ~found
        a, b = self.value(e.left), self.value(e.right)
        if op == "==":
            return a.eq_missing(b)
        if op == "!=":
            return a.ne_missing(b)
        if op in ("<", "<=", ">", ">="):
            cmp = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
            return cmp.fill_null(False)
        if op in ("+", "-", "*"):
            return {"+": a + b, "-": a - b, "*": a * b}[op]
        if op in ("/", "%"):
            zero = b == 0
            return pl.when(zero.fill_null(False)).then(None).otherwise(a / b if op == "/" else a % b)
        raise Unsupported(op)


def _lit(value: Any) -> pl.Expr:
    if isinstance(value, dt.datetime):
        raise Unsupported("datetime literal")
    return pl.lit(value)
