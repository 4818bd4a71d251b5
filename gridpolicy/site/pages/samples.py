"""Sample data for a formula's worked example, inside each input's declared range and using
only values the schema declares for record fields."""

from __future__ import annotations

from typing import Any

from ...model import Formula
from ...syntax.nodes import Binary, Call, Expr, Literal, Name, Symbol
from ..context import Context
from ..words import children, names

SPREAD = (92, 85, 78, 88)


def sample_inputs(ctx: Context, f: Formula) -> dict[str, Any]:
    """Deterministic sample data inside each input's declared range."""
    data: dict[str, Any] = {}
    numeric = [i for i in f.inputs if i.type != "records"]
    for inp in f.inputs:
        if inp.type == "records":
            data[inp.id] = sample_records(ctx, f.value, inp.fields)
            continue
        lo, hi = inp.range if inp.range else (0.0, 100.0)
        frac = 0.9 - 0.15 * (numeric.index(inp) % 5) if numeric else 0.8
        x = lo + (hi - lo) * frac
        data[inp.id] = int(round(x)) if float(lo).is_integer() and float(hi).is_integer() else round(x, 2)
    return data


def _wanted(value: Expr, fields: tuple[str, ...]) -> dict[str, tuple[str, Any]]:
    """The first comparison the formula makes on each record field: field -> (op, value)."""
    wanted: dict[str, tuple[str, Any]] = {}

    def walk(e: Expr) -> None:
        if isinstance(e, Binary) and e.op in ("==", "!=", ">=", "<=", ">", "<") and isinstance(e.left, Name) \
                and e.left.id in fields:
            r = e.right
            if isinstance(r, Literal) and r.kind in ("string", "number", "bool") or isinstance(r, Symbol):
                wanted.setdefault(e.left.id, (e.op, r.value))
        for c in children(e):
            walk(c)

    walk(value)
    return wanted


def _numeric(value: Expr) -> set[str]:
    """Record fields the formula sums or averages."""
    out: set[str] = set()

    def walk(e: Expr) -> None:
        if isinstance(e, Call) and e.func.removesuffix("_records") in ("sum", "avg") and len(e.args) > 1:
            out.update(names(e.args[1]))
        for c in children(e):
            walk(c)

    walk(value)
    return out


def _other_value(ctx: Context, fld: str, v: str) -> str:
    """A declared value of the field other than `v` (the field's enum), or of any enum that
    declares `v`; the sample never invents a value the schema lacks."""
    field = ctx.fields.get(fld)
    candidates = [c for c, _ in field.values] if field and field.values else []
    if not candidates:
        for f in ctx.m.fields:
            codes = [c for c, _ in f.values]
            if v in codes:
                candidates = codes
                break
    others = [c for c in candidates if c != v]
    return others[-1] if others else v


def sample_records(ctx: Context, value: Expr, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Four records: three that meet the comparisons the formula makes on record fields, one not."""
    wanted = _wanted(value, fields)
    numeric = _numeric(value)
    records = []
    for k in range(4):
        rec: dict[str, Any] = {}
        hit = k < 3
        for fld in fields:
            if fld in wanted:
                op, v = wanted[fld]
                if op == "!=":
                    hit_value_is_v = False
                else:
                    hit_value_is_v = True
                if isinstance(v, bool):
                    rec[fld] = v if hit == hit_value_is_v else not v
                elif isinstance(v, int | float):
                    delta = {"==": 0, "!=": 1, ">=": 0, "<=": 0, ">": 1, "<": -1}[op]
                    rec[fld] = (v + delta) if hit else (v - 1 if op in (">=", ">", "==") else v + 1)
                else:
                    rec[fld] = v if hit == hit_value_is_v else _other_value(ctx, fld, str(v))
            elif fld in numeric:
                rec[fld] = SPREAD[k]
            else:
                rec[fld] = f"{fld}_{k + 1}"
        records.append(rec)
    return records
