"""The routing index keeps first-match semantics exact: same decisions as a full scan."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import gridpolicy
from gridpolicy.contract import ItemError
from gridpolicy.engine.compiler import UNLISTED
from gridpolicy.engine.index import build_index, constraint, route_constraints, scan_index

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import workload as w  # noqa: E402
from benchmarks.shipped import random_items  # noqa: E402

HEAD = """policy p "测试" { version "1" }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
field category "类别" { type enum values fire "火", flood "水", noise "噪声" }
field severity "严重" { type number range 1 .. 4 }
field urgent "紧急" { type bool }
"""


def unindexed(policy: gridpolicy.Policy) -> gridpolicy.Policy:
    """The same policy scanning every route (no index)."""
    return policy.with_index(scan_index(len(policy.model.routes)))


def split(policy: gridpolicy.Policy) -> gridpolicy.Policy:
    """The same policy with its index split on the leading key however few routes it has."""
    return policy.with_index(build_index(policy.model, policy.program.compiler, split_above=0))


@pytest.mark.parametrize(("cond", "expected"), [
    ("category == fire", (("field", "category"), {"fire"})),
    ("fire == category", (("field", "category"), {"fire"})),
    ("category in [fire, noise]", (("field", "category"), {"fire", "noise"})),
    ("category != fire", None),
    ("severity >= 2", None),
    ("category == fire or urgent", None),
    ("not (category == fire)", None),
])
def test_constraint_of_one_conjunct(cond, expected):
    policy = gridpolicy.loads(HEAD + f'route r "r" {{ when {cond} tier street }}\nroute rest "其余" {{ tier grid }}\n')
    found = constraint(policy.model.routes[0].condition)
    assert (found and (found[0], set(found[1]))) == expected


def test_conjuncts_on_one_key_intersect():
    text = HEAD + """route a "a" { when category in [fire, flood] and category == flood and urgent tier street }
route rest "其余" { tier grid }
"""
    policy = gridpolicy.loads(text)
    assert route_constraints(policy.model.routes[0]) == {("field", "category"): frozenset({"flood"})}


INDEXED = HEAD + """field level "层级" { type tier }
field place "地点" { type text }
route a "a" { when category in [fire, flood] and category == flood and urgent tier street }
route b "b" { when severity >= 3 tier street }
route c "c" { when category == fire and severity in 1.5 .. 2 tier street }
route d "d" { when level >= street and place != "东门" tier street }
route e "e" { when severity * 2 > 7 tier street }
route f "f" { when category == none or urgent tier street }
route rest "其余" { tier grid }
"""


def test_every_single_key_test_is_indexed_and_other_routes_are_confirmed():
    policy = gridpolicy.loads(INDEXED)
    index = policy.program.index
    assert {t.key for t in index.tests} == {"category", "urgent", "severity", "level", "place"}
    assert index.exact == (True, True, True, True, False, False, True)


@pytest.mark.parametrize(("values", "candidates"), [
    ({"category": "flood", "urgent": True, "severity": 1}, "a e f rest"),
    ({"category": "flood", "urgent": False, "severity": 3}, "b e f rest"),
    ({"category": "fire", "severity": 1.5}, "c e f rest"),
    ({"category": "fire", "severity": 2.0}, "c e f rest"),
    ({"category": "fire", "severity": 2.5}, "e f rest"),
    ({"category": None, "severity": None}, "e f rest"),
    ({"level": "street", "place": "西门"}, "d e f rest"),
    ({"level": "grid", "place": "西门"}, "e f rest"),
    ({"level": "street", "place": "东门"}, "e f rest"),
    ({"level": "street"}, "d e f rest"),
])
def test_candidates_are_the_routes_whose_indexed_tests_hold(values, candidates):
    policy = gridpolicy.loads(INDEXED)
    index = policy.program.index
    mask = index.candidates({"kind": "issue", **values})
    assert mask is not None
    assert " ".join(policy.model.routes[i].id for i in index.positions(mask)) == candidates


def test_a_value_of_no_class_makes_every_route_a_candidate_to_confirm():
    policy = gridpolicy.loads(INDEXED)
    assert policy.program.index.candidates({"severity": "high"}) is None
    assert policy.program.index.candidates({"category": ["fire"]}) is None


ODD_VALUES = [{}, {"severity": "high"}, {"category": ["fire"]}, {"category": "fire", "severity": 3},
              {"category": "flood", "urgent": True, "severity": 1}, {"severity": 3.5, "place": "东门"},
              {"category": "noise", "level": "street", "place": ["x"]}, {"severity": None, "urgent": False}]


@pytest.mark.parametrize("values", ODD_VALUES)
@pytest.mark.parametrize("how", [lambda p: p, lambda p: split(p), lambda p: unindexed(p)])
def test_compiled_routing_walks_as_the_interpreted_index(values, how):
    policy = how(gridpolicy.loads(INDEXED))
    try:
        expected = policy.program.index.first(dict(values), policy.program.conditions, policy.program.continues)
    except TypeError:  # a condition that cannot take the value (no validated item has it)
        with pytest.raises(TypeError):
            policy.program.first(dict(values))
        return
    assert policy.program.first(dict(values)) == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_rules_decide_as_the_reference_scan(seed):
    rules = w.rules(40, seed=seed)
    policy = gridpolicy.loads(w.gp_text(rules))
    plain, parted = unindexed(policy), split(policy)
    assert parted.program.index.split == "category"
    for k, item in enumerate(w.items(400, seed=seed)):
        gp = w.gp_item(item, k)
        assert policy.match(gp) == w.reference(rules, item) == plain.match(gp) == parted.match(gp)
        if k % 20 == 0:
            assert policy.route(gp) == plain.route(gp) == parted.route(gp)


@pytest.mark.parametrize("parts", [False, True])
def test_shipped_rules_decide_as_a_full_scan(parts):
    policy = gridpolicy.load(ROOT / "rules", cache=False)
    plain = unindexed(policy)
    if parts:
        policy = split(policy)
    for item in random_items(policy, 600, seed=11):
        try:
            indexed = policy.route(item)
        except ItemError as exc:
            with pytest.raises(ItemError) as again:
                plain.route(item)
            assert again.value.to_dict() == exc.to_dict()
            continue
        assert indexed == plain.route(item)
        assert indexed.model_dump(mode="json") == plain.route(item).model_dump(mode="json")


def test_decisions_share_no_mutable_parts():
    """Decisions share only frozen parts (reasons, names, tiers, time limits, the policy
    reference): changing one decision never changes another."""
    policy = gridpolicy.load(ROOT / "rules", cache=False)
    item = {"id": "1", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"}
    a, b = policy.route(item), policy.route(item)
    assert a == b
    expected = b.model_dump_json()
    with pytest.raises(ValidationError):
        a.reasons[0].text_zh = "改过"
    with pytest.raises(ValidationError):
        a.policy.version = "x"
    with pytest.raises(ValidationError):
        a.matter.status = "exited"
    assert a.tier is not None
    with pytest.raises(ValidationError):
        a.tier.level = 9
    a.reasons.clear()
    a.handlers.roles.clear()
    a.handlers.department = None
    a.escalation.clear()
    a.outcome = "refuse"
    assert b.model_dump_json() == expected
    assert policy.route(item).model_dump_json() == expected
    steps = policy.route({**item, "matter": "P02"}).escalation
    assert steps
    steps[0].label = "改过"
    assert policy.route({**item, "matter": "P02"}).escalation[0].label != "改过"


# ---- property: any mix of tests decides exactly as a full scan --------------------------------

PROPERTY_HEAD = HEAD + """tier city "市" { level 3 }
department d1 "街道办" { tier street }
department d2 "市局" { tier city }
field level "层级" { type tier }
field place "地点" { type text }
field owner "主责部门" { type department }
"""
ATOMS = [
    "category == fire", "category != flood", "category in [fire, noise]", "category not in [flood]",
    "category == none", "category != none", "severity >= 2", "severity < 3", "severity == 2",
    "severity != 1.5", "severity in [1, 3]", "severity in 2 .. 3", "severity > 3.5", "severity == none",
    "urgent", "not urgent", "urgent == true", "urgent != false", "urgent == none", "level >= street",
    "level == grid", "level < street", 'place == "东门"', 'place != "西门"', 'place in ["东门", "北门"]',
    "kind == task", "severity * 2 > 5", "has(severity)", "has(place)", "has(owner)", "tier_of(owner) == city",
    "tier_of(owner) != street", "not has(level)",
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


ITEMS = st.fixed_dictionaries({}, optional={
    "category": st.sampled_from(["fire", "flood", "noise"]),
    "severity": st.sampled_from([1, 1.5, 2, 2.0, 2.5, 3, 3.5, 4]),
    "urgent": st.booleans(),
    "level": st.sampled_from(["grid", "street"]),
    "place": st.sampled_from(["东门", "西门", "北门", "南门"]),
    "owner": st.sampled_from(["d1", "d2"]),
    "kind": st.just("task"),
})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(conditions(), min_size=1, max_size=8), st.lists(ITEMS, min_size=1, max_size=12))
def test_indexed_routing_decides_as_a_full_scan(conds: list[str], items: list[dict]) -> None:
    routes = "".join(f'route r{k} "r{k}" {{ when {c} tier street }}\n' for k, c in enumerate(conds))
    policy = gridpolicy.loads(PROPERTY_HEAD + routes + 'route rest "其余" { tier grid }\n')
    plain, parted = unindexed(policy), split(policy)
    for k, fields in enumerate(items):
        it = {"id": f"i{k}", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00", **fields}
        assert policy.match(it) == plain.match(it) == parted.match(it), (conds, it)
        values = {**policy.items.plain_values(dict(it)), "matter": UNLISTED}
        for p in (policy, parted):
            assert p.program.first(dict(values)) == p.program.index.first(dict(values), p.program.conditions, p.program.continues), (conds, it)
