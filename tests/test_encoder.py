"""The fast decision encoder writes exactly what pydantic writes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy
from gridpolicy.contract import Decision, ItemError, Named, Reason
from gridpolicy.encoder import DecisionEncoder, encode_decision, encode_decision_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped() -> gridpolicy.Policy:
    return gridpolicy.load(ROOT / "rules")


def decisions(policy: gridpolicy.Policy, count: int, seed: int) -> list[Decision]:
    from benchmarks.shipped import random_items

    out = []
    for item in random_items(policy, count, seed=seed):
        try:
            out.append(policy.route(item))
        except ItemError:
            continue
    return out


def test_shipped_decisions_encode_as_pydantic(shipped) -> None:
    found = decisions(shipped, 1500, seed=5)
    assert len(found) > 1000
    assert any(d.escalation for d in found) and any(d.deadline for d in found)
    assert any(d.outcome == "refuse" for d in found) and any(d.handlers.roles for d in found)
    for d in found:
        assert encode_decision(d) == d.model_dump_json()
        assert encode_decision_bytes(d) == d.model_dump_json().encode()


TIMES = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1),
                     timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8)),
                                                dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
                                                dt.timezone(dt.timedelta(seconds=3601))]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item_id=st.text(max_size=30), when=TIMES, dispatch=st.text(max_size=20))
def test_any_text_and_time_encode_as_pydantic(shipped, item_id: str, when: dt.datetime, dispatch: str) -> None:
    d = shipped.route({"id": "x", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00", "matter": "P02"})
    d.item_id, d.evaluated_at, d.dispatch, d.deadline = item_id, when, dispatch, when
    assert d.escalation
    d.escalation[0].due = when
    d.escalation[0].label = dispatch
    assert encode_decision(d) == d.model_dump_json()


def test_replaced_parts_and_subclasses_go_to_pydantic(shipped) -> None:
    d = shipped.route({"id": "x", "kind": "issue", "reported_at": "2026-03-02T10:00:00+08:00"})
    d.reasons.append(Reason(kind="route", id="added", text_zh="加", text_en="added", source=""))
    d.handlers.roles.append(Named(code="r", name="角色"))
    assert encode_decision(d) == d.model_dump_json()
    d.handlers = {"roles": [], "department": None}  # type: ignore[assignment]
    with pytest.warns(UserWarning):
        expected = d.model_dump_json()
    with pytest.warns(UserWarning):
        assert encode_decision(d) == expected
    d.reasons = ["not a reason"]  # type: ignore[list-item]
    with pytest.warns(UserWarning):
        expected = d.model_dump_json()
    with pytest.warns(UserWarning):
        assert encode_decision(d) == expected

    class Mine(Decision):
        extra: int = 1
    mine = Mine(**shipped.route({"id": "y", "kind": "issue",
                                 "reported_at": "2026-03-02T10:00:00+08:00"}).model_dump())
    assert json.loads(encode_decision(mine))["extra"] == 1


def test_the_part_cache_is_bounded_and_keyed_by_identity(shipped) -> None:
    encoder = DecisionEncoder(limit=24)
    sizes = []
    for d in decisions(shipped, 300, seed=9):
        assert encoder.encode(d) == d.model_dump_json()
        assert encoder.cached <= encoder.limit == 24 and encoder.holds_what_it_caches()
        sizes.append(encoder.cached)
    assert any(b < a for a, b in zip(sizes, sizes[1:]))  # it did start over, and stayed exact


def test_route_json_is_route_as_json(shipped) -> None:
    from benchmarks.shipped import random_items

    seen = 0
    for item in random_items(shipped, 1500, seed=21):
        try:
            expected = shipped.route(item).model_dump_json().encode()
        except ItemError as exc:
            with pytest.raises(ItemError) as again:
                shipped.route_json(item)
            assert again.value.to_dict() == exc.to_dict()
            continue
        assert shipped.route_json(item) == expected
        seen += 1
    assert seen > 1000
    at = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    item = {"id": "u", "kind": "task", "matter": "P02", "reported_at": "2026-04-30T23:00:00Z"}
    assert shipped.route_json(item, at) == shipped.route(item, at).model_dump_json().encode()


def test_threads_sharing_an_encoder_that_starts_over_get_exact_json(shipped) -> None:
    import sys
    import threading

    found = decisions(shipped, 400, seed=13)
    expected = [d.model_dump_json() for d in found]
    encoder = DecisionEncoder(limit=24)  # starts over every few decisions
    wrong: list[int] = []

    def work(offset: int) -> None:
        for k in range(len(found)):
            j = (k + offset) % len(found)
            if encoder.encode(found[j]) != expected[j]:
                wrong.append(j)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work, args=(n * 50,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not wrong
    assert encoder.holds_what_it_caches() and encoder.cached <= 24  # all held
