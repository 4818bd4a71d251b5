"""Rule-test coverage (gridpolicy.coverage and `gridpolicy test --coverage`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.coverage import compute, targets
from gridpolicy.ruletest import run_case

POLICY = """
policy p "测试" { version "1" effective 2024-01-01 routing first }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
role worker "网格员" { category staff }
field urgency "紧急程度" { type enum values normal "一般", emergency "特急" default normal }
field needs "所需能力" { type set values law "执法" }
criterion law "执法" { when law in needs }
list admission "准入清单" {
  admission true
  matter M01 "调解" { handlers worker effective 2024-03-01 }
  matter M02 "收集" { handlers worker effective 2024-03-01 }
}
exit X1 "退出" { matter M02 date 2025-01-01 approved_by "委" ref "1" reason "r" }
grade g "等级" { band 90 -> good "优", 0 -> poor "差" }
grade spare "未用等级" { band 50 -> pass "合格" }
formula f "考核" {
  input a "甲" { range 0 .. 100 }
  value a
  grade g
}
route urgent "特急" { when urgency == emergency tier street handlers worker }
route z "兜底" { tier grid handlers matter }
"""

AT = "2026-03-02T10:00:00+08:00"
ITEM_M01 = {"item": {"id": "1", "kind": "issue", "matter": "M01", "reported_at": AT}, "expect": {"tier": "grid"}}
ITEM_EXITED = {"item": {"id": "2", "kind": "task", "matter": "M02", "reported_at": AT},
               "expect": {"outcome": "refuse"}}
ITEM_URGENT = {"item": {"id": "3", "kind": "issue", "urgency": "emergency", "reported_at": AT},
               "expect": {"tier": "street"}}
ADMIT_LAW = {"admit": {"name": "执法", "needs": ["law"]}, "expect": {"admitted": False}}
EVAL_GOOD = {"evaluate": "f", "data": {"a": 95}, "expect": {"grade": "good"}}
EVAL_POOR = {"evaluate": "f", "data": {"a": 5}, "expect": {"grade": "poor"}}


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.loads(POLICY)


def test_targets(policy: gridpolicy.Policy) -> None:
    ids = [(t.kind, t.id) for t in targets(policy)]
    assert ids == [("route", "urgent"), ("route", "z"), ("criterion", "law"), ("matter", "M01"),
                   ("matter", "M02"), ("exit", "X1"), ("band", "g.good"), ("band", "g.poor")]


@pytest.mark.parametrize(("cases", "covered", "missed"), [
    ([], 0, 8),
    ([ITEM_M01], 2, 6),  # route z, matter M01
    ([ITEM_EXITED], 2, 6),  # exit X1 and so matter M02; refused tasks reach no route
    ([ITEM_URGENT], 1, 7),
    ([ADMIT_LAW], 1, 7),
    ([EVAL_GOOD, EVAL_POOR], 2, 6),
    ([ITEM_M01, ITEM_EXITED, ITEM_URGENT, ADMIT_LAW, EVAL_GOOD, EVAL_POOR], 8, 0),
])
def test_compute(policy: gridpolicy.Policy, cases: list[dict], covered: int, missed: int) -> None:
    results = [run_case(policy, dict(c), "t.yaml", n) for n, c in enumerate(cases, 1)]
    assert all(r.ok for r in results), [r.problems for r in results]
    cov = compute(policy, results)
    assert cov.total == (covered, covered + missed)
    assert len(cov.missed()) == missed
    assert cov.percent == pytest.approx(100.0 * covered / 8)


def test_summary_and_report(policy: gridpolicy.Policy) -> None:
    cov = compute(policy, [run_case(policy, dict(ITEM_M01), "t.yaml", 1)])
    assert cov.summary() == ("覆盖率 coverage: 分流规则 routes 1/2 (50.0%); 排除标准 criteria 0/1 (0.0%); "
                             "事项 matters 1/2 (50.0%); 退出 exits 0/1 (0.0%); 等级档次 grade bands 0/2 (0.0%); "
                             "总计 total 2/8 (25.0%)")
    report = cov.report()
    assert "untested routes:" in report and "urgent" in report and "  <text>:" in report
    assert cov.to_dict()["untested"][0] == {"kind": "route", "id": "urgent", "name": "特急",
                                            "file": "<text>", "line": _line("route urgent")}


def _line(needle: str) -> int:
    return next(n for n, ln in enumerate(POLICY.splitlines(), 1) if ln.startswith(needle))


def _write(tmp: Path, cases: list[dict]) -> Path:
    (tmp / "p.gp").write_text(POLICY, encoding="utf-8")
    (tmp / "tests").mkdir()
    (tmp / "tests" / "t.yaml").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return tmp


@pytest.mark.parametrize(("extra", "rc", "needle"), [
    (["--coverage"], 0, "总计 total 5/8 (62.5%)"),
    (["--min-coverage", "62.5"], 0, "total 5/8"),
    (["--min-coverage", "63"], 1, "below the required 63%"),
    (["--coverage", "--format", "json"], 0, '"percent": 62.5'),
])
def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], rc: int, needle: str) -> None:
    folder = _write(tmp_path, [ITEM_M01, ITEM_EXITED, EVAL_GOOD])
    assert main(["test", str(folder), *extra]) == rc
    assert needle in capsys.readouterr().out


def test_cli_without_coverage_prints_no_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(_write(tmp_path, [ITEM_M01]))]) == 0
    assert "coverage" not in capsys.readouterr().out
