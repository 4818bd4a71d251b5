"""The checker: each kind of mistake gets its code, at the right line, with a hint where one fits."""

from __future__ import annotations

import pytest
from conftest import BASE

import gridpolicy
from gridpolicy import PolicyError


def diagnostics(text: str) -> list[gridpolicy.Diagnostic]:
    try:
        policy = gridpolicy.loads(text)
    except PolicyError as exc:
        return exc.diagnostics
    return list(policy.warnings)


def line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


# (replace this, with that, expected code, needle on the reported line, hint contains)
MISTAKES = [
    ("limit 1 hour", "limt 1 hour", "GP020", "limt 1 hour", "limit"),
    ("when urgency == emergency", "when urgncy == emergency", "GP031", "urgncy", "urgency"),
    ("when urgency == emergency", "when urgency == emergancy", "GP031", "emergancy", "emergency"),
    ("handlers leader\n", "handlers leadr\n", "GP031", "handlers leadr", "leader"),
    ("department owner\n", "department ownr\n", "GP031", "department ownr", "owner"),
    ("when urgency == emergency", "when urgency == 3", "GP040", "urgency == 3", ""),
    ("when has(owner)", "when people", "GP040", "when people", ""),
    ("when scope > grid", "when needs > grid", "GP040", "needs > grid", ""),
    ('matter M03 "文明创建"', 'matter M01 "文明创建"', "GP030", 'matter M01 "文明创建"', ""),
    ('tier city "市直部门" { level 5 }', 'tier city "市直部门" { level 5 }\ntier city "市" { level 6 }',
     "GP030", 'tier city "市"', ""),
    ("matter M03; date 2025-06-30", "matter M09; date 2025-06-30", "GP051", "matter M09", ""),
    ("matter M03; date 2025-06-30", "matter M03; date 2024-01-30", "GP052", "date 2024-01-30", ""),
    ("escalate 2 hours -> district", "escalate 2 hours -> community", "GP053", "-> community", ""),
    ("escalate 1 workday -> community, 3 workdays -> street", "escalate 1 workday -> street, 3 workdays -> street",
     "GP053", "-> street, 3", ""),
    ("band 90 -> five \"五星\", 80 -> four", "band 80 -> five \"五星\", 90 -> four", "GP054", "band 80", ""),
    ("weighted(contact: 0.4, tasks: 0.6)", "weighted(contact: 0.4, tasks: 0.5)", "GP055", "weighted", ""),
    ("expires 2025-09-01", "expires 2024-08-01", "GP056", "expires 2024-08-01", ""),
    ("limit 1 hour", "limit 1 hour\n  limit 2 hours", "GP022", "limit 2 hours", ""),
    ("when has(owner)", "when has(owner) and contains(people)", "GP023", "contains(people)", ""),
    ("tier above(handled_tier)", "tier abov(handled_tier)", "GP032", "abov(", "above"),
    ('matter M04 "独立生效事项" { effective 2025-01-15; handlers worker }',
     'matter M04 "独立生效事项" { effective 2025-01-15; handlers worker; traits { needs [pro] } }',
     "GP050", 'matter M04', ""),
    ("route local \"网格内办理\" {\n  tier grid\n", "route local \"网格内办理\" {\n  when verified\n  tier grid\n",
     "GP058", "route local", ""),
    ('default normal }', 'default nromal }', "GP031", "default nromal", "normal"),
    ("type enum; values normal", "type enm; values normal", "GP031", "type enm", "enum"),
]


@pytest.mark.parametrize(("old", "new", "code", "needle", "hint"), MISTAKES)
def test_mistakes_are_diagnosed(old: str, new: str, code: str, needle: str, hint: str) -> None:
    assert old in BASE, old
    text = BASE.replace(old, new, 1)
    found = [d for d in diagnostics(text) if d.code == code]
    assert found, f"no {code}; got {[d.render() for d in diagnostics(text)]}"
    d = found[0]
    assert d.span.line == line_of(text, needle), d.render()
    assert d.message_zh and d.message_en
    if hint:
        assert hint in d.hint_en, d.render()


def test_all_errors_are_reported_at_once() -> None:
    text = BASE.replace("limit 1 hour", "limt 1 hour").replace("handlers leader\n", "handlers leadr\n")
    with pytest.raises(PolicyError) as info:
        gridpolicy.loads(text)
    assert {d.code for d in info.value.errors} >= {"GP020", "GP031"}
    assert "GP020" in str(info.value)


def test_missing_header() -> None:
    codes = [d.code for d in diagnostics('tier g "网格"\nroute r { tier g }')]
    assert "GP057" in codes


def test_grade_that_leaves_scores_without_grade_is_a_warning() -> None:
    text = BASE.replace('0 -> unrated "未评星"', '60 -> pass "合格"')
    policy = gridpolicy.loads(text)
    assert [d.code for d in policy.warnings] == ["GP054"]


def test_warning_can_be_silenced_on_its_line() -> None:
    text = BASE.replace('0 -> unrated "未评星"', '60 -> pass "合格"').replace(
        "  grade stars\n", "  grade stars  # gridpolicy: ignore GP054\n")
    assert gridpolicy.loads(text).warnings == ()


def test_the_model_is_complete(policy: gridpolicy.Policy) -> None:
    assert [t.id for t in policy.tiers] == ["grid", "community", "street", "district", "city"]
    assert [lst.id for lst in policy.lists] == ["grid_items", "duties"]
    m = policy.find_matter("调解")
    assert m is not None and m.code == "M01" and m.effective.isoformat() == "2024-03-01"
    assert [r.id for r in policy.routes] == ["emergency", "reopen", "dept", "wide", "notify", "local"]
    assert policy.routes[0].text == "urgency == emergency"
    assert policy.exits[0].matter == "M03"
    assert policy.grades[0].band_for(85).id == "four"
    assert policy.roles[1].assigned_by == "zfw"
    assert [f.id for f in policy.fields][:3] == ["urgency", "scope", "needs"]


def test_repeatable_properties_add_up() -> None:
    text = BASE.replace('band 90 -> five "五星", 80 -> four "四星", 0 -> unrated "未评星"',
                        'band 90 -> five "五星"\n  band 80 -> four "四星"\n  band 0 -> unrated "未评星"')
    policy = gridpolicy.loads(text)
    assert [b.id for b in policy.grades[0].bands] == ["five", "four", "unrated"]


@pytest.mark.parametrize(("old", "new", "line_needle"), [
    ('matter M02 "流动人口信息收集" {', 'matter M02 "流动人口信息收集" { aliases "调解";', 'matter M02'),  # alias vs alias
    ('matter M02 "流动人口信息收集" {', 'matter M02 "矛盾纠纷调解" {', 'matter M02'),  # name vs name
])
def test_a_key_naming_two_matters_is_reported_once(old: str, new: str, line_needle: str) -> None:
    text = BASE.replace(old, new)
    found = [d for d in diagnostics(text) if d.code == "GP030"]
    assert len(found) == 1, [d.message_en for d in found]
    assert found[0].span.line == line_of(text, line_needle) and "M01" in found[0].message_en
