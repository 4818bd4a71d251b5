"""The routing index keeps first-match semantics exact: same decisions as a full scan."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

import gridpolicy
from gridpolicy.contract import ItemError
from gridpolicy.index import RouteIndex, build_index, constraint, route_constraints

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
    other = copy.copy(policy)
    n = len(policy.model.routes)
    other._index = RouteIndex(None, {}, tuple(range(n)), n)
    return other


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
    policy = gridpolicy.load(HEAD + f'route r "r" {{ when {cond} tier street }}\nroute rest "其余" {{ tier grid }}\n',
                             cache=False)
    found = constraint(policy.model.routes[0].condition)
    assert (found and (found[0], set(found[1]))) == expected


def test_conjuncts_on_one_key_intersect_and_the_index_keeps_rule_order():
    text = HEAD + """route a "a" { when category in [fire, flood] and category == flood and urgent tier street }
route b "b" { when severity >= 3 tier street }
route c "c" { when category == fire tier street }
route rest "其余" { tier grid }
"""
    policy = gridpolicy.load(text, cache=False)
    assert route_constraints(policy.model.routes[0]) == {("field", "category"): frozenset({"flood"})}
    index = build_index(policy.model.routes)
    assert index.key == ("field", "category")
    assert index.buckets == {"flood": (0, 1, 3), "fire": (1, 2, 3)}
    assert index.rest == (1, 3)
    assert index.candidates({"category": None}) == (1, 3)
    assert index.candidates({"category": "noise"}) == (1, 3)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_rules_decide_as_the_reference_scan(seed):
    rules = w.rules(40, seed=seed)
    policy = gridpolicy.load(w.gp_text(rules), cache=False)
    plain = unindexed(policy)
    for k, item in enumerate(w.items(400, seed=seed)):
        gp = w.gp_item(item, k)
        assert policy.match(gp) == w.reference(rules, item) == plain.match(gp)
        if k % 20 == 0:
            assert policy.route(gp) == plain.route(gp)


def test_shipped_rules_decide_as_a_full_scan():
    policy = gridpolicy.load(ROOT / "rules", cache=False)
    plain = unindexed(policy)
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
