"""A grouped evaluation as people read it: a ranked text table (CJK-aligned), CSV, JSON, with
the groups that could not be graded and the groups an award goes to."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from .grouped import GroupedEvaluation

CSV_COLUMNS = ("rank", "group", "label", "value", "grade", "grade_name", "records", "error_zh", "error_en")
BY_ZH = {"grid": "网格", "community": "社区", "street": "街道（镇）", "department": "部门", "month": "月份", None: "全部"}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, n: int, right: bool = False) -> str:
    gap = " " * max(0, n - width(text))
    return gap + text if right else text + gap


def number(v: float | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:.4g}" if abs(v) < 1 else f"{v:g}"


def to_dict(r: GroupedEvaluation) -> dict[str, Any]:
    return {
        "formula": {"code": r.formula.code, "name": r.formula.name}, "by": r.by, "period": r.period,
        "grade_table": r.grade_table, "award": list(r.award), "engine": r.engine,
        "groups": [{"rank": g.rank, "group": g.key, "label": g.label, "value": g.value,
                    "grade": g.grade.model_dump() if g.grade else None, "records": g.records,
                    "values": g.values, **({"error": {"zh": g.error_zh, "en": g.error_en}} if g.error_zh else {})}
                   for g in r.groups],
        "awarded": [g.key for g in r.awarded],
    }


def render_csv(r: GroupedEvaluation) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for g in r.groups:
        w.writerow([g.rank or "", g.key, g.label, number(g.value) if g.value is not None else "",
                    g.grade.code if g.grade else "", g.grade.name if g.grade else "", g.records, g.error_zh, g.error_en])
    return out.getvalue()


def render_text(r: GroupedEvaluation) -> str:
    by_zh = BY_ZH.get(r.by, r.by or "")
    head = [f"{r.formula.name}（{r.formula.code}）— 按{by_zh}排名 ranked by {r.by or 'all'}"
            + (f"，期间 period {r.period}" if r.period else "")]
    rows = [("名次 rank", f"{by_zh} {r.by or 'group'}", "得分 value", "等级 grade", "记录 records")]
    for g in r.groups:
        if g.value is None:
            continue
        rows.append((str(g.rank), g.label if g.label == g.key else f"{g.label} {g.key}", number(g.value),
                     g.grade.name if g.grade else "—", str(g.records)))
    widths = [max(width(row[i]) for row in rows) for i in range(5)]
    lines = head + [""]
    for n, row in enumerate(rows):
        lines.append("  ".join(_pad(c, widths[i], right=i in (0, 2, 4)) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    failed = [g for g in r.groups if g.value is None]
    if failed:
        lines += ["", f"未评定 not graded ({len(failed)}):"]
        lines += [f"  {g.key}: {g.error_zh} / {g.error_en}" for g in failed]
    grades: dict[str, int] = {}
    for g in r.groups:
        if g.grade:
            grades[g.grade.name] = grades.get(g.grade.name, 0) + 1
    if grades:
        lines += ["", "等级分布 grades: " + "，".join(f"{k} {v}" for k, v in grades.items())]
    if r.award:
        names = [g.label for g in r.awarded]
        lines += ["", f"评选 award（{r.grade_table}，档次 {'、'.join(r.award)}）: {len(names)} 个 — "
                  + ("、".join(names) if names else "无 none")]
    return "\n".join(lines) + "\n"
