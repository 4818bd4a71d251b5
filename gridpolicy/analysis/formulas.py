"""Formula and grade analyses by interval arithmetic over the inputs' declared ranges:
GP108 a formula whose value can leave its declared range (the usual sign of weights that
do not add up when a formula is written as `a * 0.3 + b * 0.6`), GP109 a grade that leaves
part of the formula's range without a grade, or a band no value can reach.

Interval arithmetic is exact when each input occurs once in the formula; otherwise the
range it gives may be wider than the true one, and the findings say so.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from ..diagnostics import WARNING, Reporter
from ..model import Formula, Grade, PolicyModel
from ..syntax.nodes import Binary, Call, Expr, Literal, Name, Unary
from ..syntax.numbers import number_text
from .domain import walk

Interval = tuple[float, float]
UNKNOWN: Interval = (-math.inf, math.inf)


def value_range(f: Formula, others: Mapping[str, Formula] | None = None) -> tuple[Interval, bool]:
    """The interval the formula's value lies in, and whether it is exact. A formula it uses
    (in `others`) contributes its declared range."""
    ranges = {u: (g.range or UNKNOWN) for u in f.uses if (g := (others or {}).get(u)) is not None}
    ranges.update({i.id: (i.range or UNKNOWN) if i.type == "number" else UNKNOWN for i in f.inputs})
    counts = Counter(n.id for n in walk(f.value) if isinstance(n, Name))
    exact = all(c <= 1 for c in counts.values())
    return _iv(f.value, ranges), exact


def _iv(e: Expr, env: dict[str, Interval]) -> Interval:
    if isinstance(e, Literal):
        if isinstance(e.value, (int, float)) and not isinstance(e.value, bool):
            return (float(e.value), float(e.value))
        return UNKNOWN
    if isinstance(e, Name):
        return env.get(e.id, UNKNOWN)
    if isinstance(e, Unary) and e.op == "-":
        lo, hi = _iv(e.operand, env)
        return (-hi, -lo)
    if isinstance(e, Binary) and e.op in "+-*/":
        a, b = _iv(e.left, env), _iv(e.right, env)
        if e.op == "+":
            return (a[0] + b[0], a[1] + b[1])
        if e.op == "-":
            return (a[0] - b[1], a[1] - b[0])
        if e.op == "*":
            return _span([_mul(x, y) for x in a for y in b])
        if b[0] <= 0 <= b[1]:
            return UNKNOWN
        return _span([_div(x, y) for x in a for y in b])
    if isinstance(e, Call):
        return _call(e, env)
    return UNKNOWN


def _mul(x: float, y: float) -> float:
    return 0.0 if x == 0 or y == 0 else x * y


def _div(x: float, y: float) -> float:
    return x / y if not math.isinf(y) else 0.0


def _span(xs: list[float]) -> Interval:
    xs = [x for x in xs if not math.isnan(x)]
    return (min(xs), max(xs)) if xs else UNKNOWN


def _call(e: Call, env: dict[str, Interval]) -> Interval:
    f = e.func
    if f == "weighted":
        lo = hi = 0.0
        for name, w in e.kwargs:
            weight = float(w.value) if isinstance(w, Literal) else -float(w.operand.value)  # type: ignore[attr-defined]
            a = env.get(name, UNKNOWN)
            lo, hi = lo + min(_mul(a[0], weight), _mul(a[1], weight)), hi + max(_mul(a[0], weight), _mul(a[1], weight))
        return (lo, hi)
    args = [_iv(a, env) for a in e.args]
    if f in ("rate", "rate_records"):
        return (0.0, 1.0)
    if f in ("count", "count_records"):
        return (0.0, math.inf)
    if f == "round" and args:
        return args[0]
    if f in ("min", "max") and args:
        pick = min if f == "min" else max
        return (pick(a[0] for a in args), pick(a[1] for a in args))
    if f in ("avg",) and args:
        return (min(a[0] for a in args), max(a[1] for a in args))
    if f == "sum" and args:
        return (sum(a[0] for a in args), sum(a[1] for a in args))
    if f == "abs" and args:
        lo, hi = args[0]
        return (0.0 if lo <= 0 <= hi else min(abs(lo), abs(hi)), max(abs(lo), abs(hi)))
    if f == "if" and len(args) == 3:
        return (min(args[1][0], args[2][0]), max(args[1][1], args[2][1]))
    if f == "points" and len(args) == 4:
        full = args[2]
        return (min(0.0, full[0]), max(0.0, full[1]))
    if f == "clamp" and len(args) == 3:
        xs, los, his = args
        return (max(los[0], min(his[0], xs[0])), max(los[1], min(his[1], xs[1])))
    return UNKNOWN


def check_formulas(model: PolicyModel, rep: Reporter) -> None:
    grades = {g.id: g for g in model.grades}
    for f in model.formulas:
        (lo, hi), exact = value_range(f, {g.id: g for g in model.formulas})
        known = not (math.isinf(lo) or math.isinf(hi))
        note_zh = "" if exact else "（近似：有输入出现不止一次，区间可能偏宽）"
        note_en = "" if exact else " (approximate: an input occurs more than once, the interval may be wide)"
        if known and f.range and (lo < f.range[0] - 1e-9 or hi > f.range[1] + 1e-9):
            rep.report("GP108", f.span,
                       f"公式“{f.id}”按输入范围可算得 {number_text(lo, 6)} .. {number_text(hi, 6)}，超出声明的范围 "
                       f"{number_text(f.range[0], 6)} .. {number_text(f.range[1], 6)}，请检查权重之和是否为 1{note_zh}",
                       f"formula '{f.id}' can take values {number_text(lo, 6)} .. {number_text(hi, 6)} from its inputs' ranges, outside "
                       f"its declared range {number_text(f.range[0], 6)} .. {number_text(f.range[1], 6)}; do the weights sum to 1?{note_en}",
                       severity=WARNING)
        if f.grade and f.grade in grades:
            span = f.range if f.range else ((lo, hi) if known else None)
            if span is not None:
                _check_grade(f, grades[f.grade], span, declared=f.range is not None,
                             note=(note_zh, note_en) if f.range is None else ("", ""), rep=rep)


def _check_grade(f: Formula, g: Grade, span: Interval, declared: bool, note: tuple[str, str],
                 rep: Reporter) -> None:
    if not g.bands:
        return
    lo, hi = span
    lowest = g.bands[-1]
    # With a declared range the checker already warns (GP054) when the lowest band starts above it.
    if not declared and lowest.threshold > lo + 1e-9:
        rep.report("GP109", f.span,
                   f"公式“{f.id}”的值可低至 {number_text(lo, 6)}，但等级“{g.id}”最低档“{lowest.label}”从 {number_text(lowest.threshold, 6)} "
                   f"开始，{number_text(lo, 6)} .. {number_text(lowest.threshold, 6)} 之间没有等级{note[0]}",
                   f"formula '{f.id}' can be as low as {number_text(lo, 6)} but grade '{g.id}' starts at "
                   f"{number_text(lowest.threshold, 6)}: values below it get no grade{note[1]}", severity=WARNING)
    for band in g.bands:
        if band.threshold > hi + 1e-9:
            rep.report("GP109", g.span,
                       f"等级“{g.id}”的档次“{band.label}”（{number_text(band.threshold, 6)} 分以上）高于公式“{f.id}”的最大值 "
                       f"{number_text(hi, 6)}，永远达不到{note[0]}",
                       f"band '{band.id}' of grade '{g.id}' starts at {number_text(band.threshold, 6)}, above the most "
                       f"formula '{f.id}' can give ({number_text(hi, 6)}): it can never be reached{note[1]}", severity=WARNING)


