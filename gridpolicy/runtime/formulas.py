"""Evaluation formulas: a formula computed over case data (its inputs checked first), and the
grade its value falls in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contract import Evaluation, ItemError, ItemErrorDetail, Named
from ..diagnostics import did_you_mean
from ..engine.compiler import round_half_up
from ..engine.program import Program
from ..model import Formula, PolicyModel


class Formulas:
    def __init__(self, model: PolicyModel, program: Program):
        self._formulas = program.formulas
        self._grades = {g.id: g for g in model.grades}

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
        if value is None:
            raise ItemError([ItemErrorDetail(path="", message_zh="数据不足，无法计算（如记录集为空）",
                                             message_en="not enough data to compute (e.g. no records)")])
        if f.round is not None:
            value = round_half_up(value, f.round)
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
                    for n, r in enumerate(raw):
                        extra = set(r) - set(inp.fields)
                        if extra:
                            errors.append(ItemErrorDetail(path=f"{inp.id}[{n}].{sorted(map(str, extra))[0]}",
                                                          message_zh="记录中有未声明的字段",
                                                          message_en="field not declared for these records"))
                    values[inp.id] = raw
            elif isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw:
                errors.append(ItemErrorDetail(path=inp.id, message_zh="应为数字", message_en="must be a number"))
            elif inp.range and not inp.range[0] <= raw <= inp.range[1]:
                errors.append(ItemErrorDetail(path=inp.id, message_zh=f"超出范围 {inp.range[0]} .. {inp.range[1]}",
                                              message_en=f"outside the range {inp.range[0]} .. {inp.range[1]}"))
            else:
                values[inp.id] = raw
        if errors:
            raise ItemError(errors)
        return values


def _jsonable(v: Any) -> Any:
    return sorted(v) if isinstance(v, frozenset) else v
