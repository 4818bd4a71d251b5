"""Record columns typed by their declared field types, the way `Policy.evaluate` checks record
values: enum values by code or Chinese label (departments, tiers and roles by id or name),
numbers finite and in range, dates and times parsed (a time without an offset is local time
in the policy's zone), booleans from true/false/1/0/是/否. An empty cell is a missing value.

`typed(...)` gives, per field, the typed expression and a "bad" flag (a value given but not
valid); the engine counts bad flags in its one pass and only looks for the rows when some are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from ..model import Field, Input, PolicyModel
from ..syntax.limits import MAX_YEAR, MIN_YEAR

TRUE = ("true", "1", "yes", "y", "t", "是", "真")
FALSE = ("false", "0", "no", "n", "f", "否", "假")
MAX_NUMBER = 1e15  # as the item validator: larger numbers are refused


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    header: str  # the column in the file
    value: pl.Expr  # typed
    bad: pl.Expr  # true where a value is given but not valid
    expected_zh: str
    expected_en: str


def headers_for(name: str, ty: Field | None) -> tuple[str, ...]:
    """Column names accepted for record field `name`: the name, and for a schema-typed field
    the schema field's id and Chinese label (回访结果)."""
    if ty is None or ty.id == name:  # untyped, or a plain type (number 0 .. 100, date ...)
        return (name,)
    return tuple(dict.fromkeys((name, ty.id, ty.name)))


def accepted_values(model: PolicyModel, ty: Field) -> dict[str, str]:
    """Spelling -> code for a field whose values are named (enum, department, tier, role)."""
    if ty.type == "enum":
        return {**{c: c for c in ty.value_codes}, **{label: c for c, label in ty.values}}
    if ty.type == "department":
        out: dict[str, str] = {}
        for d in model.departments:
            out.update({d.name: d.id, **({d.short: d.id} if d.short else {}), d.id: d.id})
        return out
    if ty.type == "tier":
        return {**{t.name: t.id for t in model.tiers}, **{t.id: t.id for t in model.tiers}}
    if ty.type == "role":
        return {**{r.name: r.id for r in model.roles}, **{r.id: r.id for r in model.roles}}
    return {}


def typed(model: PolicyModel, inp: Input, header_of: dict[str, str | None], tz: str) -> list[Column]:
    """The typed columns of a records input; `header_of` maps each field to its file column
    (None: the file has none, every value is missing)."""
    out = []
    for name, ty in zip(inp.fields, inp.field_types or (None,) * len(inp.fields), strict=False):
        header = header_of[name]
        column = pl.col(header) if header is not None else pl.lit(None, dtype=pl.Utf8)
        raw = column.cast(pl.Utf8).str.strip_chars()
        given = raw.is_not_null() & (raw != "")
        raw = pl.when(given).then(raw).otherwise(None)
        value, valid, zh, en = _convert(model, ty, raw, tz)
        out.append(Column(name, header or name, value.alias(name), (given & ~valid.fill_null(False)), zh, en))
    return out


def _convert(model: PolicyModel, ty: Field | None, raw: pl.Expr, tz: str) -> tuple[pl.Expr, pl.Expr, str, str]:
    if ty is None or ty.type == "text":
        return raw, pl.lit(True), "文字", "text"
    kind = ty.type
    if kind in ("enum", "department", "tier", "role"):
        table = accepted_values(model, ty)
        value = raw.replace_strict(table, default=None, return_dtype=pl.Utf8)
        shown = ", ".join(list(dict.fromkeys(table.values()))[:12])
        return value, value.is_not_null(), f"取值之一（{shown}）", f"one of: {shown}"
    if kind == "number":
        value = raw.cast(pl.Float64, strict=False)
        ok = value.is_not_null() & value.is_finite() & (value.abs() <= MAX_NUMBER)
        zh, en = "有限的数字", "a finite number"
        if ty.range is not None:
            lo, hi = ty.range
            ok = ok & (value >= lo) & (value <= hi)
            zh, en = f"{_n(lo)} .. {_n(hi)} 之间的数字", f"a number in {_n(lo)} .. {_n(hi)}"
        return pl.when(ok).then(value).otherwise(None), ok, zh, en
    if kind == "bool":
        low = raw.str.to_lowercase()
        value = pl.when(low.is_in(TRUE)).then(True).when(low.is_in(FALSE)).then(False).otherwise(None)
        return value, value.is_not_null(), "是/否（true/false）", "true or false"
    if kind == "date":
        value = pl.coalesce(raw.str.to_date("%Y-%m-%d", strict=False), raw.str.to_date("%Y/%m/%d", strict=False),
                            raw.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        ok = value.is_not_null() & value.dt.year().is_between(MIN_YEAR, MAX_YEAR)
        return pl.when(ok).then(value).otherwise(None), ok, "日期，如 2026-03-02", "a date like 2026-03-02"
    if kind == "datetime":
        aware = pl.coalesce(*(raw.str.to_datetime(fmt, strict=False, time_zone="UTC")
                              for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%z")))
        naive = pl.coalesce(*(raw.str.to_datetime(fmt, strict=False)
                              for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                                          "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S%.f",
                                          "%Y-%m-%d %H:%M:%S%.f")))
        local = pl.coalesce(aware.dt.convert_time_zone(tz).dt.replace_time_zone(None), naive)
        return local, local.is_not_null(), "时间，如 2026-03-02T09:30:00+08:00", \
            "a time like 2026-03-02T09:30:00+08:00"
    return raw, pl.lit(True), kind, kind


def _n(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and float(x).is_integer() else f"{x:g}"
