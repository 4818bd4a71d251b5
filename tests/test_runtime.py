"""The runtime contract: decisions, reasons, refusals, item errors, admit, evaluate, and the
properties hosts rely on (pickling, threads, the default policy)."""

from __future__ import annotations

import json
import pickle
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import BASE, item

import gridpolicy
from gridpolicy import Decision, ItemError

# (item fields, outcome, tier, handler roles, department, deciding route or None)
ROUTING = [
    ({"matter": "M01"}, "handle", "grid", ["leader", "worker"], None, "local"),
    ({"matter": "调解"}, "handle", "grid", ["leader", "worker"], None, "local"),
    ({"urgency": "emergency"}, "handle", "street", ["leader"], None, "emergency"),
    ({"urgency": "特急"}, "handle", "street", ["leader"], None, "emergency"),  # labels are accepted
    ({"owner": "scj"}, "handle", "district", [], "scj", "dept"),
    ({"scope": "community"}, "handle", "community", [], None, "wide"),
    ({"followup": "dissatisfied", "handled_tier": "community"}, "handle", "street", [], None, "reopen"),
    ({"followup": "dissatisfied", "handled_tier": "city"}, "handle", "city", [], None, "reopen"),
    ({"followup": "dissatisfied"}, "handle", "grid", [], None, "local"),  # no tier to reopen above
    ({"people": 60, "matter": "M01"}, "handle", "grid", ["leader", "worker"], None, "local"),
    ({"kind": "task", "matter": "M01"}, "handle", "grid", ["leader", "worker"], None, "local"),
    ({"kind": "task", "matter": "M01", "needs": ["pro"]}, "refuse", None, [], "zfw", None),
    ({"kind": "task", "matter": "nothing"}, "refuse", None, [], None, None),
    ({"kind": "task"}, "refuse", None, [], None, None),
    ({"kind": "task", "matter": "D01"}, "refuse", None, [], None, None),  # not an admission list
    ({"kind": "issue", "matter": "nothing"}, "handle", "grid", [], None, "local"),
]


@pytest.mark.parametrize(("fields", "outcome", "tier", "roles", "department", "route"), ROUTING)
def test_routing(policy, fields, outcome, tier, roles, department, route) -> None:
    d = policy.route(item(**fields))
    assert d.outcome == outcome
    assert (d.tier.code if d.tier else None) == tier
    assert [r.code for r in d.handlers.roles] == roles
    assert (d.handlers.department.code if d.handlers.department else None) == department
    route_ids = [r.id for r in d.reasons if r.kind == "route"]
    assert (route_ids[-1] if route_ids else None) == route


def test_continue_route_adds_its_handlers_and_reason(policy) -> None:
    d = policy.route(item(people=60))
    assert [r.id for r in d.reasons if r.kind == "route"] == ["notify", "local"]
    assert [r.code for r in d.handlers.roles] == ["leader"]


def test_refusal_names_every_reason(policy) -> None:
    d = policy.route(item(kind="task", matter="M03", needs=["pro", "law"], reported_at="2025-07-01T09:00:00+08:00"))
    assert d.outcome == "refuse" and d.tier is None and d.deadline is None and d.escalation == []
    assert [(r.kind, r.id) for r in d.reasons] == [("exit", "X01"), ("criterion", "professional"),
                                                   ("criterion", "enforcement")]
    exit_reason = d.reasons[0]
    assert "示政法〔2025〕1号" in exit_reason.text_zh and "区委政法委" in exit_reason.text_zh


def test_reasons_carry_source_locations(policy) -> None:
    d = policy.route(item(matter="M01"))
    for r in d.reasons:
        assert re.fullmatch(r"<text>:\d+:\d+", r.source), r
    lines = BASE.splitlines()
    route_reason = next(r for r in d.reasons if r.kind == "route")
    line = int(route_reason.source.split(":")[1])
    assert lines[line - 1].startswith("route local")


def test_decision_contract_fields(policy) -> None:
    d = policy.route(item(matter="M01", grid="G001"))
    data = json.loads(d.model_dump_json())
    assert set(data) >= {"item_id", "kind", "outcome", "matter", "tier", "handlers", "deadline", "time_limit",
                         "escalation", "reasons", "policy", "evaluated_at"}
    assert data["matter"] == {"query": "M01", "code": "M01", "name": "矛盾纠纷调解", "list": "grid_items",
                              "batch": "b1", "status": "in_force", "resolved": "list", "classification": None,
                              "major": None, "type": None, "suggestions": []}
    assert set(data["handlers"]) == {"roles", "department", "lead", "assisting", "unit"}
    assert data["handlers"]["lead"]["kind"] in ("department", "unit", "tier")
    assert data["tier"] == {"code": "grid", "name": "网格", "level": 1}
    assert data["time_limit"] == {"amount": 3.0, "unit": "workdays", "text_zh": "3个工作日", "clock": "working_days",
                                  "office_hours": ""}
    assert data["policy"]["name"] == "示例规则集" and data["policy"]["version"] == "1.0"
    assert len(data["policy"]["digest"]) == 64
    assert Decision.model_validate_json(d.model_dump_json()) == d


def test_items_can_be_pydantic_models(policy) -> None:
    it = gridpolicy.Item(id="m", kind="issue", matter="M01", reported_at="2026-03-02T10:00:00+08:00",
                         urgency="emergency")
    assert policy.route(it).tier.code == "street"


# (item fields, path named in the error)
BAD_ITEMS = [
    ({"id": None}, "id"),
    ({"id": ""}, "id"),
    ({"kind": "complaint"}, "kind"),
    ({"reported_at": "2026-03-02T10:00:00"}, "reported_at"),  # naive
    ({"reported_at": "yesterday"}, "reported_at"),
    ({"urgency": "very"}, "urgency"),
    ({"urgency": 3}, "urgency"),
    ({"needs": "pro"}, "needs"),
    ({"needs": ["pro", "magic"]}, "needs"),
    ({"people": "many"}, "people"),
    ({"people": True}, "people"),
    ({"people": -1}, "people"),
    ({"people": float("nan")}, "people"),
    ({"verified": "yes"}, "verified"),
    ({"scope": "planet"}, "scope"),
    ({"owner": "nobody"}, "owner"),
    ({"urgncy": "urgent"}, "urgncy"),
    ({"matter": 12}, "matter"),
]


@pytest.mark.parametrize(("fields", "path"), BAD_ITEMS)
def test_bad_items_name_the_field(policy, fields, path) -> None:
    with pytest.raises(ItemError) as info:
        policy.route(item(**fields))
    assert path in [e.path for e in info.value.errors]
    for e in info.value.errors:
        assert e.message_zh and e.message_en


def test_unknown_field_suggests_the_known_one(policy) -> None:
    with pytest.raises(ItemError) as info:
        policy.route(item(urgncy="urgent"))
    assert "urgency" in info.value.errors[0].message_en


def test_every_bad_field_is_reported_at_once(policy) -> None:
    with pytest.raises(ItemError) as info:
        policy.route(item(kind="x", urgency="y", people="z"))
    assert {e.path for e in info.value.errors} == {"kind", "urgency", "people"}


def test_missing_optional_fields_have_one_meaning(policy) -> None:
    # `owner` absent: has(owner) is false, so the department rule does not fire; `followup` absent:
    # `followup == dissatisfied` is false; ordering comparisons with a missing value are false.
    d = policy.route(item(owner=None, followup=None))
    assert [r.id for r in d.reasons if r.kind == "route"] == ["local"]
    p = gridpolicy.loads(BASE.replace("when people >= 50", "when followup != dissatisfied"))
    assert [r.id for r in p.route(item()).reasons if r.kind == "route"] == ["notify", "local"]


def test_route_many_keeps_order_and_isolates_bad_items(policy) -> None:
    out = list(policy.route_many([item(id="a"), item(id="b", kind="bad"), item(id="c", urgency="emergency")]))
    assert isinstance(out[1], ItemError)
    assert [o.item_id for o in (out[0], out[2])] == ["a", "c"]


def test_policy_pickles_and_decides_the_same(policy) -> None:
    clone = pickle.loads(pickle.dumps(policy))
    it = item(matter="M01", people=60)
    assert clone.route(it) == policy.route(it)
    assert clone.digest == policy.digest


def test_policy_is_safe_to_share_between_threads(policy) -> None:
    items = [item(id=str(n), urgency=["normal", "urgent", "emergency"][n % 3], people=n) for n in range(300)]
    expected = [policy.route(i).model_dump_json() for i in items]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda i: policy.route(i).model_dump_json(), items))
    assert got == expected


def test_digest_changes_with_the_rules(policy) -> None:
    other = gridpolicy.loads(BASE.replace('version "1.0"', 'version "1.1"'))
    assert other.digest != policy.digest
    assert gridpolicy.loads(BASE).digest == policy.digest


def test_admit(policy) -> None:
    ok = policy.admit({"name": "新事项", "needs": []})
    assert ok.admitted and ok.criteria == []
    caught = policy.admit({"name": "矛盾纠纷调解", "needs": ["law", "pro"]})
    assert not caught.admitted
    assert [r.id for r in caught.criteria] == ["professional", "enforcement"]
    assert [s.code for s in caught.similar] == ["M01"]
    with pytest.raises(ItemError):
        policy.admit({"name": "x", "needs": ["flying"]})


EVALUATIONS = [
    ({"contact": 90, "tasks": 95}, 93.0, "five"),
    ({"contact": 100, "tasks": 83.4}, 90.0, "five"),   # 40 + 50.04 = 90.04 → 90.0
    ({"contact": 75, "tasks": 83.3}, 79.98, None),
    ({"contact": 80, "tasks": 80}, 80.0, "four"),
    ({"contact": 0, "tasks": 0}, 0.0, "unrated"),
]


@pytest.mark.parametrize(("data", "value", "grade"), EVALUATIONS)
def test_evaluate(policy, data, value, grade) -> None:
    ev = policy.evaluate("score", data)
    if grade is None:  # 79.98 rounds to 80.0 (half up, one decimal) → four stars
        assert ev.value == 80.0 and ev.grade.code == "four"
    else:
        assert ev.value == value and ev.grade.code == grade


def test_evaluate_rates_over_records(policy) -> None:
    cases = [{"result": "satisfied"}, {"result": "dissatisfied"}, {"result": "satisfied"}]
    assert policy.evaluate("satisfaction", {"cases": cases}).value == 66.7


@pytest.mark.parametrize(("formula", "data", "path"), [
    ("scor", {}, "formula"),
    ("score", {"contact": 90}, "tasks"),
    ("score", {"contact": 190, "tasks": 1}, "contact"),
    ("score", {"contact": "high", "tasks": 1}, "contact"),
    ("score", {"contact": 1, "tasks": 1, "bonus": 3}, "bonus"),
    ("satisfaction", {"cases": "many"}, "cases"),
    ("satisfaction", {"cases": [{"result": "x", "extra": 1}]}, "cases[0].extra"),
    ("satisfaction", {"cases": []}, ""),
])
def test_evaluate_errors(policy, formula, data, path) -> None:
    with pytest.raises(ItemError) as info:
        policy.evaluate(formula, data)
    assert path in [e.path for e in info.value.errors]


def test_default_policy_follows_the_environment(tmp_path, monkeypatch) -> None:
    (tmp_path / "policy.gp").write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("GRIDPOLICY_RULES", str(tmp_path))
    d = gridpolicy.route(item(matter="M01"))
    assert d.policy.name == "示例规则集"


def test_shipped_rules_are_the_default(monkeypatch) -> None:
    monkeypatch.delenv("GRIDPOLICY_RULES", raising=False)
    policy = gridpolicy.default_policy()
    assert policy.model.header.name
    d = gridpolicy.route({"id": "x", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"})
    assert d.outcome == "handle"


def test_digest_does_not_depend_on_how_the_folder_is_named(tmp_path, monkeypatch) -> None:
    (tmp_path / "policy.gp").write_text(BASE, encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)
    relative = gridpolicy.load(tmp_path.name)
    absolute = gridpolicy.load(str(tmp_path.resolve()))
    assert relative.digest == absolute.digest


def test_a_banned_matter_is_refused_naming_the_criterion() -> None:
    text = BASE.replace('matter D01 "居民会议组织" { }', 'matter D01 "居民会议组织" { traits { needs [law] } }')
    policy = gridpolicy.loads(text)
    d = policy.route(item(kind="task", matter="D01"))
    assert d.outcome == "refuse"
    assert [(r.kind, r.id) for r in d.reasons] == [("matter", "D01"), ("list", "duties"), ("criterion", "enforcement")]


def test_decision_carries_the_dispatch_instruction() -> None:
    policy = gridpolicy.loads(BASE.replace("  handlers matter\n", '  handlers matter\n  dispatch "网格党组织派单"\n'))
    assert policy.route(item(matter="M01")).dispatch == "网格党组织派单"
    assert policy.route(item(urgency="emergency")).dispatch == ""


REGISTRY = """
example: true
district: 示例区
updated: 2026-01-01
streets:
  - code: "001"
    name: 甲街道
    communities:
      - code: "001"
        name: 水心亭社区
        grids:
          - code: "G1"
            name: 第一网格
            party_org: 第一网格党支部
            boundaries: {east: 东路, south: 南路, west: 西路, north: 北路}
            leader: {role: leader, contact: "12345"}
            staff: [{role: worker, contact: "12345"}]
      - code: "002"
        name: 乙社区
        grids:
          - code: "G2"
            name: 第二网格
            party_org: 第二网格党支部
            boundaries: {east: 东路, south: 南路, west: 西路, north: 北路}
            leader: {role: leader, contact: "12345"}
            staff: [{role: worker, contact: "12345"}]
"""


def _registry_policy(tmp_path, registry: str = REGISTRY):
    rules = tmp_path / "rules"
    (rules / "registry").mkdir(parents=True)
    (rules / "policy.gp").write_text(BASE.replace(
        'route emergency "紧急上报" {',
        'route pilot "试点社区由社区统筹" {\n  when grid.community == "水心亭社区"\n  tier community\n}\n'
        'route emergency "紧急上报" {'), encoding="utf-8")
    (rules / "registry" / "grids.yaml").write_text(registry, encoding="utf-8")
    return rules


def test_routes_can_use_the_grid_registry(tmp_path) -> None:
    rules = _registry_policy(tmp_path)
    policy = gridpolicy.load(rules, cache=False)
    assert [(g.code, g.community, g.street) for g in policy.model.grids] == [
        ("G1", "水心亭社区", "甲街道"), ("G2", "乙社区", "甲街道")]
    assert policy.route(item(grid="G1")).tier.code == "community"
    assert policy.route(item(grid="G2")).tier.code == "grid"
    assert policy.route(item(grid="unknown")).tier.code == "grid"  # not in the registry: missing
    assert policy.route(item()).tier.code == "grid"


def test_the_registry_is_part_of_the_policy(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GRIDPOLICY_CACHE", str(tmp_path / "cache"))
    rules = _registry_policy(tmp_path)
    first = gridpolicy.load(rules)
    assert gridpolicy.load(rules).digest == first.digest  # from the cache
    (rules / "registry" / "grids.yaml").write_text(REGISTRY.replace("水心亭社区", "别的社区"), encoding="utf-8")
    second = gridpolicy.load(rules)
    assert second.digest != first.digest
    assert second.route(item(grid="G1")).tier.code == "grid"


def test_an_invalid_registry_is_a_located_diagnostic(tmp_path) -> None:
    rules = _registry_policy(tmp_path, REGISTRY.replace('party_org: 第二网格党支部\n', ''))
    with pytest.raises(gridpolicy.PolicyError) as info:
        gridpolicy.load(rules, cache=False)
    [d] = info.value.errors
    assert d.code == "GP015" and d.span.file.endswith("registry/grids.yaml") and d.span.line > 1


def test_grid_attributes_are_checked() -> None:
    with pytest.raises(gridpolicy.PolicyError) as info:
        gridpolicy.loads(BASE.replace("when has(owner)", 'when grid.comunity == "x"'))
    assert info.value.errors[0].code == "GP031" and "community" in info.value.errors[0].hint_en
