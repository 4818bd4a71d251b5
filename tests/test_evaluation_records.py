"""Evaluation over typed records: each record value checked by its field's type, declared
ranges of inputs and results enforced, non-finite numbers refused (issue 16's defects)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy import ItemError, PolicyError

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="module")
def policy() -> gridpolicy.Policy:
    return gridpolicy.load(RULES)


def _load(tmp_path: Path, text: str) -> gridpolicy.Policy:
    text += '\nroute all "全部" { tier grid }\n'
    (tmp_path / "policy.gp").write_text(text, encoding="utf-8")
    return gridpolicy.load(tmp_path / "policy.gp", cache=False)


def _errors(policy: gridpolicy.Policy, formula: str, data: dict) -> list[tuple[str, str, str]]:
    with pytest.raises(ItemError) as info:
        policy.evaluate(formula, data)
    return [(e.path, e.message_zh, e.message_en) for e in info.value.errors]


def test_chinese_labels_in_records_count_as_their_codes(policy: gridpolicy.Policy) -> None:
    visits = [{"result": "满意"}, {"result": "满意"}, {"result": "satisfied"}]
    ev = policy.evaluate("satisfaction", {"visits": visits})
    assert ev.value == 100.0 and ev.grade is not None and ev.grade.code == "high"
    mixed = [{"result": "基本满意"}, {"result": "不满意"}, {"result": "dissatisfied"}, {"result": "satisfied"}]
    assert policy.evaluate("satisfaction", {"visits": mixed}).value == 50.0


@pytest.mark.parametrize(("formula", "data", "path", "zh", "en"), [
    ("satisfaction", {"visits": [{"result": "满意"}, {"result": "很满意"}]}, "visits[1].result", "很满意",
     "is not one of"),
    ("staff_by_departments", {"ratings": [{"department": "a", "score": 950}]}, "ratings[0].score",
     "超出范围 0 .. 100", "outside the range"),
    ("staff_by_departments", {"ratings": [{"department": "a", "score": 80}, {"department": "b", "score": "90"}]},
     "ratings[1].score", "第 2 条记录", "record 1 field 'score'"),
    ("staff_by_departments", {"ratings": [{"department": "a", "score": 1e308}, {"department": "b", "score": 1e308}]},
     "ratings[0].score", "有限的数字", "finite number"),
    ("staff_by_departments", {"ratings": [{"department": "a", "score": math.nan}]}, "ratings[0].score",
     "有限的数字", "finite number"),
    ("staff_annual", {"by_departments": math.inf, "by_grid": 90, "satisfaction": 90}, "by_departments",
     "有限的数字", "finite number"),
])
def test_bad_record_values_are_errors_naming_record_field_and_value(
        policy: gridpolicy.Policy, formula: str, data: dict, path: str, zh: str, en: str) -> None:
    errors = _errors(policy, formula, data)
    assert any(p == path and zh in z and en in e for p, z, e in errors), errors


def test_a_result_outside_its_declared_range_is_an_error_not_a_grade(tmp_path: Path) -> None:
    text = (RULES / "00_policy.gp").read_text(encoding="utf-8") + """
grade g "等级" { band 90 -> a "优", 0 -> b "差" }
formula total "总分" {
  input parts "分项" { type records  fields score -> 0 .. 100 }
  value sum(parts, score)
  range 0 .. 100
  grade g
}
"""
    policy = _load(tmp_path, text)
    assert policy.evaluate("total", {"parts": [{"score": 40}, {"score": 50}]}).value == 90
    errors = _errors(policy, "total", {"parts": [{"score": 60}, {"score": 50}]})
    assert errors[0][1].startswith("结果 110 超出公式 total 声明的范围 0 .. 100")


def test_dates_in_records_compare(tmp_path: Path) -> None:
    text = (RULES / "00_policy.gp").read_text(encoding="utf-8") + """
formula late "超期件数" {
  input cases "办结记录" { type records  fields due -> date, done -> date }
  value count(cases, done > due)
}
"""
    policy = _load(tmp_path, text)
    cases = [{"due": "2026-03-02", "done": "2026-03-05"}, {"due": "2026-03-02", "done": "2026-03-01"}]
    assert policy.evaluate("late", {"cases": cases}).value == 1
    assert _errors(policy, "late", {"cases": [{"due": "2026/3/2", "done": "2026-03-01"}]})[0][0] == "cases[0].due"


def test_an_unknown_record_field_type_is_a_located_error_with_a_hint(tmp_path: Path) -> None:
    text = (RULES / "00_policy.gp").read_text(encoding="utf-8") + """
formula f "f" {
  input rs "记录" { type records  fields score -> nubmer }
  value avg(rs, score)
}
"""
    with pytest.raises(PolicyError) as info:
        _load(tmp_path, text)
    d = info.value.errors[0]
    assert "nubmer" in d.message_zh and "number" in d.render()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["满意", "基本满意", "不满意", "satisfied", "basically_satisfied", "dissatisfied"]),
                min_size=1, max_size=30), st.randoms())
def test_permuting_records_never_changes_the_result(results: list[str], rnd: random.Random) -> None:
    policy = gridpolicy.load(RULES)
    visits = [{"result": r} for r in results]
    shuffled = visits[:]
    rnd.shuffle(shuffled)
    a, b = (policy.evaluate("satisfaction", {"visits": v}) for v in (visits, shuffled))
    assert (a.value, a.grade) == (b.value, b.grade)
