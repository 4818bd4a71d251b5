"""The time model (`gridpolicy.clock`): every unit, office hours, DST, holidays.

Table-driven cases pin what practitioners expect; property tests check the arithmetic over
random starts, amounts, zones and office hours against its laws and a brute-force oracle.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridpolicy.calendar import WorkCalendar, library_last_year
from gridpolicy.clock import CLOCKS, UNITS, Clock, OfficeHours, clock_of, limit_text_zh
from gridpolicy.model import Calendar, CalendarNotice
from gridpolicy.syntax.nodes import NO_SPAN, Duration

UTC = dt.UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = OfficeHours.of([(dt.time(8, 30), dt.time(12)), (dt.time(14, 30), dt.time(17, 30))])
CN = Clock(WorkCalendar(Calendar()), SHANGHAI, OFFICE)


def cst(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# (start, limit, expected due) in Asia/Shanghai, office hours 08:30–12:00 and 14:30–17:30.
WORKHOURS = [
    ("2026-03-06T16:00", 4, "2026-03-09T11:00"),    # Friday 16:00: 1.5 h Friday, 2.5 h Monday
    ("2026-03-02T09:00", 3, "2026-03-02T12:00"),    # used up exactly at noon: due at noon
    ("2026-03-02T09:00", 3.5, "2026-03-02T15:00"),  # the lunch break does not count
    ("2026-03-02T12:30", 1, "2026-03-02T15:30"),    # reported in the lunch break
    ("2026-03-02T07:00", 1, "2026-03-02T09:30"),    # before office hours
    ("2026-03-02T20:00", 1, "2026-03-03T09:30"),    # in the evening
    ("2026-03-07T10:00", 2, "2026-03-09T10:30"),    # on Saturday
    ("2026-09-30T17:00", 1, "2026-10-08T09:00"),    # across National Day (Oct 1–7 off)
    ("2026-09-19T10:00", 1, "2026-09-20T09:30"),    # Sunday Sep 20 is a make-up working day
    ("2026-03-02T10:00", 0, "2026-03-02T10:00"),    # nothing to count: the start itself
    ("2026-03-07T10:00", 0, "2026-03-07T10:00"),
    ("2026-03-02T16:00", 1.5, "2026-03-02T17:30"),  # used up at the end of the day
    ("2026-03-02T08:30", 6.5, "2026-03-02T17:30"),  # one whole office day
    ("2026-03-02T08:30", 7, "2026-03-03T09:00"),
]


@pytest.mark.parametrize(("start", "hours", "due"), WORKHOURS)
def test_workhours_count_office_time_of_working_days(start: str, hours: float, due: str) -> None:
    got, estimated = CN.add(cst(start), Duration(hours, "workhours"))
    assert got == cst(due) and not estimated


# (start, limit, expected due): the other units.
OTHER = [
    ("2026-03-02T10:00", Duration(20, "minutes"), "2026-03-02T10:20"),
    ("2026-10-01T23:30", Duration(1, "hours"), "2026-10-02T00:30"),            # hours ignore holidays
    ("2026-10-01T23:30", Duration(3, "urgent_hours"), "2026-10-02T02:30"),     # round the clock
    ("2026-10-01T09:00", Duration(2, "urgent_days"), "2026-10-03T09:00"),
    ("2026-10-01T09:00", Duration(2, "days"), "2026-10-03T09:00"),
    ("2026-09-30T10:00", Duration(1, "workdays"), "2026-10-08T10:00"),
    ("2026-03-06T10:00", Duration(1, "workdays"), "2026-03-09T10:00"),
]


@pytest.mark.parametrize(("start", "limit", "due"), OTHER)
def test_other_units(start: str, limit: Duration, due: str) -> None:
    assert CN.add(cst(start), limit) == (cst(due), False)


NEW_YORK = ZoneInfo("America/New_York")
NY = Clock(WorkCalendar(Calendar()), NEW_YORK, OFFICE)


@pytest.mark.parametrize(("start", "limit", "due"), [
    # 2026-11-01: clocks go back at 02:00 EDT -> 01:00 EST. 20 minutes after the first 01:50
    # is the second 01:10 (fold 1), not 02:10 and never before the report.
    ("2026-11-01T01:50:00-04:00", Duration(20, "minutes"), "2026-11-01T01:10:00-05:00"),
    ("2026-11-01T00:30:00-04:00", Duration(2, "hours"), "2026-11-01T01:30:00-05:00"),
    # 2026-03-08: clocks go forward at 02:00 EST -> 03:00 EDT.
    ("2026-03-08T01:50:00-05:00", Duration(20, "minutes"), "2026-03-08T03:10:00-04:00"),
    ("2026-03-08T01:00:00-05:00", Duration(4, "urgent_hours"), "2026-03-08T06:00:00-04:00"),
    # Calendar days keep the wall time; one that falls in the gap is written as it exists.
    ("2026-03-07T02:30:00-05:00", Duration(1, "days"), "2026-03-08T03:30:00-04:00"),
    ("2026-10-31T01:30:00-04:00", Duration(1, "days"), "2026-11-01T01:30:00-04:00"),
])
def test_elapsed_units_are_absolute_across_dst(start: str, limit: Duration, due: str) -> None:
    got, _ = NY.add(dt.datetime.fromisoformat(start), limit)
    expected = dt.datetime.fromisoformat(due)
    # (== between zones is False for an ambiguous local time, PEP 495: compare instants)
    assert got.astimezone(UTC) == expected.astimezone(UTC) and got.utcoffset() == expected.utcoffset()
    assert got >= dt.datetime.fromisoformat(start)


def test_workhours_need_office_hours() -> None:
    clock = Clock(WorkCalendar(Calendar()), SHANGHAI)
    with pytest.raises(ValueError, match="office hours"):
        clock.add(cst("2026-03-02T10:00"), Duration(1, "workhours"))


def test_office_hours_must_be_ordered_and_disjoint() -> None:
    with pytest.raises(ValueError, match="before the end"):
        OfficeHours.of([(dt.time(12), dt.time(8))])
    with pytest.raises(ValueError, match="overlap"):
        OfficeHours.of([(dt.time(8), dt.time(12)), (dt.time(11), dt.time(13))])
    assert OFFICE.daily == dt.timedelta(hours=6.5) and OFFICE.text == "08:30–12:00、14:30–17:30"


def test_every_unit_names_its_clock() -> None:
    assert {clock_of(u) for u in UNITS} == set(CLOCKS)
    assert limit_text_zh(Duration(3, "urgent_hours")) == "3紧急工作时"
    assert limit_text_zh(Duration(1.5, "workhours")) == "1.5工作时"


def test_a_declared_notice_makes_a_year_known() -> None:
    year = library_last_year() + 1
    plain = WorkCalendar(Calendar())
    declared = WorkCalendar(Calendar(holidays=frozenset({dt.date(year, 1, 1)}),
                                     notices=(CalendarNotice(year, "通知", "", NO_SPAN),)))
    assert not plain.knows(year) and declared.knows(year)
    assert declared.last_known_year() == year == plain.last_known_year() + 1
    assert plain.is_workday_estimated(dt.date(year, 3, 3))[1]
    assert declared.is_workday_estimated(dt.date(year, 3, 3)) == (dt.date(year, 3, 3).weekday() < 5, False)
    assert declared.is_workday_estimated(dt.date(year, 1, 1)) == (False, False)
    clock = Clock(plain, SHANGHAI, OFFICE)
    assert clock.add(cst(f"{year}-03-03T10:00"), Duration(2, "workhours"))[1]


# ---- properties ---------------------------------------------------------------------------

ZONES = [ZoneInfo(z) for z in ("Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe",
                               "America/Santiago", "Asia/Kathmandu", "UTC", "Pacific/Chatham")]
KNOWN = (dt.datetime(2019, 1, 1, tzinfo=UTC), dt.datetime(2026, 12, 1, tzinfo=UTC))


@st.composite
def starts(draw: st.DrawFn, minute_steps: bool = False) -> dt.datetime:
    seconds = int((KNOWN[1] - KNOWN[0]).total_seconds())
    offset = draw(st.integers(0, seconds // 60)) * 60 if minute_steps else draw(st.integers(0, seconds))
    zone = draw(st.sampled_from(ZONES))
    return (KNOWN[0] + dt.timedelta(seconds=offset)).astimezone(zone)


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    points = sorted(set(draw(st.lists(st.integers(0, 95), min_size=2, max_size=6))))
    if len(points) % 2:
        points = points[:-1]
    periods = [(dt.time(a // 4, a % 4 * 15), dt.time(b // 4, b % 4 * 15)) for a, b in zip(points[::2], points[1::2])]
    return OfficeHours.of(periods) if periods else OFFICE


@st.composite
def clocks(draw: st.DrawFn) -> Clock:
    return Clock(WorkCalendar(Calendar()), draw(st.sampled_from(ZONES)), draw(office_hours()))


def amounts(unit: str) -> st.SearchStrategy[float]:
    if unit in ("days", "workdays"):
        return st.integers(0, 30).map(float)
    if unit == "workhours":
        return st.integers(0, 80).map(lambda q: q / 4)
    return st.floats(0, 2000, allow_nan=False).map(lambda x: round(x, 3))


units = st.sampled_from(sorted(UNITS))


@settings(max_examples=300, deadline=None)
@given(clocks(), starts(), units, st.data())
def test_never_before_the_start_and_monotonic_in_the_amount(clock: Clock, start: dt.datetime, unit: str,
                                                            data: st.DataObject) -> None:
    a, b = sorted((data.draw(amounts(unit)), data.draw(amounts(unit))))
    due_a, _ = clock.add(start, Duration(a, unit))
    due_b, _ = clock.add(start, Duration(b, unit))
    assert start <= due_a <= due_b
    assert due_a.tzinfo is clock.tz
    assert clock.exists(due_a) == due_a  # a time that exists on the zone's clock


@settings(max_examples=300, deadline=None)
@given(clocks(), starts(), st.sampled_from(["minutes", "hours", "urgent_hours", "urgent_days"]), st.data())
def test_round_the_clock_units_are_exact_elapsed_time(clock: Clock, start: dt.datetime, unit: str,
                                                      data: st.DataObject) -> None:
    a, b = data.draw(amounts(unit)), data.draw(amounts(unit))
    due, estimated = clock.add(start, Duration(a, unit))
    assert not estimated
    assert due.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(seconds=a * UNITS[unit].seconds)
    # additive, to the microsecond the amounts allow
    twice = clock.add(clock.add(start, Duration(a, unit))[0], Duration(b, unit))[0]
    once = clock.add(start, Duration(a + b, unit))[0]
    assert abs(twice - once) <= dt.timedelta(microseconds=2)


@settings(max_examples=200, deadline=None)
@given(clocks(), starts(), st.sampled_from(["workhours", "workdays", "days"]), st.data())
def test_calendar_units_are_additive(clock: Clock, start: dt.datetime, unit: str, data: st.DataObject) -> None:
    a, b = data.draw(amounts(unit)), data.draw(amounts(unit))
    first, _ = clock.add(start, Duration(a, unit))
    twice, _ = clock.add(first, Duration(b, unit))
    once, _ = clock.add(start, Duration(a + b, unit))
    if unit == "workhours":
        assert twice == once
    else:  # the same local date; the wall time may differ only where a DST gap moved it
        assert twice.date() == once.date()


@settings(max_examples=300, deadline=None)
@given(clocks(), starts(), st.integers(1, 30))
def test_workdays_land_on_working_days_at_the_same_wall_time(clock: Clock, start: dt.datetime, n: int) -> None:
    due, estimated = clock.add(start, Duration(n, "workdays"))
    local = clock.local(start)
    assert estimated == (not clock.calendar.knows(due.year)) and clock.calendar.is_workday(due.date())
    between = [local.date() + dt.timedelta(days=k) for k in range(1, (due.date() - local.date()).days + 1)]
    assert sum(clock.calendar.is_workday(d) for d in between) == n
    if clock.exists(local.replace(year=due.year, month=due.month, day=due.day)) == due:
        assert (due.hour, due.minute, due.second) == (local.hour, local.minute, local.second)


def _brute_office_minutes(clock: Clock, start: dt.datetime, end: dt.datetime) -> int:
    """Minutes of office time in [start, end), by walking every minute (an independent oracle)."""
    assert clock.office_hours is not None
    count = 0
    t = start.astimezone(UTC)
    stop = end.astimezone(UTC)
    while t < stop:
        local = t.astimezone(clock.tz)
        wall = local.time().replace(fold=0)
        if clock.calendar.is_workday(local.date()) and any(s <= wall < e for s, e in clock.office_hours.periods):
            count += 1
        t += dt.timedelta(minutes=1)
    return count


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(ZONES), office_hours(), starts(minute_steps=True), st.integers(0, 40))
def test_workhours_agree_with_a_minute_by_minute_count(zone: ZoneInfo, hours: OfficeHours, start: dt.datetime,
                                                       quarters: int) -> None:
    clock = Clock(WorkCalendar(Calendar()), zone, hours)
    amount = quarters / 4
    due, _ = clock.add(start, Duration(amount, "workhours"))
    assert _brute_office_minutes(clock, start, due) == amount * 60
    assert clock.office_time_between(start, due) == dt.timedelta(hours=amount)
    if amount:  # due inside (or at the end of) an office period of a working day
        local = due.astimezone(zone)
        wall = local.time().replace(fold=0)
        assert clock.calendar.is_workday(local.date())
        assert any(s < wall <= e for s, e in hours.periods)


@settings(max_examples=150, deadline=None)
@given(clocks(), starts(), st.integers(0, 60))
def test_workhours_are_monotonic_in_the_start(clock: Clock, start: dt.datetime, minutes: int) -> None:
    later = start + dt.timedelta(minutes=minutes)
    limit = Duration(4, "workhours")
    assert clock.add(start, limit)[0] <= clock.add(later, limit)[0]


def test_stage_counterexamples() -> None:
    from gridpolicy.clock import stage_counterexample
    staged = [Duration(3, "urgent_hours"), Duration(8, "urgent_hours"), Duration(5, "workdays")]
    assert stage_counterexample(CN, staged) is None
    assert stage_counterexample(CN, [Duration(1, "workdays"), Duration(8, "workhours"), Duration(5, "workdays")]) is None
    # 6.5 office hours a day: 6 workhours from Monday 08:30 are due before 1 workday (Tuesday 08:30)
    found = stage_counterexample(CN, [Duration(1, "workdays"), Duration(6, "workhours")])
    assert found is not None and found[1] == 0
    t = found[0]
    assert CN.add(t, Duration(6, "workhours"))[0] <= CN.add(t, Duration(1, "workdays"))[0]
    assert stage_counterexample(CN, [Duration(4, "hours"), Duration(4, "hours")]) is not None


@pytest.mark.parametrize(("text", "exact"), [
    ("1900-01-01T00:00:00+08:05:43", "1899-12-31T15:54:17+00:00"),
    ("2026-03-02T10:00:00+08:00", "2026-03-02T10:00:00+08:00"),
    ("2026-03-02T10:00:00+05:45", "2026-03-02T10:00:00+05:45"),
])
def test_exact_time_keeps_whole_minute_offsets(text: str, exact: str) -> None:
    from gridpolicy.clock import exact_time
    got = exact_time(dt.datetime.fromisoformat(text))
    assert got.isoformat() == exact and got == dt.datetime.fromisoformat(text)
