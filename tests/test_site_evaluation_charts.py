"""The site's evaluation page with `gridpolicy docs --evaluation`: the report's SVG charts
inline for every formula whose records inputs have files, the numbers beside the bars equal to
the grouped evaluation, every text escaped, nothing from outside; without data, a note saying
how to add them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gridpolicy import load
from gridpolicy.cli import main
from gridpolicy.site.markdown import anchor

pytest.importorskip("polars", reason="the evaluate extra is not installed")

from gridpolicy.evaluation import evaluate_groups, open_source
from gridpolicy.evaluation.report import number

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
VISITS = REPO / "examples" / "evaluate" / "visits.csv"
CASES = REPO / "examples" / "evaluate" / "cases.csv"
HOSTILE = "<script>window.__x=1</script>"
MARKDOWN = "a|b*c_[点我](javascript:alert(1))\n\n[再点](javascript:alert(2))"


def _page(tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "pages"
    assert main(["docs", str(RULES), "--out", str(out), "--as-of", "2026-03-02", *extra]) == 0
    return (out / "evaluation.md").read_text(encoding="utf-8")


def _section(page: str, formula_id: str) -> str:
    start = page.index("{ #" + anchor("formula", formula_id) + " }")
    end = page.find("\n## ", start)
    return page[start:end if end > 0 else None]


def _svgs(text: str) -> list[str]:
    return re.findall(r'<div class="gp-chart">(<svg .*?</svg>)</div>', text)


def test_charts_with_their_numbers(tmp_path: Path) -> None:
    page = _page(tmp_path, "--evaluation", f"visits={VISITS}", "--evaluation", f"cases={CASES}")
    policy = load(RULES)
    expected = evaluate_groups(policy, "satisfaction", {"visits": [open_source(VISITS, policy)]})
    section = _section(page, "satisfaction")
    ranking, grades, trend = _svgs(section)
    values = [number(g.value) for g in expected.groups if g.value is not None]
    labels = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', ranking)
    assert [t.split()[0] for t in labels] == values  # the number beside each bar, best first
    assert len(re.findall(r'<rect class="bar"', ranking)) == len(values)
    counts = {}
    for g in expected.groups:
        if g.grade is not None:
            counts[g.grade.name] = counts.get(g.grade.name, 0) + 1
    assert sorted(re.findall(r'<text class="value"[^>]*>(\d+)</text>', grades)) == sorted(map(str, counts.values()))
    assert len(re.findall(r'<circle class="point"', trend)) >= 2
    for g in expected.groups:  # the ranked table beside the charts
        assert f"| {number(g.value)} |" in section
    case_section = _section(page, "response_rate")
    assert len(_svgs(case_section)) == 2 and "cases.csv" in case_section  # no grade table: no distribution
    assert "staff_annual" in page and not _svgs(_section(page, "staff_annual"))  # number inputs only: no chart
    # offline: the only URL is the SVG namespace; no links or images in the pictures
    assert set(re.findall(r"https?://[^\s\"'<>)]+", "".join(_svgs(page)))) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"\b(?:href|src)=", "".join(_svgs(page)))


def test_group_labels_are_escaped(tmp_path: Path) -> None:
    data = tmp_path / "hostile.csv"
    data.write_text("grid,department,at,result,reasonable\n"
                    f"341002001001003,{HOSTILE},2026-07-21,满意,\n"
                    f"341002001001002,\"{MARKDOWN}\",2026-09-04,不满意,\n", encoding="utf-8")
    page = _page(tmp_path, "--evaluation", f"visits={data}", "--by", "department")
    assert HOSTILE not in page and "&lt;script&gt;" in page
    blocks = re.findall(r'^<div class="gp-chart">.*</div>$', page, flags=re.M)
    assert len(blocks) == 3 and "javascript:" in blocks[0]  # inert text in the ranking, each block one line
    rest = re.sub(r'^<div class="gp-chart">.*</div>$', "", page, flags=re.M)
    assert "javascript:" in rest and "](javascript:" not in rest.replace("\\](javascript:", "")
    assert "按 部门 分组 grouped by department" in page


def test_without_data_the_page_says_how(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "<svg" not in page
    note = page.index("--evaluation 输入=文件")
    assert note < page.index("--evaluation INPUT=FILE")  # Chinese first, then English


@pytest.mark.parametrize("extra, words", [
    (["--evaluation", str(VISITS)], "INPUT=FILE"),  # several records inputs: the name is needed
    (["--evaluation", f"visit={VISITS}"], "visit"),
    (["--by", "grid"], "--evaluation"),
    (["--evaluation", f"visits={VISITS}", "--period", "2026Q5"], "2026Q5"),
])
def test_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], words: str) -> None:
    code = main(["docs", str(RULES), "--out", str(tmp_path / "p"), *extra])
    assert code in (1, 2)
    assert words in capsys.readouterr().err
