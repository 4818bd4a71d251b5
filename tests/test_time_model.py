"""One time model for `route()` and `route_json()` (issue 17 item 8): the same decision as JSON
for random items and zones, deadlines never before the report, and `at` standing in for a
missing report time."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from conftest import BASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridpolicy

UTC = dt.UTC
ZONES = ("Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Africa/Monrovia",
         "Asia/Kathmandu", "America/St_Johns", "Europe/Amsterdam")

CLOCKS = '''
calendar { office_hours "08:30-12:00", "14:30-17:30" }
field channel "渠道" { type enum; values phone "电话", online "网络"; default phone }
field extra "延期" { type number; range 0 .. 30; default 0 }
route minutes "二十分钟" {
  when people >= 90000
  tier street
  limit 20 minutes
  escalate 40 minutes -> remind(zfw), 2 hours -> district
}
route staged "分段" {
  when people >= 80000
  tier street
  stages 3 urgent_hours -> fence "围挡", 8 urgent_hours -> repair "抢修", 5 workdays -> restore "恢复"
}
route office "工作时" {
  when people >= 70000
  tier community
  limit 4 workhours
  escalate 4 workhours -> remind(zfw), 1 day -> street
}
route computed "随事项" {
  when people >= 60000
  tier community
  limit if(channel == online, 3 workdays, 5 workdays) + extra * 1 workday
}
'''


def _policy(zone: str) -> gridpolicy.Policy:
    text = BASE.replace('effective 2024-01-01', f'effective 2024-01-01\n  timezone "{zone}"', 1)
    head, _, tail = text.partition('route emergency')
    return gridpolicy.loads(head + CLOCKS + 'route emergency' + tail)


POLICIES = {zone: _policy(zone) for zone in ZONES}


@st.composite
def report_times(draw: st.DrawFn) -> str:
    """ISO 8601 report times: any instant 1900–2199, in a zone's own offset or a fixed one
    (whole minutes, or with seconds as in 1900-era local mean time)."""
    instant = draw(st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2198, 12, 30))).replace(tzinfo=UTC)
    how = draw(st.integers(0, 2))
    if how == 0:
        t = instant.astimezone(ZoneInfo(draw(st.sampled_from(ZONES))))
    elif how == 1:
        t = instant.astimezone(dt.timezone(dt.timedelta(minutes=draw(st.integers(-12 * 60, 14 * 60)))))
    else:
        t = instant.astimezone(dt.timezone(dt.timedelta(seconds=draw(st.integers(-12 * 3600, 14 * 3600)))))
    return t.isoformat()


@st.composite
def items(draw: st.DrawFn) -> dict:
    item = {"id": "x", "kind": draw(st.sampled_from(["issue", "task"])), "reported_at": draw(report_times()),
            "people": draw(st.sampled_from([1, 60000, 70000, 80000, 90000])),
            "channel": draw(st.sampled_from(["phone", "online"])), "extra": draw(st.integers(0, 30))}
    if draw(st.booleans()):
        item["matter"] = draw(st.sampled_from(["M01", "M02", "调解", "nothing"]))
    if draw(st.booleans()):
        item["urgency"] = draw(st.sampled_from(["normal", "urgent", "emergency"]))
    return item


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ZONES), items())
def test_route_and_route_json_agree_and_deadlines_follow_the_report(zone: str, item: dict) -> None:
    policy = POLICIES[zone]
    decision = policy.route(item)
    assert json.loads(decision.model_dump_json()) == json.loads(policy.route_json(item))
    reported = dt.datetime.fromisoformat(item["reported_at"])
    if decision.deadline is not None:
        assert decision.deadline >= reported
        assert decision.deadline.utcoffset() is not None and decision.deadline.utcoffset().seconds % 60 == 0
    dues = [s.deadline for s in decision.stages]
    assert dues == sorted(dues) and (not dues or dues[-1] == decision.deadline)
    for step in decision.escalation:
        assert step.due >= (decision.deadline or reported)
    # the JSON text denotes the same instants
    data = json.loads(policy.route_json(item))
    if data["deadline"] is not None:
        assert dt.datetime.fromisoformat(data["deadline"]) == decision.deadline
    assert dt.datetime.fromisoformat(data["evaluated_at"]) == reported


def test_a_1900_offset_with_seconds_is_written_exactly() -> None:
    policy = POLICIES["Asia/Shanghai"]
    item = {"id": "x", "kind": "issue", "people": 90000, "reported_at": "1900-01-01T00:00:00+08:05:43"}
    data = json.loads(policy.route_json(item))
    assert data == json.loads(policy.route(item).model_dump_json())
    assert data["evaluated_at"] == "1899-12-31T15:54:17Z"  # the instant, in UTC
    assert data["deadline"] == "1899-12-31T16:14:17Z"  # 20 minutes later


@pytest.mark.parametrize(("reported", "deadline"), [
    # Clocks go back at 02:00 EDT on 2026-11-01: 20 minutes after the first 01:50 is the second 01:10.
    ("2026-11-01T01:50:00-04:00", "2026-11-01T01:10:00-05:00"),
    # Clocks go forward at 02:00 EST on 2026-03-08.
    ("2026-03-08T01:50:00-05:00", "2026-03-08T03:10:00-04:00"),
])
def test_minute_limits_are_absolute_across_dst(reported: str, deadline: str) -> None:
    policy = POLICIES["America/New_York"]
    decision = policy.route({"id": "x", "kind": "issue", "people": 90000, "reported_at": reported})
    assert decision.deadline.isoformat() == deadline
    assert decision.deadline - dt.datetime.fromisoformat(reported) == dt.timedelta(minutes=20)


def test_at_stands_in_for_a_missing_report_time() -> None:
    policy = POLICIES["Asia/Shanghai"]
    at = dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    item = {"id": "x", "kind": "issue", "people": 90000}
    first, again = policy.route(item, at=at), policy.route(item, at=at)
    assert first.deadline == again.deadline == at + dt.timedelta(minutes=20)
    assert json.loads(policy.route_json(item, at=at)) == json.loads(first.model_dump_json())
