"""The evaluation formulas ("三评"): notation, inputs, a worked example computed by the
runtime (sample data shown as tables, not JSON) and the grade tables."""

from __future__ import annotations

from typing import Any

from ...contract import ItemError
from ...model import Formula
from ..context import Context
from ..markdown import anchor, cell, fenced, num, text
from ..words import Words
from .common import head
from .evaluation_charts import intro, section
from .samples import chain_inputs, sample_inputs


def _shown(ctx: Context, v: Any) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int | float):
        return num(v)
    label = ctx.enum_labels.get(str(v))
    return f"{cell(label)}（`{v}`）" if label else cell(v)


def example(ctx: Context, f: Formula) -> list[str]:
    """The worked example: sample inputs as tables and the runtime's result."""
    data = sample_inputs(ctx, f)
    lines = ["### 算例 Worked example", "",
             "以下结果由运行时 `policy.evaluate()` 用这些示例数据实际计算。 "
             "Computed by the runtime itself from this sample data.", ""]
    inputs = chain_inputs(ctx, f)
    scalars = [i for i in inputs if i.type != "records"]
    if scalars:
        lines += ["| 输入 Input | 示例值 Sample |", "| --- | --- |"]
        lines += [f"| {cell(i.name)} | {num(data[i.id])} |" for i in scalars]
        lines.append("")
    for i in inputs:
        if i.type != "records":
            continue
        records = data[i.id]
        lines += [f"**{text(i.name)}**（{len(records)} 条记录 records）", "",
                  "| # | " + " | ".join(cell(ctx.name_label(x)) for x in i.fields) + " |",
                  "| --- |" + " --- |" * len(i.fields)]
        lines += [f"| {k} | " + " | ".join(_shown(ctx, r[x]) for x in i.fields) + " |"
                  for k, r in enumerate(records, 1)]
        lines.append("")
    try:
        result = ctx.policy.evaluate(f.id, data)
    except ItemError as exc:
        lines += [f"（示例数据无法计算 the sample could not be computed：{cell(str(exc))}）", ""]
    else:
        grade = f"，等级 **{text(result.grade.name)}**（`{result.grade.code}`）" if result.grade else ""
        lines += [f"结果 Result：**{num(result.value)}**{grade}", ""]
    return lines


def build(ctx: Context) -> dict[str, str]:
    lines = head("评价 Evaluation（“三评”）",
                 "每个公式的计算方法、由运行时实际计算的示例和等级表。 Each formula in readable notation, a "
                 "worked example computed by the runtime itself, and the grade tables.")
    if ctx.m.formulas:
        lines += intro(ctx.evaluations)
    if not ctx.m.formulas:
        lines += ["本规则集没有评价公式。 This policy has no formulas.", ""]
    for f in ctx.m.formulas:
        words = Words(ctx, {i.id: i.name for i in f.inputs})
        lines += [f"## {text(f.name)} {{ #{anchor('formula', f.id)} }}", "",
                  f"编号 Id：`{f.id}` · 定义位置 Source：{ctx.src(f.span)}", "",
                  f"**计算 Value：** {words.notation(f.value)}", "",
                  *fenced(f.text, "gridpolicy"), ""]
        extras = []
        if f.round is not None:
            extras.append(f"结果保留 {f.round} 位小数（四舍五入）rounded to {f.round} decimal place(s)")
        if f.range:
            extras.append(f"取值范围 range {num(f.range[0])} .. {num(f.range[1])}")
        if f.grade:
            extras.append(f"等级表 grade table [{text(ctx.grades[f.grade].name)}](#{anchor('grade', f.grade)})")
        if extras:
            lines += ["；".join(extras), ""]
        lines += ['<div class="gp-cards" markdown>', ""]
        for i in f.inputs:
            extra = (f"{num(i.range[0])} .. {num(i.range[1])}" if i.range else
                     "、".join(i.fields) if i.fields else "—")
            kind = "记录集 records" if i.type == "records" else "数字 number"
            lines.append(f"- **{text(i.name)}** `{i.id}` · {kind} · {cell(extra)}")
        lines += ["", "</div>", ""]
        lines += example(ctx, f)
        lines += section(ctx.evaluations, f)
        lines += ctx.meta_lines(f.meta)
    if ctx.m.grades:
        lines += ["## 等级表 Grade tables", ""]
    for g in ctx.m.grades:
        lines += [f"### {text(g.name)} {{ #{anchor('grade', g.id)} }}", "",
                  f"编号 Id：`{g.id}` · 定义位置 Source：{ctx.src(g.span)}", "",
                  "| 分数线 Threshold | 等级 Grade |", "| --- | --- |"]
        lines += [f"| ≥ {num(b.threshold)} | {cell(b.label)}（`{b.id}`） |" for b in g.bands]
        lines.append("")
        lines += ctx.meta_lines(g.meta)
    return {"evaluation.md": "\n".join(lines)}
