"""Static SVG pictures of an evaluation (offline: no script, no fonts fetched): ranked bars per
group, the distribution of grades, and the trend by month — each with its numbers beside it —
and `write_report(DIR)`, which writes them with results.csv/json and an index.html."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from .grouped import GroupedEvaluation
from .report import BY_ZH, number, render_csv, to_dict, width

FONT = 'font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif" font-size="13"'
BAR = "#2f6fb0"
ROW_H = 22


def _svg(w: int, h: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
            f'aria-label="{escape(title)}" {FONT}><title>{escape(title)}</title>'
            f'<rect width="{w}" height="{h}" fill="#fff"/>' + "".join(body) + "</svg>\n")


def ranked_bars(r: GroupedEvaluation, limit: int = 40) -> str:
    """Groups best first as horizontal bars, the value and grade beside each bar."""
    groups = [g for g in r.groups if g.value is not None][:limit]
    label_w = max([width(g.label) for g in groups] + [4]) * 7 + 16
    top = max([g.value or 0.0 for g in groups] + [1.0])
    bar_w = 360
    title = f"{r.formula.name}：按{BY_ZH.get(r.by, r.by or '')}排名 ranked by {r.by or 'all'}"
    body = [f'<text x="8" y="18" font-weight="bold">{escape(title)}</text>']
    for i, g in enumerate(groups):
        y = 30 + i * ROW_H
        length = max(1.0, bar_w * (g.value or 0.0) / top)
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(g.label)}</text>')
        body.append(f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{ROW_H - 6}" fill="{BAR}">'
                    f'<title>{escape(g.label)} {number(g.value)}</title></rect>')
        grade = f" {g.grade.name}" if g.grade else ""
        body.append(f'<text class="value" x="{label_w + length + 6:.1f}" y="{y + 15}">{number(g.value)}'
                    f'{escape(grade)}</text>')
    return _svg(label_w + bar_w + 160, 40 + len(groups) * ROW_H, title, body)


def grade_distribution(r: GroupedEvaluation) -> str:
    counts: dict[str, int] = {}
    for g in r.groups:
        if g.grade is not None:
            counts[g.grade.name] = counts.get(g.grade.name, 0) + 1
    title = f"{r.formula.name}：等级分布 grades"
    body = [f'<text x="8" y="18" font-weight="bold">{escape(title)}</text>']
    top = max([*counts.values(), 1])
    label_w = max([width(k) for k in counts] + [4]) * 7 + 16
    for i, (name, n) in enumerate(counts.items()):
        y = 30 + i * ROW_H
        length = max(1.0, 300 * n / top)
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        body.append(f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{ROW_H - 6}" fill="#5a9e6f"/>')
        body.append(f'<text class="value" x="{label_w + length + 6:.1f}" y="{y + 15}">{n}</text>')
    return _svg(label_w + 360, 40 + max(1, len(counts)) * ROW_H, title, body)


def monthly_trend(r: GroupedEvaluation) -> str:
    """The value of each month as a line, each point labelled with its value."""
    points = sorted((g.key, g.value) for g in r.groups if g.value is not None)
    title = f"{r.formula.name}：按月趋势 by month"
    w, h, left, top_y, plot_h = max(320, 70 * len(points) + 80), 240, 50, 40, 150
    body = [f'<text x="8" y="18" font-weight="bold">{escape(title)}</text>',
            f'<line x1="{left}" y1="{top_y + plot_h}" x2="{w - 20}" y2="{top_y + plot_h}" stroke="#999"/>']
    values = [v for _, v in points if v is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    lo = min(lo, 0.0)
    span = (hi - lo) or 1.0
    xy = []
    for i, (month, v) in enumerate(points):
        x = left + 30 + i * 70
        y = top_y + plot_h - plot_h * ((v or 0.0) - lo) / span
        xy.append((x, y))
        body.append(f'<circle class="point" cx="{x}" cy="{y:.1f}" r="4" fill="{BAR}"><title>{month} {number(v)}</title></circle>')
        body.append(f'<text class="value" x="{x}" y="{y - 8:.1f}" text-anchor="middle">{number(v)}</text>')
        body.append(f'<text x="{x}" y="{top_y + plot_h + 18}" text-anchor="middle">{escape(month)}</text>')
    if len(xy) > 1:
        body.insert(2, '<polyline fill="none" stroke="#2f6fb0" stroke-width="2" points="'
                    + " ".join(f"{x},{y:.1f}" for x, y in xy) + '"/>')
    return _svg(w, h, title, body)


def write_report(folder: Path, result: GroupedEvaluation, trend: GroupedEvaluation | None) -> Path:
    """results.csv (UTF-8 with BOM, for Excel), results.json, ranking.svg, grades.svg,
    trend.svg (when the records have a time field) and index.html showing them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.csv").write_text("\ufeff" + render_csv(result), encoding="utf-8")
    (folder / "results.json").write_text(json.dumps(to_dict(result), ensure_ascii=False, indent=2), encoding="utf-8")
    pictures = {"ranking.svg": ranked_bars(result), "grades.svg": grade_distribution(result)}
    if trend is not None:
        pictures["trend.svg"] = monthly_trend(trend)
    for name, svg in pictures.items():
        (folder / name).write_text(svg, encoding="utf-8")
    imgs = "".join(f'<figure><img src="{n}" alt="{escape(n)}"></figure>' for n in pictures)
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{escape(result.formula.name)}</title>'
        f'<h1>{escape(result.formula.name)}</h1>{imgs}<p><a href="results.csv">results.csv</a></p></html>\n',
        encoding="utf-8")
    return folder
