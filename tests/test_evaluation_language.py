"""Aggregation in the language (issue 16): `where`, `if`, `points`, parameters with a default,
formulas using other formulas (cycles refused), `by` and `time`, grades that confer awards;
checker diagnostics located, bilingual, with a "did you mean"; zh/en formatting round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

import gridpolicy
from gridpolicy import ItemError, PolicyError
from gridpolicy.formatter import format_text

HEAD = '''policy demo "示例" { version "1" }
tier grid "网格" { level 1 }
route all "全部" { tier grid }
field followup "回访结果" {
  type enum
  values satisfied "满意", basically_satisfied "基本满意", dissatisfied "不满意"
}
'''

SATISFACTION = HEAD + '''grade sat_grade "满意度等级" {
  band 90 -> high "高", 0 -> low "低"
  award high
}
formula satisfaction "满意率" {
  input visits "回访记录" {
    type records
    fields grid, at -> date, result -> followup, reasonable -> bool
    time at
  }
  input basic_weight "基本满意权重" { range 0 .. 1; default 0.8 }
  value 100 * (count(visits, result == satisfied) + basic_weight * count(visits, result == basically_satisfied))
    / count(where(visits, not (result == dissatisfied and reasonable == false)))
  round 1
  range 0 .. 100
  by grid
  grade sat_grade
}
formula combined "综合" {
  input bonus "加分" { range 0 .. 20 }
  value min(weighted(satisfaction: 0.9, bonus: 0.1) + points(bonus, 5, 10, 1), 100)
  range 0 .. 100
}
formula urgent "紧急件得分" {
  input cases "案件" { type records; fields urgent -> bool, closed -> bool, special -> bool }
  value if(count(where(cases, urgent)) == 0, 10, points(100 * rate(where(cases, urgent), closed), 100, 10, 0.5))
  range 0 .. 10
}
formula deductions "扣分（领导交办加倍）" {
  input cases "案件" { type records; fields urgent -> bool, closed -> bool, special -> bool }
  value max(0, 5 - sum(cases, if(special, 2, 1) * if(closed, 0, 0.5)))
  range 0 .. 5
}
'''


def load(text: str) -> gridpolicy.Policy:
    return gridpolicy.loads(text)


def diagnostics(text: str) -> list[tuple[str, int, str, str]]:
    with pytest.raises(PolicyError) as info:
        gridpolicy.loads(text)
    return [(d.code, d.span.line, d.message_zh, d.render()) for d in info.value.diagnostics]


VISITS = [{"result": "满意", "reasonable": True, "grid": "G1", "at": "2026-01-03"},
          {"result": "基本满意", "reasonable": True, "grid": "G1", "at": "2026-01-04"},
          {"result": "不满意", "reasonable": False, "grid": "G1", "at": "2026-02-01"},  # unreasonable: excluded
          {"result": "不满意", "reasonable": True, "grid": "G1", "at": "2026-02-02"}]


def test_basically_satisfied_weighted_by_a_parameter_and_unreasonable_dissatisfaction_excluded() -> None:
    p = load(SATISFACTION)
    assert p.evaluate("satisfaction", {"visits": VISITS}).value == 60.0  # (1 + 0.8) / 3
    assert p.evaluate("satisfaction", {"visits": VISITS, "basic_weight": 1}).value == 66.7  # (1 + 1) / 3
    assert p.evaluate("satisfaction", {"visits": VISITS, "basic_weight": 0}).value == 33.3


def test_a_formula_uses_another_formulas_value_over_the_same_data() -> None:
    p = load(SATISFACTION)
    ev = p.evaluate("combined", {"visits": VISITS, "bonus": 4})
    assert ev.value == pytest.approx(0.9 * 60 + 0.4 + 9)  # points(4, 5, 10, 1) = 9
    assert p.model.formulas[1].uses == ("satisfaction",)
    with pytest.raises(ItemError) as info:  # the used formula's inputs are checked as its own
        p.evaluate("combined", {"visits": [{"result": "很满意"}], "bonus": 4})
    assert info.value.errors[0].path == "visits[0].result"
    with pytest.raises(ItemError) as info:  # not enough data in the used formula is named
        p.evaluate("combined", {"visits": [], "bonus": 4})
    assert "satisfaction" in info.value.errors[0].message_zh


@pytest.mark.parametrize(("cases", "urgent", "deductions"), [
    ([], 10, 5),  # no urgent cases: full marks
    ([{"urgent": True, "closed": True, "special": False}], 10, 5),
    ([{"urgent": True, "closed": False, "special": False}, {"urgent": True, "closed": True, "special": False}],
     0, 4.5),  # 50 % closed: 50 points short, 0.5 each, floored at 0
    ([{"urgent": False, "closed": False, "special": True}] * 3, 10, 2),  # doubled: 3 × 2 × 0.5 = 3
    ([{"urgent": False, "closed": False, "special": True}] * 9, 10, 0),  # capped at zero
])
def test_jinhua_style_points_deductions_and_doubling(cases: list[dict], urgent: float, deductions: float) -> None:
    p = load(SATISFACTION)
    assert p.evaluate("urgent", {"cases": cases}).value == urgent
    assert p.evaluate("deductions", {"cases": cases}).value == deductions


def test_the_model_carries_by_time_default_and_award() -> None:
    p = load(SATISFACTION)
    f = p.model.formulas[0]
    assert (f.by, f.inputs[0].time, f.inputs[1].default) == ("grid", "at", 0.8)
    assert p.model.grades[0].award == ("high",)


BAD = [
    # a cycle, located at the reference that closes it
    ("formula a \"A\" { value b + 1 }\nformula b \"B\" { value a * 2 }", "GP060", "a → b → a", 9),
    ("formula a \"A\" { input x \"X\" { range 0 .. 1 }\n value weighted(a: 0.5, x: 0.5) }", "GP060", "自身", 9),
    # grouping by a field the records lack, with a did-you-mean
    ("formula a \"A\" { input r \"R\" { type records; fields grid, score -> 0 .. 100 }\n value avg(r, score)\n by gird }",
     "GP061", "gird", 10),
    ("formula a \"A\" { input x \"X\" { range 0 .. 1 }\n value x\n by grid }", "GP061", "需要记录输入", 10),
    # time must name a date field
    ("formula a \"A\" { input r \"R\" { type records; fields day, score; time day }\n value avg(r, score) }",
     "GP061", "date 或 datetime", 8),
    ("formula a \"A\" { input r \"R\" { type records; fields day -> date; time dya }\n value count(r) }",
     "GP061", "dya", 8),
    # a default outside the range; a default on records
    ("formula a \"A\" { input w \"W\" { range 0 .. 1; default 2 }\n value w }", "GP023", "超出范围", 8),
    # an enum value misspelt inside a record condition
    ("formula a \"A\" { input r \"R\" { type records; fields result -> followup }\n value rate(r, result == satisfyed) }",
     "GP031", "satisfyed", 9),
    # where needs records; where inside a record
    ("formula a \"A\" { input x \"X\" { range 0 .. 1 }\n value count(where(x, x > 0)) }", "GP040", "记录集", 9),
    # an award naming no band
    ("grade g \"G\" { band 90 -> top \"优\", 0 -> rest \"其他\"\n award tpo }", "GP031", "tpo", 9),
    # unknown function, did you mean
    ("formula a \"A\" { input x \"X\" { range 0 .. 1 }\n value pionts(x, 1, 1, 1) }", "GP032", "pionts", 9),
    ("formula a \"A\" { input x \"X\" { range 0 .. 1 }\n value points(x, 1) }", "GP023", "4 个参数", 9),
]


@pytest.mark.parametrize(("text", "code", "zh", "line"), BAD)
def test_checker_diagnostics_are_located_and_bilingual(text: str, code: str, zh: str, line: int) -> None:
    found = diagnostics(HEAD + text)
    assert any(c == code and zh in m and ln == line for c, ln, m, _ in found), found
    rendered = next(r for c, _, m, r in found if c == code)
    assert "error" in rendered and "^" in rendered


def test_did_you_mean_for_a_misspelt_grouping_field() -> None:
    text = HEAD + "formula a \"A\" { input r \"R\" { type records; fields grid, score -> 0 .. 100 }\n value avg(r, score)\n by gird }"
    rendered = [r for c, _, _, r in diagnostics(text) if c == "GP061"]
    assert rendered and "grid" in rendered[0] and "did you mean" in rendered[0]


def test_zh_and_en_keywords_round_trip_through_the_formatter() -> None:
    zh = format_text(SATISFACTION, lang="zh")
    for word in ("分组 grid", "时间字段 at", "默认 0.8", "评选 high", "筛选(visits", "达标得分(bonus", "如果("):
        assert word in zh, word
    en = format_text(zh, lang="en")
    assert format_text(SATISFACTION, lang="en") == en
    assert load(zh).model.digest != ""  # the Chinese text loads to the same formulas
    assert [f.uses for f in load(zh).model.formulas] == [f.uses for f in load(SATISFACTION).model.formulas]
    assert load(zh).evaluate("satisfaction", {"visits": VISITS}).value == 60.0


def test_shipped_rules_check_clean() -> None:
    rules = Path(__file__).resolve().parent.parent / "rules"
    assert gridpolicy.load(rules).model.formulas
