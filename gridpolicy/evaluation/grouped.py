"""A formula evaluated per group over record files, on Polars: each records input is read,
typed and aggregated in one streaming pass (group by the grouping field, filtered by the
period), then the rest of each formula runs once per group with the rules' own compiler —
so a group's value is exactly `Policy.evaluate` over that group's records (tested).

Bad values stop the run: the error names the file, row, column and value of the first ones
(Chinese and English) and how many there are; nothing is graded from partly read data."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..contract import ItemError, ItemErrorDetail, Named
from ..diagnostics import did_you_mean
from ..model import Formula, Input
from ..runtime import Policy
from ..syntax.nodes import Name
from .columns import Column, headers_for, typed
from .lowering import IN, Lowered, Unsupported, lower
from .periods import Period
from .sources import ROW, Source

GROUP = "__group"
MONTH = "month"  # the pseudo-field for trends: the time field's calendar month
ALL = "全部 all"
NONE = "（无）none"  # the group of records without a value to group by: listed, never ranked
REGISTRY_GROUPS = ("community", "street")
MAX_SHOWN = 20  # bad values named in an error


@dataclass(frozen=True, slots=True)
class GroupResult:
    key: str
    label: str
    value: float | None
    grade: Named | None
    rank: int | None
    records: int  # records of this group in the period (all inputs)
    error_zh: str = ""
    error_en: str = ""
    values: dict[str, float | None] = field(default_factory=dict)  # the formulas it used, by id


@dataclass(frozen=True, slots=True)
class GroupedEvaluation:
    formula: Named
    by: str | None
    period: str | None
    grade_table: str | None
    groups: tuple[GroupResult, ...]  # ranked: best first, then groups without a value
    award: tuple[str, ...] = ()  # bands of the grade table that confer its award
    engine: str = "polars"

    @property
    def awarded(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.groups if g.grade is not None and g.grade.code in self.award)


Progress = Callable[[str], None]


def evaluate_groups(policy: Policy, formula: str, sources: Mapping[str, Sequence[Source]], *,
                    by: str | None = None, period: Period | None = None,
                    params: Mapping[str, float] | None = None, progress: Progress | None = None) -> GroupedEvaluation:
    """`formula` per group of `by` (default: the formula's own `by`; None: one group) over the
    record files of each records input, within `period` (by each input's `time` field)."""
    ev = policy.formula_runtime
    chain = ev.order(formula)
    target = chain[-1]
    by = by if by is not None else target.by
    tables = _tables(chain)
    numbers = _numbers(chain, params or {})
    unknown = [n for n in sources if n not in tables]
    if unknown:
        raise ItemError([ItemErrorDetail(path=n, message_zh=f"公式 {formula} 没有记录输入“{n}”"
                                         + _guess_zh(n, tables), message_en=f"formula {formula} has no records "
                                         f"input '{n}'" + _guess_en(n, tables)) for n in unknown])
    missing = [n for n in tables if not sources.get(n)]
    if missing:
        raise ItemError([ItemErrorDetail(path=n, message_zh=f"缺少记录输入“{n}”的文件（--records {n}=文件）",
                                         message_en=f"no file for records input '{n}' (--records {n}=FILE)")
                         for n in missing])
    fields = {n: i.fields for n, i in tables.items()}
    needed = {n.id for f in chain for n in _walk_names(f.value)}
    lowered: dict[str, Lowered | None] = {}
    for f in chain:
        try:
            lowered[f.id] = lower(f, numbers, fields)
        except Unsupported:
            lowered[f.id] = None
    per_table: dict[str, dict[str, dict[str, Any]]] = {}
    for name, inp in tables.items():
        aggs = [a for lw in lowered.values() if lw is not None for a in lw.aggregates if a.table == name]
        if progress:
            progress(name)
        per_table[name] = _aggregate(policy, inp, sources[name], by, period, aggs, needed)
    keys = sorted({k for t in per_table.values() for k, row in t.items() if row["__n"] > 0})
    fallback = {f.id for f in chain if lowered[f.id] is None}
    rows_of = _python_rows(policy, tables, sources, by, period, needed) if fallback else {}
    results = []
    for key in keys:
        results.append(_group(policy, chain, lowered, per_table, numbers, key, rows_of, by))
    return GroupedEvaluation(Named(code=target.id, name=target.name), by, period.label if period else None,
                             target.grade, tuple(_ranked(results)), _award(policy, target))


def _walk_names(e: Any) -> list[Name]:
    """The names in an expression (record fields among them)."""
    if isinstance(e, Name):
        return [e]
    out: list[Name] = []
    for attr in ("left", "right", "operand", "obj"):
        if hasattr(e, attr):
            out += _walk_names(getattr(e, attr))
    for a in getattr(e, "args", ()) or ():
        out += _walk_names(a)
    for _, v in getattr(e, "kwargs", ()) or ():
        out += _walk_names(v)
    for i in getattr(e, "items", ()) or ():
        out += _walk_names(i)
    return out


def _tables(chain: list[Formula]) -> dict[str, Input]:
    """Each records input of the chain, its fields the union of every formula's declaration
    of it (the first type of a field wins)."""
    out: dict[str, Input] = {}
    for f in chain:
        for i in f.inputs:
            if i.type != "records":
                continue
            prev = out.get(i.id)
            if prev is None:
                out[i.id] = i
                continue
            types = dict(zip(i.fields, i.field_types or (None,) * len(i.fields), strict=False))
            types.update(zip(prev.fields, prev.field_types or (None,) * len(prev.fields), strict=False))
            names = tuple(dict.fromkeys((*prev.fields, *i.fields)))
            out[i.id] = dataclasses.replace(prev, fields=names, field_types=tuple(types[n] for n in names),
                                            time=prev.time or i.time)
    return out


def _numbers(chain: list[Formula], params: Mapping[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    errors = []
    known = {i.id: i for f in chain for i in f.inputs if i.type == "number"}
    for name in params:
        if name not in known:
            errors.append(ItemErrorDetail(path=name, message_zh=f"没有数字输入（参数）“{name}”" + _guess_zh(name, known),
                                          message_en=f"no number input (parameter) '{name}'" + _guess_en(name, known)))
    for name, inp in known.items():
        value = params.get(name, inp.default)
        if value is None:
            errors.append(ItemErrorDetail(path=name, message_zh=f"缺少输入“{name}”（{inp.name}）：用 --set {name}=数值 给出",
                                          message_en=f"input '{name}' is missing: give it with --set {name}=VALUE"))
        elif inp.range is not None and not inp.range[0] <= value <= inp.range[1]:
            errors.append(ItemErrorDetail(path=name, message_zh=f"“{name}”超出范围 {inp.range[0]} .. {inp.range[1]}",
                                          message_en=f"'{name}' is outside the range {inp.range[0]} .. {inp.range[1]}"))
        else:
            out[name] = float(value)
    if errors:
        raise ItemError(errors)
    return out


def _guess_zh(name: str, known: Mapping[str, Any]) -> str:
    g = did_you_mean(name, known)
    return f"，是否想写“{g}”？" if g else ""


def _guess_en(name: str, known: Mapping[str, Any]) -> str:
    g = did_you_mean(name, known)
    return f"; did you mean '{g}'?" if g else ""


def _header_map(inp: Input, src: Source, needed: set[str]) -> dict[str, str | None]:
    """Each field's column in the file. In a table file (CSV, Parquet) a field the formulas read
    (or group or filter by) must have one; a declared field they do not read may be absent (all
    its values missing), as may any key of JSON records."""
    out: dict[str, str | None] = {}
    errors = []
    types = inp.field_types or (None,) * len(inp.fields)
    for name, ty in zip(inp.fields, types, strict=False):
        found = next((h for h in headers_for(name, ty) if h in src.columns), None)
        if found is None and (name not in needed or src.kind in ("records", "jsonl")):  # JSON: an absent key is missing
            out[name] = None
        elif found is None:
            guess = did_you_mean(name, src.columns)
            errors.append(ItemErrorDetail(
                path=f"{src.path}:{name}",
                message_zh=f"{src.path}：缺少列“{name}”（输入 {inp.id} 的字段）" + (f"，是否想写“{guess}”？" if guess else ""),
                message_en=f"{src.path}: no column '{name}' (a field of input {inp.id})"
                           + (f"; did you mean '{guess}'?" if guess else "")))
        else:
            out[name] = found
    if errors:
        raise ItemError(errors)
    return out


def _prepared(policy: Policy, inp: Input, src: Source, by: str | None, period: Period | None, needed: set[str]
              ) -> tuple[pl.LazyFrame, list[Column], pl.Expr, pl.Expr]:
    """The file's rows with typed fields, the group key and the period mask."""
    if period is not None and inp.time is None:
        raise ItemError([ItemErrorDetail(path=inp.id, message_zh=f"输入“{inp.id}”没有声明时间字段（time），不能按期间筛选",
                                         message_en=f"input '{inp.id}' declares no time field, so it cannot be "
                                                    "filtered by period")])
    needed = needed | {f for f in (by, inp.time if period is not None or by == MONTH else None) if f}
    if by in REGISTRY_GROUPS:
        needed.add("grid")
    cols = typed(policy.model, inp, _header_map(inp, src, needed), policy.model.header.timezone)
    frame = src.frame.select(pl.col(ROW), *(c.value for c in cols), *(c.bad.alias("__bad_" + c.field) for c in cols))
    key = _group_key(policy, inp, by)
    mask = pl.lit(True)
    if period is not None and inp.time is not None:
        day = pl.col(inp.time).cast(pl.Date)
        mask = day.is_between(pl.lit(period.start), pl.lit(period.end)).fill_null(False)
    return frame, cols, key, mask


def _group_key(policy: Policy, inp: Input, by: str | None) -> pl.Expr:
    return _key(policy, inp, by).fill_null(NONE)


def _key(policy: Policy, inp: Input, by: str | None) -> pl.Expr:
    if by is None:
        return pl.lit(ALL)
    if by == MONTH:
        if inp.time is None:
            raise ItemError([ItemErrorDetail(path=inp.id, message_zh=f"输入“{inp.id}”没有时间字段，不能按月统计",
                                             message_en=f"input '{inp.id}' has no time field: no monthly trend")])
        return pl.col(inp.time).dt.strftime("%Y-%m")
    if by in inp.fields:
        return pl.col(by).cast(pl.Utf8)
    if by in REGISTRY_GROUPS and "grid" in inp.fields:
        table = {g.code: getattr(g, by) for g in policy.model.grids}
        return pl.col("grid").replace_strict(table, default=None, return_dtype=pl.Utf8)
    known = [*inp.fields, *(REGISTRY_GROUPS if "grid" in inp.fields else ()), *((MONTH,) if inp.time else ())]
    raise ItemError([ItemErrorDetail(path="by", message_zh=f"输入“{inp.id}”不能按“{by}”分组" + _guess_zh(by, dict.fromkeys(known)),
                                     message_en=f"input '{inp.id}' cannot be grouped by '{by}'"
                                                + _guess_en(by, dict.fromkeys(known)))])


def _aggregate(policy: Policy, inp: Input, files: Sequence[Source], by: str | None, period: Period | None,
               aggs: list[Any], needed: set[str]) -> dict[str, dict[str, Any]]:
    """Per group key: each aggregate's columns, `__n` (records in the period); one pass per file."""
    out: dict[str, dict[str, Any]] = {}
    for src in files:
        frame, cols, key, mask = _prepared(policy, inp, src, by, period, needed)
        bad = [pl.col("__bad_" + c.field).sum().alias("__bad_" + c.field) for c in cols]
        q = frame.with_columns(key.alias(GROUP), mask.alias(IN)).group_by(GROUP).agg(
            pl.col(IN).sum().alias("__n"), pl.len().alias("__all"), *bad,
            *(expr.alias(name) for a in aggs for name, expr in a.columns))
        got = q.collect(engine="streaming")
        bad_total = {c.field: int(got["__bad_" + c.field].sum() or 0) for c in cols}
        if any(bad_total.values()):
            raise _bad_rows(frame, cols, src, sum(bad_total.values()))
        for row in got.iter_rows(named=True):
            slot = out.setdefault(row[GROUP], {"__n": 0})
            slot["__n"] += row["__n"]
            for a in aggs:
                for name, _ in a.columns:
                    slot[name] = _merge(a.kind, name, slot.get(name), row[name], slot, row)
    return out


def _merge(kind: str, name: str, old: Any, new: Any, slot: dict[str, Any], row: dict[str, Any]) -> Any:
    """Two files' partial aggregates of one group combined (counts and sums add)."""
    if old is None:
        return new
    if new is None:
        return old
    return old + new


def _bad_rows(frame: pl.LazyFrame, cols: list[Column], src: Source, total: int) -> ItemError:
    checks = [pl.col("__bad_" + c.field) for c in cols]
    raw = src.frame.select(pl.col(ROW), *((pl.col(c.header) if c.header in src.columns else pl.lit(None))
                                          .cast(pl.Utf8).alias("__raw_" + c.field) for c in cols))
    found = (frame.join(raw, on=ROW).filter(pl.any_horizontal(checks))
             .head(MAX_SHOWN).collect())
    details = []
    for row in found.iter_rows(named=True):
        where_zh, where_en = src.row_text(int(row[ROW]))
        for c in cols:
            if row["__bad_" + c.field]:
                value = row["__raw_" + c.field]
                details.append(ItemErrorDetail(
                    path=f"{src.path}:{where_en.split()[-1]}:{c.header}",
                    message_zh=f"{src.path} {where_zh}，列“{c.header}”的值“{value}”无效：应为{c.expected_zh}",
                    message_en=f"{src.path} {where_en}, column '{c.header}': '{value}' is not valid: expected "
                               f"{c.expected_en}"))
    if total > len(found):
        details.append(ItemErrorDetail(path=src.path, message_zh=f"{src.path}：共 {total} 个无效值，以上列出前 {len(found)} 行",
                                       message_en=f"{src.path}: {total} invalid values in all; the first "
                                                  f"{len(found)} rows are listed"))
    return ItemError(details)


def _python_rows(policy: Policy, tables: Mapping[str, Input], sources: Mapping[str, Sequence[Source]],
                 by: str | None, period: Period | None, needed: set[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Group key -> input -> its typed records, for formulas the columnar engine does not lower."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, inp in tables.items():
        for src in sources[name]:
            frame, cols, key, mask = _prepared(policy, inp, src, by, period, needed)
            got = frame.with_columns(key.alias(GROUP)).filter(mask).select(GROUP, *inp.fields).collect()
            for row in got.iter_rows(named=True):
                g = row.pop(GROUP)
                out.setdefault(g, {}).setdefault(name, []).append({k: v for k, v in row.items() if v is not None})
    return out


def _group(policy: Policy, chain: list[Formula], lowered: Mapping[str, Lowered | None],
           per_table: Mapping[str, Mapping[str, Mapping[str, Any]]], numbers: Mapping[str, float], key: str,
           rows_of: Mapping[str, Mapping[str, list[dict[str, Any]]]], by: str | None) -> GroupResult:
    ev = policy.formula_runtime
    env: dict[str, Any] = dict(numbers)
    n = sum(int(t.get(key, {}).get("__n", 0)) for t in per_table.values())
    used: dict[str, float | None] = {}
    label = _label(policy, by, key)
    try:
        for f in chain:
            lw = lowered[f.id]
            if lw is None:
                records = {name: list(rows_of.get(key, {}).get(name, ())) for name in per_table}
                raw = ev.raw(f, {**env, **records})
            else:
                values = dict(env)
                for a in lw.aggregates:
                    values[a.key] = _value(a, per_table[a.table].get(key, {}))
                raw = policy.program.compiler.compile(lw.scalar)(values)
            env[f.id] = used[f.id] = ev.finish(f, raw, within=None if f is chain[-1] else f.id)
    except ItemError as exc:
        e = exc.errors[0]
        return GroupResult(key, label, None, None, None, n, e.message_zh, e.message_en, used)
    value = env[chain[-1].id]
    return GroupResult(key, label, value, ev.grade(chain[-1], value), None, n, values=used)


def _value(a: Any, row: Mapping[str, Any]) -> Any:
    if a.kind == "rate":
        num, den = row.get(a.key + "_n") or 0, row.get(a.key + "_d") or 0
        return None if not den else num / den
    got = row.get(a.key)
    if a.kind == "count":
        return int(got or 0)
    if a.kind == "sum":
        return float(got or 0.0)
    total, count = row.get(a.key + "_s") or 0.0, row.get(a.key + "_c") or 0
    return None if not count else total / count


def _label(policy: Policy, by: str | None, key: str) -> str:
    if by == "grid":
        place = next((g for g in policy.model.grids if g.code == key), None)
        return f"{place.name}（{place.community}）" if place else key
    if by == "department":
        d = next((d for d in policy.model.departments if d.id == key), None)
        return d.name if d else key
    return key


def _ranked(results: list[GroupResult]) -> list[GroupResult]:
    """Best value first; equal values share a rank (1, 2, 2, 4); groups without a value last."""
    scored = sorted((r for r in results if r.value is not None and r.key != NONE), key=lambda r: (-(r.value or 0.0), r.key))
    out, rank, prev = [], 0, None
    for i, r in enumerate(scored):
        if r.value != prev:
            rank, prev = i + 1, r.value
        out.append(GroupResult(r.key, r.label, r.value, r.grade, rank, r.records, values=r.values))
    return out + sorted((r for r in results if r.value is None or r.key == NONE), key=lambda r: r.key)


def _award(policy: Policy, f: Formula) -> tuple[str, ...]:
    g = next((g for g in policy.model.grades if g.id == f.grade), None)
    return g.award if g else ()
