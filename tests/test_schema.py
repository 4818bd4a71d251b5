"""JSON Schemas: the item schema says exactly what the policy accepts; the decision schema is the
pydantic contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.cli import main
from gridpolicy.contract import Decision, ItemError
from gridpolicy.schema import decision_schema, item_schema

jsonschema_rs = pytest.importorskip("jsonschema_rs")  # comes with schemathesis (the servertest extra)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> gridpolicy.Policy:
    dest = tmp_path_factory.mktemp("schema") / "rules"
    shutil.copytree(ROOT / "rules", dest, ignore=shutil.ignore_patterns("tests"))
    return gridpolicy.load(dest)


def _accepted(policy: gridpolicy.Policy, item: Any) -> bool:
    try:
        policy.validate(item)
    except ItemError:
        return False
    return True


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**17, 10**17), st.floats(allow_nan=False),
                 st.text(max_size=5), st.lists(st.text(max_size=3), max_size=2),
                 st.dictionaries(st.text(max_size=2), st.integers(), max_size=1))
TIMES = st.sampled_from(["2026-03-02T09:30:00+08:00", "2026-03-02T01:30:00Z", "2026-03-02T09:30:00.5+08:00",
                         "2026-03-02T09:30:00", "2026-03-02", "soon", "2026-13-02T09:30:00+08:00"])


def _valid_value(policy: gridpolicy.Policy, f: Any) -> st.SearchStrategy[Any]:
    if f.type == "enum":
        return st.sampled_from([*f.value_codes, *(lbl for _, lbl in f.values)])
    if f.type in ("tier", "department", "role"):
        table = {"tier": policy.tiers, "department": policy.departments, "role": policy.roles}[f.type]
        return st.sampled_from([*(x.id for x in table), *(x.name for x in table)])
    if f.type == "set":
        if f.values:
            return st.lists(st.sampled_from([*f.value_codes, *(lbl for _, lbl in f.values)]), max_size=3)
        return st.lists(st.text(max_size=4), max_size=3)
    if f.type == "number":
        lo, hi = f.range if f.range else (-1e6, 1e6)
        return st.one_of(st.integers(int(lo) - 2, int(hi) + 2), st.floats(lo - 1, hi + 1, allow_nan=False))
    if f.type == "text":
        return st.text(max_size=20)
    if f.type == "bool":
        return st.booleans()
    if f.type == "date":
        return st.sampled_from(["2026-03-02", "2026-02-30", "today"])
    return TIMES


@st.composite
def items(draw: st.DrawFn, policy: gridpolicy.Policy) -> dict[str, Any]:
    """Items that are mostly valid, each part wrong now and then."""

    def wrong() -> bool:
        return draw(st.integers(0, 15)) == 0

    item: dict[str, Any] = {}
    if not wrong():
        item["id"] = draw(JUNK if wrong() else st.text(min_size=1, max_size=8))
    item["kind"] = draw(st.sampled_from(["incident", 3, None]) if wrong() else st.sampled_from(["issue", "task"]))
    if draw(st.booleans()):
        item["matter"] = draw(JUNK if wrong() else st.sampled_from([m.code for m in policy.matters] + ["未列入"]))
    if draw(st.booleans()):
        item["reported_at"] = draw(st.one_of(TIMES, JUNK) if wrong() else TIMES.filter(lambda t: "+" in t))
    if draw(st.booleans()):
        item["grid"] = draw(JUNK if wrong() else st.text(max_size=5))
    for f in policy.fields:
        if draw(st.integers(0, 2)) == 0:
            item[f.id] = draw(JUNK if wrong() else _valid_value(policy, f))
    if wrong():
        item[draw(st.sampled_from(["colour", "urgncy", "x"]))] = 1
    return item


def test_item_schema_accepts_exactly_what_the_policy_accepts(policy: gridpolicy.Policy) -> None:
    validator = jsonschema_rs.validator_for(item_schema(policy), validate_formats=True)

    @settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(items(policy))
    def check(item: dict[str, Any]) -> None:
        assert validator.is_valid(item) == _accepted(policy, item), item

    check()


def test_item_schema_lists_the_policy_fields_and_enums(policy: gridpolicy.Policy) -> None:
    s = item_schema(policy)
    assert s["$schema"].endswith("2020-12/schema") and s["additionalProperties"] is False
    for f in policy.fields:
        assert f.id in s["properties"], f.id
        text = json.dumps(s["properties"][f.id], ensure_ascii=False)
        for code, label in f.values:
            assert f'"{code}"' in text and f'"{label}"' in text
    assert set(s["required"]) == {"id", "kind", *(f.id for f in policy.fields if f.required)}
    bare = item_schema()
    assert bare["additionalProperties"] is True and set(bare["properties"]) == {
        "id", "kind", "matter", "reported_at", "grid", "grids"}


def test_decision_schema_validates_real_decisions(policy: gridpolicy.Policy) -> None:
    validator = jsonschema_rs.validator_for(decision_schema(), validate_formats=True)
    assert decision_schema(dialect=False) == Decision.model_json_schema()
    for n, m in enumerate(policy.matters):
        for kind in ("issue", "task"):
            d = policy.route({"id": f"S-{n}", "kind": kind, "matter": m.code,
                              "reported_at": "2026-03-02T10:00:00+08:00"})
            assert validator.is_valid(d.model_dump(mode="json"))
    assert not validator.is_valid({"item_id": "x"})


def test_schema_cli(policy: gridpolicy.Policy, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "decision"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Decision"
    assert main(["schema", "item"]) == 0
    assert json.loads(capsys.readouterr().out)["additionalProperties"] is True
    path = policy.model.files[0]
    assert main(["schema", "item", "--policy", str(Path(path).parent)]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(item_schema(policy), ensure_ascii=False))
