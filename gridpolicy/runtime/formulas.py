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
from .items import ItemValidator, short


class Formulas:
    def __init__(self, model: PolicyModel, program: Program, items: ItemValidator):
        self._formulas = program.formulas
        self._grades = {g.id: g for g in model.grades}
        self._items = items

    def evaluate(self, formula: str, data: Mapping[str, Any]) -> Evaluation:
        """Compute a formula over `data` (its inputs) and look up its grade."""
        entry = self._formulas.get(formula)
        if entry is None:
            guess = did_you_mean(formula, self._formulas)
            raise ItemError([ItemErrorDetail(path="formula", message_zh=f"未知公式“{formula}”"
                                             + (f"，是否想写“{guess}”？" if guess else ""),
                                             message_en=f"unknown formula '{formula}'"
                                             + (f"; did you mean '{guess}'?" if guess else ""))])
        f, fn = entry
        values = self._inputs(f, data)
        try:
            value = fn(values)
            value = None if value is None else float(value)
        except OverflowError:  # e.g. a product of huge record values
            raise ItemError([ItemErrorDetail(path="", message_zh="计算结果超出数值范围",
                                             message_en="the result is out of range")]) from None
        except TypeError:  # an untyped record field holding text where a number is needed, and the like
            raise ItemError([ItemErrorDetail(
                path="", message_zh="记录中的取值类型不符（如把文字当作数字）；请在 fields 中为字段声明类型",
                message_en="a record value has the wrong type (e.g. text used as a number); declare the field's "
                           "type in `fields`")]) from None
        if value is None:
            raise ItemError([ItemErrorDetail(path="", message_zh="数据不足，无法计算（如记录集为空）",
                                             message_en="not enough data to compute (e.g. no records)")])
        if not math.isfinite(value):
            raise ItemError([ItemErrorDetail(path="", message_zh="计算结果不是有限的数字",
                                             message_en="the result is not a finite number")])
        if f.round is not None:
            value = round_half_up(value, f.round)
        if f.range is not None and not f.range[0] <= value <= f.range[1]:
            lo, hi = (num_text(x) for x in f.range)
            raise ItemError([ItemErrorDetail(
                path="", message_zh=f"结果 {num_text(value)} 超出公式 {f.id} 声明的范围 {lo} .. {hi}，不评定等级；请检查输入数据",
                message_en=f"the result {num_text(value)} is outside formula {f.id}'s declared range {lo} .. {hi}; "
                           "no grade is given — check the input data")])
        band = None
        if f.grade:
            b = self._grades[f.grade].band_for(value)
            band = Named(code=b.id, name=b.label) if b else None
        return Evaluation(formula=Named(code=f.id, name=f.name), value=float(value), grade=band,
                          grade_table=f.grade, inputs={k: _jsonable(v) for k, v in values.items()})

    def _inputs(self, f: Formula, data: Mapping[str, Any]) -> dict[str, Any]:
        errors: list[ItemErrorDetail] = []
        values: dict[str, Any] = {}
        known = {i.id for i in f.inputs}
        for key in data:
            if key not in known:
                errors.append(ItemErrorDetail(path=str(key), message_zh=f"公式 {f.id} 没有输入“{key}”",
                                              message_en=f"formula {f.id} has no input '{key}'"))
        for inp in f.inputs:
            raw = data.get(inp.id)
            if raw is None:
                errors.append(ItemErrorDetail(path=inp.id, message_zh=f"缺少输入“{inp.id}”（{inp.name}）",
                                              message_en=f"input '{inp.id}' is missing"))
            elif inp.type == "records":
                if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
                    errors.append(ItemErrorDetail(path=inp.id, message_zh="应为记录（对象）列表",
                                                  message_en="must be a list of records (objects)"))
                else:
                    values[inp.id] = self._records(inp, raw, errors)
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


    def _records(self, inp: Input, raw: list[Mapping[str, Any]], errors: list[ItemErrorDetail]
                 ) -> list[Mapping[str, Any]]:
        """Each record's values checked by its field's type (labels become codes, dates parse);
        a bad value is an error naming the record's index, the field and the value."""
        declared = set(inp.fields)
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
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _jsonable(v: Any) -> Any:
    return sorted(v) if isinstance(v, frozenset) else v
