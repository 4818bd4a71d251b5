"""The lifecycle clock's local time: replacing the zone of a time written in the zone's steady
offset gives the same instant and wall time as `astimezone`, for every offset and zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gridpolicy.calendar import WorkCalendar
from gridpolicy.clock import Clock
from gridpolicy.lifecycle.workdays import WorkdayClock
from gridpolicy.model import Calendar
from gridpolicy.syntax.nodes import Duration

CASES = [  # (zone, time as the host writes it)
    ("Asia/Shanghai", "2026-03-02T10:00:00+08:00"),
    ("Asia/Shanghai", "2026-03-02T10:00:00.000077+08:00"),
    ("Asia/Shanghai", "2026-12-31T23:59:59+08:00"),
    ("Asia/Shanghai", "2027-01-01T00:00:00+08:00"),
    ("Asia/Shanghai", "2026-03-02T02:00:00+00:00"),
    ("Asia/Shanghai", "2026-12-31T20:00:00-05:00"),
    ("Europe/Berlin", "2026-03-29T01:30:00+01:00"),  # the hour before spring forward
    ("Europe/Berlin", "2026-07-01T12:00:00+02:00"),
    ("Europe/Berlin", "2026-10-25T02:30:00+01:00"),  # the repeated hour, second time
]


@pytest.mark.parametrize(("zone", "raw"), CASES)
def test_local_is_astimezone(zone: str, raw: str) -> None:
    tz = ZoneInfo(zone)
    calendar = WorkCalendar(Calendar())
    clock = WorkdayClock(calendar, tz, Clock(calendar, tz))
    t = dt.datetime.fromisoformat(raw)
    want = t.astimezone(tz)
    got = clock.local(t)
    assert got.tzinfo is tz
    assert (got.isoformat(), got.fold, got.utcoffset()) == (want.isoformat(), want.fold, want.utcoffset())
    for n in (1, 3, 10):
        assert clock.add(t, Duration(n, "workdays")).isoformat() == want.replace(
            **_date(clock.nth_workday_after(want.date(), n))).isoformat()


def _date(d: dt.date) -> dict[str, int]:
    return {"year": d.year, "month": d.month, "day": d.day}
