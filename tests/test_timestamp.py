"""`gridpolicy.clock.parse_timestamp`: the one reader of timestamps (items, events, CLI, rule
tests, releases, logs), and `timestamp_problem`, which says why a text is refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridpolicy.clock import parse_timestamp, timestamp_problem

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(("raw", "want"), [
    ("2026-03-02T09:30:00+08:00", dt.datetime(2026, 3, 2, 9, 30, tzinfo=CST)),
    ("2026-03-02T01:30:00Z", dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)),
    ("2026-03-02 09:30+08:00", dt.datetime(2026, 3, 2, 9, 30, tzinfo=CST)),
    ("20260302T093000+0800", dt.datetime(2026, 3, 2, 9, 30, tzinfo=CST)),
    (dt.datetime(2026, 3, 2, 9, 30, tzinfo=CST), dt.datetime(2026, 3, 2, 9, 30, tzinfo=CST)),
    ("1900-01-01T00:00:00+00:00", dt.datetime(1900, 1, 1, tzinfo=dt.UTC)),
    ("2199-12-31T23:59:59+08:00", dt.datetime(2199, 12, 31, 23, 59, 59, tzinfo=CST)),
    ("2026-03-02T09:30:00", None),  # naive
    (dt.datetime(2026, 3, 2, 9, 30), None),
    ("1899-12-31T23:59:59+00:00", None),  # before the supported years
    ("2200-01-01T00:00:00+08:00", None),
    ("garbage", None),
    ("", None),
    ("2026-03-02T09:30:00+08:00" + " " * 20, None),  # over 40 characters: not parsed
    ("2026-03-02", None),  # a bare date has no offset
    (20260302, None),
    (None, None),
    (dt.date(2026, 3, 2), None),
])
def test_parse_timestamp(raw: object, want: dt.datetime | None) -> None:
    got = parse_timestamp(raw)
    assert got == want
    if want is not None:
        assert got is not None and got.utcoffset() == want.utcoffset()


def test_a_naive_time_is_read_in_the_given_zone() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    assert parse_timestamp("2026-03-02T09:30:00", naive=tz) == dt.datetime(2026, 3, 2, 9, 30, tzinfo=tz)
    assert parse_timestamp("2026-03-02T09:30:00+00:00", naive=tz) == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert parse_timestamp("3000-03-02T09:30:00", naive=tz) is None


@pytest.mark.parametrize(("raw", "zh", "en"), [
    ("garbage", "应为带时区的 ISO 8601 时间", "must be an ISO 8601 time with an offset"),
    ("x" * 41, "应为带时区的 ISO 8601 时间", "must be an ISO 8601 time with an offset"),
    (12, "应为带时区的 ISO 8601 时间", "must be an ISO 8601 time with an offset"),
    ("2026-03-02T09:30:00", "必须带时区", "must carry a time zone offset"),
    (dt.datetime(2026, 3, 2), "必须带时区", "must carry a time zone offset"),
    ("3000-01-01T00:00:00+08:00", "1900–2199", "within 1900-2199"),
])
def test_timestamp_problem_names_the_rule_broken(raw: object, zh: str, en: str) -> None:
    assert parse_timestamp(raw) is None
    got_zh, got_en = timestamp_problem(raw)
    assert zh in got_zh and en in got_en


@given(st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2199, 12, 30),
                    timezones=st.timezones()))
def test_every_aware_time_in_range_round_trips(when: dt.datetime) -> None:
    got = parse_timestamp(when.isoformat())
    # the same instant and offset (== is False across zones for a time in a DST fold, PEP 495)
    assert got is not None and got.timestamp() == when.timestamp() and got.utcoffset() == when.utcoffset()
    assert parse_timestamp(when) is when


@given(st.text(max_size=45))
def test_text_gives_an_aware_time_in_range_or_none(text: str) -> None:
    got = parse_timestamp(text)
    assert got is None or (got.tzinfo is not None and 1900 <= got.year <= 2199)
