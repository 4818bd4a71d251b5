"""Evaluation formulas: a formula computed over case data (its inputs checked first), and the
grade its value falls in."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..contract import Evaluation, ItemError, ItemErrorDetail, Named
from ..diagnostics import did_you_mean
from ..engine.compiler import round_half_up
from ..engine.program import Program
from ..model import Formula, Input, PolicyModel
from ..syntax.numbers import number_text
from .items import ItemValidator, short


class Formulas:
    def __init__(self, model: PolicyModel, program: Program, items: ItemValidator):
        self._formulas = program.formulas
        self._grades = {g.id: g for g in model.grades}
        self._items = items

    def formula(self, formula: str) -> Formula:
        """The formula named `formula`; an unknown name is an error with a "did you mean"."""
        entry = self._formulas.get(formula)
        if entry is None:
            guess = did_you_mean(formula, self._formulas)
            raise ItemError([ItemErrorDetail(path="formula", message_zh=f"未知公式“{formula}”"
                                             + (f"，是否想写“{guess}”？" if guess else ""),
                                             message_en=f"unknown formula '{formula}'"
                                             + (f"; did you mean '{guess}'?" if guess else ""))])
        return entry[0]

    def order(self, formula: str) -> list[Formula]:
        """`formula` and the formulas it uses, each after the ones it reads (the checker
        refuses cycles)."""
        out: dict[str, Formula] = {}

        def visit(name: str) -> None:
            if name in out:
                return
            f = self._formulas[name][0]
            for used in f.uses:
                visit(used)
            out[name] = f
        visit(self.formula(formula).id)
        return list(out.values())

    def evaluate(self, formula: str, data: Mapping[str, Any]) -> Evaluation:
        """Compute a formula over `data` (its inputs, and those of the formulas it uses) and
        look up its grade."""
        chain = self.order(formula)
        known = {i.id for f in chain for i in f.inputs}
        unknown = [ItemErrorDetail(path=str(key), message_zh=f"公式 {formula} 没有输入“{key}”",
                                   message_en=f"formula {formula} has no input '{key}'")
                   for key in data if key not in known]
        if unknown:
            raise ItemError(unknown)
        # A records input shared by the formulas of the chain may carry any field one of them declares.
        declared: dict[str, set[str]] = {}
        for g in chain:
            for i in g.inputs:
                declared.setdefault(i.id, set()).update(i.fields)
        env: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for f in chain:
            values = self._inputs(f, data, declared)
            value = self.finish(f, self.raw(f, {**env, **values}), within=None if f.id == formula else f.id)
            env[f.id] = value
        f = chain[-1]
        return Evaluation(formula=Named(code=f.id, name=f.name), value=env[f.id], grade=self.grade(f, env[f.id]),
                          grade_table=f.grade, inputs={k: _jsonable(v) for k, v in values.items()})

    def raw(self, f: Formula, values: dict[str, Any]) -> Any:
        """The formula's value before rounding and range checks (None: not enough data)."""
        fn = self._formulas[f.id][1]
        try:
            return fn(values)
        except OverflowError:  # e.g. a product of huge record values
            raise ItemError([ItemErrorDetail(path="", message_zh="计算结果超出数值范围",
                                             message_en="the result is out of range")]) from None
        except TypeError:  # an untyped record field holding text where a number is needed, and the like
            raise ItemError([ItemErrorDetail(
                path="", message_zh="记录中的取值类型不符（如把文字当作数字）；请在 fields 中为字段声明类型",
                message_en="a record value has the wrong type (e.g. text used as a number); declare the field's "
                           "type in `fields`")]) from None

    def finish(self, f: Formula, raw: Any, within: str | None = None) -> float:
        """A computed value rounded and checked against the formula's range; `within` names
        the formula (used by another) in the messages."""
        zh, en = (f"（所用公式 {within}）", f" (in formula {within}, which this one uses)") if within else ("", "")
        try:
            value = None if raw is None else float(raw)
        except OverflowError:  # an exact integer beyond float
            value = math.inf
        if value is None:
            raise ItemError([ItemErrorDetail(path=within or "", message_zh=f"数据不足，无法计算（如记录集为空）{zh}",
                                             message_en=f"not enough data to compute (e.g. no records){en}")])
        if not math.isfinite(value):
            raise ItemError([ItemErrorDetail(path=within or "", message_zh=f"计算结果不是有限的数字{zh}",
                                             message_en=f"the result is not a finite number{en}")])
        if f.round is not None:
            value = round_half_up(value, f.round)
        if f.range is not None and not f.range[0] <= value <= f.range[1]:
            lo, hi = (num_text(x) for x in f.range)
            raise ItemError([ItemErrorDetail(
                path=within or "",
                message_zh=f"结果 {num_text(value)} 超出公式 {f.id} 声明的范围 {lo} .. {hi}，不评定等级；请检查输入数据",
                message_en=f"the result {num_text(value)} is outside formula {f.id}'s declared range {lo} .. {hi}; "
                           "no grade is given — check the input data")])
        return value

    def grade(self, f: Formula, value: float) -> Named | None:
        if not f.grade:
            return None
        b = self._grades[f.grade].band_for(value)
        return Named(code=b.id, name=b.label) if b else None

    def _inputs(self, f: Formula, data: Mapping[str, Any], declared: Mapping[str, set[str]]) -> dict[str, Any]:
        errors: list[ItemErrorDetail] = []
        values: dict[str, Any] = {}
        for inp in f.inputs:
            raw = data.get(inp.id)
            if raw is None and inp.default is not None:
                values[inp.id] = inp.default
            elif raw is None:
                errors.append(ItemErrorDetail(path=inp.id, message_zh=f"缺少输入“{inp.id}”（{inp.name}）",
                                              message_en=f"input '{inp.id}' is missing"))
            elif inp.type == "records":
                if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
                    errors.append(ItemErrorDetail(path=inp.id, message_zh="应为记录（对象）列表",
                                                  message_en="must be a list of records (objects)"))
                else:
                    values[inp.id] = self._records(inp, raw, errors, declared.get(inp.id, set(inp.fields)))
            elif isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
                errors.append(ItemErrorDetail(path=inp.id, message_zh="应为有限的数字", message_en="must be a finite number"))
            elif inp.range and not inp.range[0] <= raw <= inp.range[1]:
                errors.append(ItemErrorDetail(path=inp.id, message_zh=f"超出范围 {inp.range[0]} .. {inp.range[1]}",
                                              message_en=f"outside the range {inp.range[0]} .. {inp.range[1]}"))
            else:
                values[inp.id] = raw
        if errors:
            raise ItemError(errors)
        return values


    def _records(self, inp: Input, raw: list[Mapping[str, Any]], errors: list[ItemErrorDetail],
                 declared: set[str]) -> list[Mapping[str, Any]]:
        """Each record's values checked by its field's type (labels become codes, dates parse);
        a bad value is an error naming the record's index, the field and the value."""
        typed = [(name, ty) for name, ty in zip(inp.fields, inp.field_types, strict=False) if ty is not None]
        out: list[Mapping[str, Any]] = []
        for n, r in enumerate(raw):
            extra = set(r) - declared
            if extra:
                errors.append(ItemErrorDetail(path=f"{inp.id}[{n}].{sorted(map(str, extra))[0]}",
                                              message_zh="记录中有未声明的字段",
                                              message_en="field not declared for these records"))
            rec = dict(r)
            for name, ty in typed:
                if name not in rec or rec[name] is None:
                    continue
                ok, got = self._items.coerce(ty, rec[name])
                if ok:
                    rec[name] = got
                else:
                    zh, en = got
                    shown = short(rec[name])
                    errors.append(ItemErrorDetail(path=f"{inp.id}[{n}].{name}",
                                                  message_zh=f"第 {n + 1} 条记录的“{name}”（{shown}）：{zh}",
                                                  message_en=f"record {n} field '{name}' ({shown}): {en}"))
            for name, v in rec.items():  # untyped numbers must still be finite
                if isinstance(v, float) and not math.isfinite(v):
                    errors.append(ItemErrorDetail(path=f"{inp.id}[{n}].{name}",
                                                  message_zh=f"第 {n + 1} 条记录的“{name}”不是有限的数字",
                                                  message_en=f"record {n} field '{name}' is not a finite number"))
            out.append(rec)
        return out


def num_text(x: float) -> str:
    return number_text(x, 6)


def _jsonable(v: Any) -> Any:
    return sorted(v) if isinstance(v, frozenset) else v
