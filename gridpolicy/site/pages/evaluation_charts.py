"""Charts of an evaluation over record files on the site's evaluation page (issue 16, ask 5):
`gridpolicy docs RULES --evaluation [INPUT=]FILE` computes each formula whose records inputs
have files, and this page shows the report's own static SVG pictures (ranked bars, grade
distribution, monthly trend; gridpolicy.evaluation.charts) inline, with the numbers beside them.
Without data the page says how to add them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...model import Formula
from ..markdown import cell, num

HOW_TO = ("图表 Charts：加上记录文件即可在本页显示按组排名、等级分布和按月趋势图："
          "`gridpolicy docs rules/ --out DIR --evaluation 输入=文件`（与 `gridpolicy evaluate --records` "
          "读取同样的文件），可加 `--by`、`--period`。 "
          "Add record files to show ranked bars per group, the grade distribution and the monthly trend "
          "here: `gridpolicy docs rules/ --out DIR --evaluation INPUT=FILE` (the files "
          "`gridpolicy evaluate --records` reads), optionally with `--by` and `--period`.")


@dataclass(frozen=True, slots=True)
class Charted:
    """One formula's grouped evaluation over the given files, and its monthly trend (when every
    records input has a `time` field)."""

    result: Any  # gridpolicy.evaluation.GroupedEvaluation
    trend: Any = None
    files: tuple[str, ...] = ()


def intro(evaluations: Mapping[str, Charted] | None) -> list[str]:
    if evaluations is None:
        return [f"!!! note \"图表 Charts\"\n    {HOW_TO}", ""]
    return []


def section(evaluations: Mapping[str, Charted] | None, f: Formula) -> list[str]:
    """The charts of formula `f` and its ranked numbers as a table; nothing without data."""
    if not evaluations or f.id not in evaluations:
        return []
    from ...evaluation.charts import grade_distribution, monthly_trend, ranked_bars
    from ...evaluation.report import BY_ZH, number

    c = evaluations[f.id]
    r = c.result
    by = r.by or "all"
    period = f" · 期间 period {cell(r.period)}" if r.period else ""
    files = "、".join(cell(x) for x in c.files) or "—"
    lines = ["### 数据图表 Charts from the data", "",
             f"按 {cell(BY_ZH.get(r.by, r.by or ''))} 分组 grouped by {cell(by)}{period} · 数据 data：{files}", ""]
    pictures = [ranked_bars(r)] + ([grade_distribution(r)] if r.grade_table else [])
    if c.trend is not None:
        pictures.append(monthly_trend(c.trend))
    for svg in pictures:  # the renderer escapes every text it draws; one line keeps it one raw HTML block
        flat = " ".join(svg.split("\n")).replace("\r", " ").strip()
        lines += [f'<div class="gp-chart">{flat}</div>', ""]
    lines += ["| 名次 Rank | 组 Group | 值 Value | 等级 Grade | 记录数 Records |", "| --- | --- | --- | --- | --- |"]
    for g in r.groups:
        grade = cell(g.grade.name) if g.grade else (cell(g.error_zh) if g.error_zh else "—")
        lines.append(f"| {g.rank if g.rank is not None else '—'} | {cell(g.label)} | {number(g.value)} "
                     f"| {grade} | {num(g.records)} |")
    lines.append("")
    return lines
