"""Departments chosen by locality (issue 14 item 6, "the street's 派出所"): a sub-unit's `area`
names registry units; work for its parent about an item there goes to it, and an item whose
locality is unknown keeps the parent, with a reason (never silent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.diagnostics import PolicyError
from gridpolicy.formatter import format_text
from gridpolicy.locality import Areas, Locator

DEMO = Path(__file__).resolve().parent.parent / "examples" / "what-and-who"
AT = "2026-03-02T09:00:00+08:00"
YUDONG = ("341002001001001", "341002001001002", "341002001002001")
YUZHONG = "341002002001001"


@pytest.fixture(scope="module")
def demo() -> gridpolicy.Policy:
    return gridpolicy.load(DEMO, cache=False)


def noise(**fields: object) -> dict:
    return {"id": "n", "kind": "issue", "matter": "噪声扰民", "reported_at": AT, **fields}


# (item fields, department, tier, reason id after the class's)
DECISIONS = [
    ({"grid": YUDONG[0]}, "pcs_yudong", "street", "pcs_yudong"),
    ({"grid": YUDONG[2]}, "pcs_yudong", "street", "pcs_yudong"),  # another community, same street
    ({"grid": YUZHONG}, "pcs_yuzhong", "street", "pcs_yuzhong"),  # area written as the street code
    ({"grids": [YUDONG[0], YUDONG[1]]}, "pcs_yudong", "street", "pcs_yudong"),  # one community's two grids
    ({}, "gongan", "district", "gongan"),  # no grid: the parent, with a reason
    ({"grid": "341002001001099"}, "gongan", "district", "gongan"),  # unknown grid: the parent
]


@pytest.mark.parametrize(("fields", "dept", "tier", "reason"), DECISIONS)
def test_the_department_follows_the_items_street(demo: gridpolicy.Policy, fields: dict, dept: str, tier: str,
                                                 reason: str) -> None:
    d = demo.route(noise(**fields))
    assert (d.handlers.department.code, d.tier.code) == (dept, tier)
    assert d.handlers.lead.code == dept and d.handlers.lead.kind == "department"
    found = [r for r in d.reasons if r.kind == "department"]
    assert [r.id for r in found] == [reason]
    assert "00_policy.gp:" in found[0].source
    if dept == "gongan":
        assert "无法按属地确定" in found[0].text_zh and "no sub-unit" in found[0].text_en
    assert demo.match(noise(**fields)) == ("police", tier)
    assert d.model_dump(mode="json") == __import__("json").loads(demo.route_json(noise(**fields)))


def test_a_street_no_sub_unit_serves_keeps_the_parent_with_a_reason(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    policy_file = root / "00_policy.gp"
    policy_file.write_text(policy_file.read_text(encoding="utf-8").replace('  area "002"\n', ""), encoding="utf-8")
    shutil.rmtree(root / "tests")
    p = gridpolicy.load(root, cache=False)
    d = p.route(noise(grid=YUZHONG))
    assert d.handlers.department.code == "gongan"
    reason = next(r for r in d.reasons if r.kind == "department")
    assert "没有写明由哪个下属单位承办" in reason.text_zh and "002" in reason.text_zh


# (department text replacing the demo's pcs_yuzhong, code, text in the Chinese message)
CHECKS = [
    ('department pcs_yuzhong "昱中派出所" { tier street; parent gongan; area "昱中街" }', "GP082", "是否想写“昱中街道”"),
    ('department pcs_yuzhong "昱中派出所" { tier street; parent gongan; area "昱东街道" }', "GP082", "已由 pcs_yudong 承办"),
    ('department pcs_yuzhong "昱中派出所" { tier street; area "002" }', "GP082", "还须用 parent 写明上级部门"),
    ('department pcs_yuzhong "昱中派出所" { tier district; parent gongan; area "002" }', "GP082", "不对应台账"),
]


@pytest.mark.parametrize(("text", "code", "zh"), CHECKS)
def test_the_checker_locates_a_bad_area(tmp_path: Path, text: str, code: str, zh: str) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    f = root / "00_policy.gp"
    src = f.read_text(encoding="utf-8")
    start = src.index("department pcs_yuzhong")
    end = src.index("}\n", start) + 2
    f.write_text(src[:start] + text + "\n" + src[end:], encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        gridpolicy.load(root, cache=False)
    found = [d for d in exc.value.diagnostics if d.code == code]
    assert found and zh in found[0].message_zh, [d.render() for d in exc.value.diagnostics]
    assert found[0].span.file.endswith("00_policy.gp") and found[0].span.line == src[:start].count("\n") + 1


def test_an_area_needs_the_registry() -> None:
    text = "".join((DEMO / f).read_text(encoding="utf-8") for f in ("00_policy.gp", "10_catalogue.gp", "20_routing.gp"))
    p = gridpolicy.loads(text)  # a warning: without a registry the parent handles the work
    assert any(d.code == "GP082" and "网格台账" in d.message_zh and d.severity == "warning" for d in p.warnings)
    d = p.route(noise(grid=YUZHONG))
    assert d.handlers.department.code == "gongan" and any(r.kind == "department" for r in d.reasons)


def test_area_round_trips_between_chinese_and_english() -> None:
    src = (DEMO / "00_policy.gp").read_text(encoding="utf-8")
    zh = format_text(src, lang="zh")
    assert '辖区 "昱东街道"' in zh and '上级部门 公安分局' in zh
    assert format_text(zh, lang="en") == format_text(src, lang="en")


def test_site_and_diff_show_the_area(demo: gridpolicy.Policy, tmp_path: Path) -> None:
    import datetime as dt

    from gridpolicy.diff import diff
    from gridpolicy.site import generate

    page = generate(demo, dt.date(2026, 3, 1))["organisation.md"]
    row = next(ln for ln in page.splitlines() if "`pcs_yudong`" in ln)
    assert "辖区 Area 昱东街道" in row
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    f = root / "00_policy.gp"
    f.write_text(f.read_text(encoding="utf-8").replace('area "002"', 'area "昱中街道"'), encoding="utf-8")
    changes = [(c.section, c.id, c.field) for c in diff(demo, gridpolicy.load(root, cache=False)).changes]
    assert changes == [("department", "pcs_yuzhong", "area")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*YUDONG, YUZHONG, "341002001001099", "110101001001001"]), max_size=4))
def test_choose_agrees_with_the_registry(codes: list[str]) -> None:
    demo = gridpolicy.load(DEMO)
    m = demo.model
    areas = Areas(m.departments, {t.id: t.locality for t in m.tiers}, Locator(m.grids))
    child, why, key = areas.choose("gongan", codes)
    streets = {p.street_code for p in m.grids if p.code in codes}
    if len(streets) == 1:
        expected = {"001": "pcs_yudong", "002": "pcs_yuzhong"}[next(iter(streets))]
        assert (child, why, key) == (expected, "", next(iter(streets)))
    else:
        assert child is None
        assert why == ("several" if streets else "unknown_grid" if codes else "no_grid")
