"""Deciding with the what-and-who constructs: matter resolution against lists and the catalogue,
class traits, scope from grids, the lead, the assisting departments and the unit, unknown
grids; and the routing index over `matter.class`, `matter.major`, `matter.owner`,
`matter.type` and `matter in [...]` agreeing with a plain scan."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.contract import ItemError
from gridpolicy.engine.index import build_index, constraint, scan_index
from gridpolicy.ruletest import discover, run_file

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "what-and-who"
AT = "2026-03-02T09:00:00+08:00"


@pytest.fixture(scope="module")
def demo() -> gridpolicy.Policy:
    return gridpolicy.load(DEMO, cache=False)


def test_demo_rule_tests_pass(demo: gridpolicy.Policy) -> None:
    results = [r for f in discover(DEMO) for r in run_file(demo, f)]
    assert len(results) >= 19
    failed = [f"{r.location} {r.name}: {r.problems}" for r in results if not r.ok]
    assert not failed, failed


def test_demo_checks_clean() -> None:
    from gridpolicy.analysis import analyze

    policy = gridpolicy.load(DEMO, cache=False)
    assert not policy.warnings
    assert analyze(policy) == []


def item(**fields: object) -> dict:
    return {"id": "t", "kind": "issue", "reported_at": AT, **fields}


# (query, resolved, code, status, major)
RESOLUTION = [
    ("垃圾堆放", "class", "A0102", "classified", "A01"),  # alias
    ("0102", "class", "A0102", "classified", "A01"),  # standard code
    ("A0102", "class", "A0102", "classified", "A01"),  # id
    ("暴露垃圾", "class", "A0102", "classified", "A01"),  # name
    ("B0101", "class", "B0101", "classified", "B01"),
    ("纠纷调解", "list", "M01", "in_force", None),
    ("M01", "list", "M01", "in_force", None),
    ("路灯不亮", None, None, "unlisted", None),
]


@pytest.mark.parametrize(("query", "resolved", "code", "status", "major"), RESOLUTION)
def test_matter_resolution(demo: gridpolicy.Policy, query: str, resolved: str | None, code: str | None,
                           status: str, major: str | None) -> None:
    m = demo.route(item(matter=query, grid="341002001001001")).matter
    assert (m.resolved, m.code, m.status, m.major.code if m.major else None) == (resolved, code, status, major)
    assert (m.classification is not None) == (resolved == "class")


def test_unknown_category_is_decided_with_suggestions(demo: gridpolicy.Policy) -> None:
    d = demo.route(item(matter="道路脏乱"))
    assert d.outcome == "handle" and d.reasons[-1].id == "fallback"
    assert d.matter.suggestions[0] == "道路不洁"
    assert "道路不洁" in d.reasons[0].text_zh and "did you mean" in d.reasons[0].text_en


def test_unknown_grid_as_an_input_error() -> None:
    text = (DEMO / "00_policy.gp").read_text(encoding="utf-8").replace("unknown_grid reason", "unknown_grid error")
    folder = DEMO
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "rules"
        shutil.copytree(folder, dest)
        (dest / "00_policy.gp").write_text(text, encoding="utf-8")
        policy = gridpolicy.load(dest, cache=False)
        with pytest.raises(ItemError) as info:
            policy.route(item(grids=["341002001001001", "341002001001099"]))
        (err,) = info.value.errors
        assert err.path == "grids[1]" and "341002001001099" in err.message_zh and "did you mean" in err.message_en
        assert policy.route(item(grid="341002001001001")).handlers.unit.code == "341002001001001"


@pytest.mark.parametrize("bad", [["341002001001001", 7], "341002001001001", ["x" * 201], [""], ["a"] * 101])
def test_bad_grids_are_input_errors(demo: gridpolicy.Policy, bad: object) -> None:
    with pytest.raises(ItemError) as info:
        demo.route(item(grids=bad))
    assert [e.path for e in info.value.errors] == ["grids"]


def test_unknown_grid_is_a_reason_by_default(demo: gridpolicy.Policy) -> None:
    d = demo.route(item(grid="341002001001011"))
    assert d.reasons[0].kind == "grid" and d.reasons[0].id == "341002001001011"
    assert "did you mean 3410020010010" in d.reasons[0].text_en
    assert d.handlers.lead.kind == "tier" and d.handlers.unit is None


def test_item_model_and_dict_decide_alike(demo: gridpolicy.Policy) -> None:
    fields = dict(matter="违章搭建", grids=["341002001001001", "341002001002001"], source="hotline")
    a = demo.route(item(**fields))
    b = demo.route(gridpolicy.Item(id="t", kind="issue", reported_at=AT, **fields))
    assert a == b and a.handlers.lead.kind == "unit"


def test_match_agrees_with_route(demo: gridpolicy.Policy) -> None:
    for fields in (dict(matter="燃气泄漏", grid="341002001001001"), dict(matter="河道漂浮物",
                   grids=["341002001001001", "341002002001001"]), dict(matter="违章搭建"), dict(matter="暴露垃圾",
                   grids=["341002001001001", "341004001001001"])):
        d = demo.route(item(**fields))
        assert demo.match(item(**fields)) == (d.reasons[-1].id, d.tier.code), fields


def test_route_json_is_the_decision_json(demo: gridpolicy.Policy) -> None:
    for fields in (dict(matter="燃气泄漏", grid="341002001001001"), dict(responsible_department="市场监管局"),
                   dict(matter="x", grid="341002001001009")):
        assert demo.route_json(item(**fields)) == demo.route(item(**fields)).model_dump_json().encode()


def test_pickled_policy_decides_alike(demo: gridpolicy.Policy) -> None:
    other = pickle.loads(pickle.dumps(demo))
    it = item(matter="水管爆裂", grid="341002001001001")
    assert other.route(it) == demo.route(it)


def test_decisions_share_no_assisting_list(demo: gridpolicy.Policy) -> None:
    a = demo.route(item(matter="违章搭建", grid="341002001001001"))
    a.handlers.assisting.clear()
    b = demo.route(item(matter="违章搭建", grid="341002001001001"))
    assert [x.code for x in b.handlers.assisting] == ["chengguan", "zhujian"]


# ---- the routing index over the matter's attributes ------------------------------------------

HEAD = """policy p "测试" { version "1" }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
department d1 "区局" { tier street; short "局一" }
department d2 "另一局" { tier street }
field urgent "紧急" { type bool }
list L "清单" { admission true; matter M1 "事项一" { effective 2026-01-01 }; matter M2 "事项二" { effective 2027-01-01 } }
classification ev "事件" {
  type event
  major A "甲大类" { class a1 "甲一" { owner d1 }; class a2 "甲二" { owner d2 } }
  major B "乙大类" { class b1 "乙一" { owner d1 } }
}
classification co "部件" { type component; major C "丙大类" { class c1 "丙一" { code "C-1"; owner d2 } } }
"""
ATOMS = [
    "matter.class == a1", "matter.class == 甲二", "matter.class in [a1, b1]", "matter.class in [丙一, a2]",
    "matter.class != b1", "matter.major == A", "matter.major == 乙大类", "matter.major in [A, C]",
    "matter.owner == d1", "matter.owner == 另一局", "matter.type == component", "matter.type == 事件",
    "matter == a1", "matter in [M1, 乙一]", "matter in [M2, \"C-1\"]", "matter == M1", "matter.status == in_force",
    "matter.status == classified", "matter.status in [unlisted, not_yet_in_force]", "urgent", "not urgent",
    "has(urgent)", "matter.class == none",
]


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> str:
    shape = draw(st.integers(0, 3)) if depth < 2 else 0
    if shape == 0:
        return draw(st.sampled_from(ATOMS))
    if shape == 1:
        return f"not ({draw(conditions(depth + 1))})"
    op = draw(st.sampled_from(["and", "and", "or"]))
    return f"({draw(conditions(depth + 1))}) {op} ({draw(conditions(depth + 1))})"


QUERIES = ["a1", "甲二", "b1", "C-1", "丙一", "M1", "事项二", "无此类", None]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(conditions(), min_size=1, max_size=8), st.lists(st.tuples(st.sampled_from(QUERIES),
       st.sampled_from([None, True, False])), min_size=1, max_size=10))
def test_index_over_matter_attributes_agrees_with_a_plain_scan(conds: list[str], items: list[tuple]) -> None:
    routes = "".join(f'route r{k} "r{k}" {{ when {c}; tier street }}\n' for k, c in enumerate(conds))
    policy = gridpolicy.loads(HEAD + routes + 'route rest "其余" { tier grid }\n')
    plain = policy.with_index(scan_index(len(policy.model.routes)))
    parted = policy.with_index(build_index(policy.model, policy.program.compiler, split_above=0))
    for k, (query, urgent) in enumerate(items):
        it = item(id=f"i{k}", **({"matter": query} if query else {}), **({"urgent": urgent} if urgent is not None else {}))
        it["id"] = f"i{k}"
        assert policy.match(it) == plain.match(it) == parted.match(it), (conds, it)
        assert policy.route(it) == plain.route(it), (conds, it)


@pytest.mark.parametrize(("cond", "key", "values"), [
    ("matter.class == a1", ("matter", "klass"), {"a1"}),
    ("matter.class in [a1, 乙一]", ("matter", "klass"), {"a1", "b1"}),
    ("matter.major == 甲大类", ("matter", "major"), {"A"}),
    ("matter.owner == 局一", ("matter", "owner"), {"d1"}),
    ("matter.type == component", ("matter", "type"), {"component"}),
    ("matter in [M1, a2]", ("matter", ""), {"M1", "a2"}),
    ("matter.class != a1", None, None),
])
def test_matter_attribute_constraints(cond: str, key: tuple | None, values: set | None) -> None:
    policy = gridpolicy.loads(HEAD + f'route r "r" {{ when {cond}; tier street }}\nroute rest "其余" {{ tier grid }}\n')
    found = constraint(policy.model.routes[0].condition)
    assert (found is None and key is None) or (found[0] == key and found[1] == values)
    if key is not None:  # indexed, and exact: decided by the index alone
        assert policy.program.index.exact[0]
