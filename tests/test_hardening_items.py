"""Hostile items: whatever a host sends, `route` answers with a Decision or one `ItemError`
that names the bad field's path — never another exception."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest
from conftest import BASE, item
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy import model, runtime
from gridpolicy.clock import parse_timestamp
from gridpolicy.contract import Decision, ItemError

PROPS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


def route_or_error(policy, data: Any) -> Decision | ItemError:
    try:
        return policy.route(data)
    except ItemError as exc:
        assert exc.errors, "an ItemError names at least one field"
        for e in exc.errors:
            assert isinstance(e.path, str) and e.message_zh and e.message_en
        json.dumps(exc.to_dict(), ensure_ascii=False)  # always serialisable for HTTP 422
        return exc


BAD = [
    # (fields, the path that must be named)
    ({"id": 7}, "id"),
    ({"id": ""}, "id"),
    ({"id": "x" * 201}, "id"),
    ({"id": None}, "id"),
    ({"kind": "Issue"}, "kind"),
    ({"kind": ["issue"]}, "kind"),
    ({"matter": 12}, "matter"),
    ({"matter": {"code": "M01"}}, "matter"),
    ({"matter": "M" * 201}, "matter"),
    ({"grid": 3}, "grid"),
    ({"reported_at": "2026-03-02T10:00:00"}, "reported_at"),  # naive
    ({"reported_at": dt.datetime(2026, 3, 2, 10)}, "reported_at"),  # naive datetime object
    ({"reported_at": "yesterday"}, "reported_at"),
    ({"reported_at": "2026-02-30T10:00:00+08:00"}, "reported_at"),
    ({"reported_at": 1767225600}, "reported_at"),
    ({"reported_at": "9999-12-31T23:00:00+08:00"}, "reported_at"),  # would overflow a deadline
    ({"reported_at": "0001-01-01T00:00:00+14:00"}, "reported_at"),
    ({"reported_at": "2026-03-02T10:00:00+08:00" + " " * 100}, "reported_at"),
    ({"urgency": "critical"}, "urgency"),
    ({"urgency": 1}, "urgency"),
    ({"urgency": ["urgent"]}, "urgency"),
    ({"scope": "planet"}, "scope"),
    ({"owner": "nobody"}, "owner"),
    ({"needs": "law"}, "needs"),
    ({"needs": ["law", 3]}, "needs"),
    ({"needs": ["magic"]}, "needs"),
    ({"people": "12"}, "people"),
    ({"people": True}, "people"),
    ({"people": math.nan}, "people"),
    ({"people": math.inf}, "people"),
    ({"people": -1}, "people"),
    ({"people": 10 ** 100_000}, "people"),
    ({"people": json.loads("1e999999")}, "people"),  # JSON overflow gives inf
    ({"verified": "yes"}, "verified"),
    ({"verified": 1}, "verified"),
    ({"colour": "red"}, "colour"),
    ({"__class__": "x"}, "__class__"),
    ({"urgncy": "urgent"}, "urgncy"),
]


@pytest.mark.parametrize(("fields", "path"), BAD, ids=[p + str(i) for i, (_, p) in enumerate(BAD)])
def test_bad_field_is_named(policy, fields: dict[str, Any], path: str) -> None:
    result = route_or_error(policy, item(**fields))
    assert isinstance(result, ItemError), result
    assert path in [e.path for e in result.errors], result.errors


def test_not_an_object_and_oversized_items(policy) -> None:
    for data in ([], "item", 3, None):
        result = route_or_error(policy, data)
        assert isinstance(result, ItemError)
    many = item(**{f"f{i}": i for i in range(runtime.MAX_ITEM_FIELDS + 1)})
    result = route_or_error(policy, many)
    assert isinstance(result, ItemError) and result.errors[0].path == ""
    key = route_or_error(policy, item(**{"k" * 100_000: 1}))
    assert isinstance(key, ItemError) and len(key.errors[0].message_en) < 1_000


def test_non_string_keys(policy) -> None:
    data: dict[Any, Any] = item()
    data[1] = "x"
    data[None] = "y"
    result = route_or_error(policy, data)
    assert isinstance(result, ItemError)
    assert {"1", "None"} <= {e.path for e in result.errors}


def test_deeply_nested_values_are_refused_without_recursion(policy) -> None:
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    nested: Any = {}
    for _ in range(100_000):
        nested = {"a": nested}
    for fields, path in (({"needs": deep}, "needs"), ({"id": nested}, "id"), ({"urgency": nested}, "urgency")):
        result = route_or_error(policy, item(**fields))
        assert isinstance(result, ItemError) and path in [e.path for e in result.errors]


def test_matter_that_does_not_exist_is_named_in_the_decision(policy) -> None:
    issue = route_or_error(policy, item(matter="不存在的事项"))
    assert isinstance(issue, Decision) and issue.matter.status == "unlisted"
    task = route_or_error(policy, item(kind="task", matter="不存在的事项"))
    assert isinstance(task, Decision) and task.outcome == "refuse"
    assert any(r.kind == "list" and r.id == "unlisted" for r in task.reasons)


@pytest.mark.parametrize("at", [dt.datetime(2026, 3, 2, 10), dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))])
def test_bad_decision_time(policy, at: dt.datetime) -> None:
    with pytest.raises(ItemError) as info:
        policy.route(item(), at=at)
    assert info.value.errors[0].path == "at"


# ---- generated bad items -----------------------------------------------------------------------

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.datetimes().map(lambda d: d.isoformat()),  # naive
    st.integers(0, 9).map(lambda d: 10 ** 5000 + d), st.just("x" * 20_000),
)
NOT_STR = JUNK.filter(lambda v: not isinstance(v, str))
NOT_LIST_OF_STR = JUNK.filter(lambda v: not (isinstance(v, list) and all(isinstance(x, str) for x in v)))


def _bad_number(v: Any) -> bool:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return True
    return not (0 <= v <= 100_000)


BAD_FIELD = st.one_of(
    st.tuples(st.just("id"), st.one_of(NOT_STR, st.just(""), st.text(min_size=201, max_size=300))),
    st.tuples(st.just("kind"), JUNK.filter(lambda v: v not in ("issue", "task"))),
    st.tuples(st.just("matter"), st.one_of(NOT_STR.filter(lambda v: v is not None), st.text(min_size=201))),
    st.tuples(st.just("grid"), NOT_STR.filter(lambda v: v is not None)),
    st.tuples(st.just("reported_at"), st.one_of(
        NOT_STR.filter(lambda v: v is not None), st.datetimes().map(dt.datetime.isoformat),
        st.text(max_size=40).filter(lambda s: parse_timestamp(s) is None),
        st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(1899, 12, 31),
                     timezones=st.just(dt.UTC)).map(dt.datetime.isoformat))),
    st.tuples(st.just("urgency"), JUNK.filter(
        lambda v: v is not None and v not in ("normal", "urgent", "emergency", "一般", "紧急", "特急"))),
    st.tuples(st.just("needs"), st.one_of(NOT_LIST_OF_STR.filter(lambda v: v is not None),
                                          st.lists(st.text(max_size=5).filter(
                                              lambda s: s not in ("law", "pro", "行政执法", "专业技术")),
                                              min_size=1, max_size=3))),
    st.tuples(st.just("people"), JUNK.filter(lambda v: v is not None and _bad_number(v))),
    st.tuples(st.just("verified"), JUNK.filter(lambda v: v is not None and not isinstance(v, bool))),
    st.tuples(st.text(min_size=1, max_size=20).filter(
        lambda k: k not in model.ENVELOPE and k not in {"urgency", "scope", "needs", "owner", "people",
                                                          "verified", "handled_tier", "followup"}), JUNK),
)


@settings(PROPS)
@given(bad=st.lists(BAD_FIELD, min_size=1, max_size=4, unique_by=lambda kv: kv[0]))
def test_generated_bad_items_name_every_bad_field(policy, bad: list[tuple[str, Any]]) -> None:
    data = item(**dict(bad))
    result = route_or_error(policy, data)
    assert isinstance(result, ItemError), (bad, result)
    paths = {e.path for e in result.errors}
    assert {k for k, _ in bad} <= paths, (bad, result.errors)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(PROPS)
@given(st.dictionaries(st.sampled_from([*model.ENVELOPE, "urgency", "scope", "needs", "owner", "people",
                                        "verified", "handled_tier", "followup", "x"]), JSONISH, max_size=8))
def test_arbitrary_json_objects_never_crash(policy, data: dict[str, Any]) -> None:
    route_or_error(policy, data)
    route_or_error(policy, {**item(), **data})


# ---- admit and evaluate take host data too --------------------------------------------------------

KEYS = st.one_of(st.text(max_size=6), st.integers(), st.sampled_from(["name", "code", "needs", "urgency", "people",
                                                                      "contact", "tasks", "cases", "result"]))
JSON_ANY_KEYS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=12,
)


def _structured(call) -> None:
    try:
        call()
    except ItemError as exc:
        assert exc.errors and all(isinstance(e.path, str) for e in exc.errors)
        json.dumps(exc.to_dict(), ensure_ascii=False)


@settings(PROPS)
@given(st.dictionaries(KEYS, JSON_ANY_KEYS, max_size=5))
def test_admit_with_arbitrary_proposals(policy, proposal: dict[Any, Any]) -> None:
    _structured(lambda: policy.admit(proposal))


@settings(PROPS)
@given(st.sampled_from(["score", "satisfaction", "no_such_formula"]), st.dictionaries(KEYS, JSON_ANY_KEYS, max_size=5))
def test_evaluate_with_arbitrary_data(policy, formula: str, data: dict[Any, Any]) -> None:
    _structured(lambda: policy.evaluate(formula, data))


def test_records_with_mixed_key_types_name_the_field(policy) -> None:
    with pytest.raises(ItemError) as info:
        policy.evaluate("satisfaction", {"cases": [{"result": "satisfied", 1: "x", "extra": 2}]})
    assert info.value.errors[0].path == "cases[0].1"


# ---- the plain fast path accepts only what the full check accepts, with the same values -------

VALUE_CHOICES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 200_000), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["normal", "紧急", "emergency", "grid", "street", "街道", "law", "行政执法", "x", "",
                     "satisfied", "不满意", "M01", "2026-03-02T10:00:00+08:00", "2026-03-02T10:00:00Z",
                     "2026-03-02T10:00:00", "2026-03-02"]),
    st.lists(st.sampled_from(["law", "pro", "专业技术", "x"]), max_size=3),
)
ITEM_KEYS = ["id", "kind", "matter", "grid", "reported_at", "urgency", "scope", "needs", "owner", "people",
             "verified", "handled_tier", "followup", "unknown", 7]


# Text (with and without a default), date and datetime fields, beside the base schema.
WIDER = BASE + """
field note "备注" { type text }
field memo "说明" { type text; default "无" }
field due "日期" { type date }
field seen "时间" { type datetime }
"""


@pytest.fixture(scope="module")
def wider() -> gridpolicy.Policy:
    return gridpolicy.loads(WIDER)


# Required fields, with and without defaults, of each kind the fast path checks itself.
REQUIRED = BASE + """
field must_code "必填编码" { type enum; values a "甲", b "乙"; required true }
field must_number "必填数" { type number; range 0 .. 10; required true }
field must_flag "必填标记" { type bool; required true }
field must_text "必填文字" { type text; required true }
field kept_code "有默认的必填编码" { type enum; values a "甲", b "乙"; default a; required true }
"""


@pytest.fixture(scope="module")
def required() -> gridpolicy.Policy:
    return gridpolicy.loads(REQUIRED)


REQUIRED_OK = {"id": "t", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00", "must_code": "甲",
               "must_number": 3, "must_flag": False, "must_text": "x"}


@pytest.mark.parametrize("change", [
    {}, {"must_code": None}, {"must_code": "c"}, {"must_code": "b"}, {"must_number": None}, {"must_number": 11},
    {"must_number": 2.5}, {"must_number": True}, {"must_flag": None}, {"must_flag": 0}, {"must_text": None},
    {"kept_code": None}, {"kept_code": "乙"}, {"kept_code": "z"},
])
def test_plain_values_agree_with_the_full_check_on_required_fields(required, change: dict[str, Any]) -> None:
    _agree(required, {**REQUIRED_OK, **change})
    for key in change:  # and with the field left out
        _agree(required, {k: v for k, v in REQUIRED_OK.items() if k != key})
    assert required.items.plain_values(dict(REQUIRED_OK)) is not None


@PROPS
@given(st.dictionaries(st.sampled_from(["must_code", "must_number", "must_flag", "must_text", "kept_code"]),
                       st.one_of(VALUE_CHOICES, st.sampled_from(["甲", "乙", "a", "b"])), max_size=5),
       st.lists(st.sampled_from(["must_code", "must_number", "must_flag", "must_text"]), max_size=2))
def test_plain_values_agree_with_the_full_check_for_required_fields(required, fields, dropped) -> None:
    data = {**REQUIRED_OK, **fields}
    _agree(required, {k: v for k, v in data.items() if k not in dropped})


@PROPS
@given(st.dictionaries(st.sampled_from(ITEM_KEYS), VALUE_CHOICES, max_size=10),
       st.sampled_from(["issue", "task", "Issue"]), st.sampled_from(["2026-03-02T10:00:00+08:00", None]))
def test_plain_values_agree_with_the_full_check(policy, fields, kind, reported) -> None:
    _agree(policy, {"id": "t", "kind": kind, **({"reported_at": reported} if reported else {}), **fields})


@PROPS
@given(st.dictionaries(st.sampled_from([*ITEM_KEYS, "note", "memo", "due", "seen"]),
                       st.one_of(VALUE_CHOICES, st.text(max_size=5), st.just("x" * 10_001)), max_size=10),
       st.sampled_from(["2026-03-02T10:00:00+08:00", None]))
def test_plain_values_agree_with_the_full_check_for_text_and_times(wider, fields, reported) -> None:
    _agree(wider, {"id": "t", "kind": "issue", **({"reported_at": reported} if reported else {}), **fields})


@pytest.mark.parametrize(("key", "value"), [
    ("note", "x" * 10_000), ("note", "x" * 10_001), ("note", ""), ("note", 5), ("note", None), ("memo", None),
    ("memo", "无"), ("memo", "其他"), ("memo", ["无"]), ("due", "2026-03-02"), ("due", "2026-02-30"),
    ("due", 20260302), ("seen", "2026-03-02T10:00:00Z"), ("seen", "2026-03-02T10:00:00"), ("seen", None),
])
def test_plain_values_agree_with_the_full_check_on_text_and_times(wider, key: str, value: Any) -> None:
    _agree(wider, {"id": "t", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00", key: value})


def _agree(policy: gridpolicy.Policy, data: dict[Any, Any]) -> None:
    plain = policy.items.plain_values(dict(data))
    try:
        checked = policy.items.checked_values(dict(data))
    except ItemError:
        assert plain is None, data
        return
    if plain is not None:
        assert plain == checked, data
        assert [type(v) for v in plain.values()] == [type(checked[k]) for k in plain], data
