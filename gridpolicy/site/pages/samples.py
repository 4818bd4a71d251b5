"""Sample data for a formula's worked example, inside each input's declared range and using
only values the schema declares for record fields."""

from __future__ import annotations

import dataclasses
from typing import Any

from ...model import Formula, Input
from ...syntax.nodes import Binary, Call, Expr, Literal, Name, Symbol, Unary, children
from ..context import Context
from ..words import names

SPREAD = (92, 85, 78, 88)


def chain_inputs(ctx: Context, f: Formula) -> list[Input]:
    """The inputs of `f` and of the formulas it uses (a records input once, its fields the
    union of every declaration of it)."""
    out: dict[str, Input] = {}
    for g in ctx.policy.formula_runtime.order(f.id):
        for i in g.inputs:
            prev = out.get(i.id)
            if prev is None:
                out[i.id] = i
            elif i.type == "records":
                extra = [(n, t) for n, t in zip(i.fields, i.field_types, strict=False) if n not in prev.fields]
                out[i.id] = dataclasses.replace(prev, fields=(*prev.fields, *(n for n, _ in extra)),
                                                field_types=(*prev.field_types, *(t for _, t in extra)))
    return list(out.values())


def sample_inputs(ctx: Context, f: Formula) -> dict[str, Any]:
    """Deterministic sample data inside each input's declared range."""
    data: dict[str, Any] = {}
    inputs = chain_inputs(ctx, f)
    numeric = [i for i in inputs if i.type != "records"]
    values = [g.value for g in ctx.policy.formula_runtime.order(f.id)]
    for inp in inputs:
        if inp.type == "records":
            data[inp.id] = sample_records(ctx, values, inp)
            continue
        if inp.default is not None:
            data[inp.id] = inp.default
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
        # a bare boolean field: true where it is a condition, false under `not`
        if isinstance(e, Unary) and e.op == "not" and isinstance(e.operand, Name) and e.operand.id in fields:
            wanted.setdefault(e.operand.id, ("==", False))
        if isinstance(e, Binary) and e.op in ("and", "or"):
            for side in (e.left, e.right):
                if isinstance(side, Name) and side.id in fields:
                    wanted.setdefault(side.id, ("==", True))
        if isinstance(e, Call) and e.func.removesuffix("_records") in ("where", "rate", "count") and len(e.args) > 1 \
                and isinstance(e.args[1], Name) and e.args[1].id in fields:
            wanted.setdefault(e.args[1].id, ("==", True))
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
        if isinstance(e, Call) and e.func.removesuffix("_records") in ("sum", "avg") and len(e.args) > 1 \
                and isinstance(e.args[1], Name):  # a field summed or averaged as it is (a score)
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


def sample_records(ctx: Context, values: list[Expr], inp: Input) -> list[dict[str, Any]]:
    """Four records: three that meet the comparisons the formulas make on record fields, one
    not; every value of its field's declared type."""
    fields = inp.fields
    types = dict(zip(fields, inp.field_types or (None,) * len(fields), strict=False))
    wanted: dict[str, tuple[str, Any]] = {}
    numeric: set[str] = set()
    for value in values:
        for name, want in _wanted(value, fields).items():
            wanted.setdefault(name, want)
        numeric |= _numeric(value)
    records = []
    for k in range(4):
        rec: dict[str, Any] = {}
        hit = k < 3
        for fld in fields:
            ty = types.get(fld)
            kind = ty.type if ty is not None else None
            if fld in wanted and (v := wanted[fld][1]) is not None:
                op = wanted[fld][0]
                hit_value_is_v = op != "!="
                if isinstance(v, bool):
                    rec[fld] = v if hit == hit_value_is_v else not v
                elif isinstance(v, int | float):
                    delta = {"==": 0, "!=": 1, ">=": 0, "<=": 0, ">": 1, "<": -1}[op]
                    rec[fld] = (v + delta) if hit else (v - 1 if op in (">=", ">", "==") else v + 1)
                else:
                    rec[fld] = v if hit == hit_value_is_v else _other_value(ctx, fld, str(v))
            elif kind == "bool":
                rec[fld] = hit
            elif kind == "date":
                rec[fld] = f"2026-03-{k + 2:02d}"
            elif kind == "datetime":
                rec[fld] = f"2026-03-{k + 2:02d}T09:00:00+08:00"
            elif fld in numeric or kind == "number":
                rec[fld] = SPREAD[k] if ty is None or ty.range is None or ty.range[1] >= 100 else k % 2
            elif kind == "enum" and ty is not None and ty.values:
                rec[fld] = ty.values[k % len(ty.values)][0]
            else:
                rec[fld] = f"{fld}_{k + 1}"
        records.append(rec)
    return records
